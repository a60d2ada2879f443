#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringView>

// Writing values as YAML text that PyYAML (and so ansible) reads back as exactly the same values.
namespace playdeck::extravars {

// Python's repr() of a float: the shortest text that reads back as the same double, spelled as
// Python spells it ("0.1", "1e+16", "1e-05", "-0.0", "inf", "nan").
QString pythonFloatRepr(double value);

// A double-quoted YAML string; with `unsafe`, tagged !unsafe.
void appendYamlString(QByteArray &out, QStringView text, bool unsafe);

// A mapping key and the ": " after it; a key too long for YAML's implicit keys is written as an
// explicit one ("? key", then ": " on the next line in a block mapping).
void appendYamlKey(QByteArray &out, QStringView key, bool unsafe, bool block);

// A value in YAML's flow style on one line, without recursion; with `unsafe`, every string in it
// (keys too) is tagged !unsafe.
void appendYamlValue(QByteArray &out, const QJsonValue &value, bool unsafe);

} // namespace playdeck::extravars
