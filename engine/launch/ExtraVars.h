#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace playdeck {

// What one set of extra variables may cost. The defaults take AWX-sized documents of several MB
// while no input can make parsing slow or make memory grow faster than the text.
struct ExtraVarsLimits {
    // The text, in UTF-8 bytes.
    qsizetype maxDocumentBytes = 16 * 1024 * 1024;
    // Nested mappings and lists; the top-level mapping is level 1.
    int maxDepth = 200;
    // Every key and value of the result, aliases expanded.
    qint64 maxNodes = 10'000'000;
    // Keys and values produced through aliases: the result is shared in memory, but everything
    // that writes it out (extraVarsYaml, ansible) expands it, so a few hundred bytes of "billion
    // laughs" must not turn into gigabytes there.
    qint64 maxAliasNodes = 1'000'000;
    // Text (UTF-8 bytes of keys and strings) produced through aliases, for the same reason.
    qint64 maxAliasBytes = 16 * 1024 * 1024;
};

// Extra variables as the operator writes them: a YAML or JSON mapping (empty text = no variables).
// JSON is tried first (as AWX does), then YAML 1.1 as PyYAML's SafeLoader, and so ansible, reads it.
// Anything else is refused with a message that says what is wrong and where.
[[nodiscard]] Result<QJsonObject> parseExtraVars(const QString &text);
[[nodiscard]] Result<QJsonObject> parseExtraVars(const QString &text, const ExtraVarsLimits &limits);

// The env/extravars file for ansible-runner: `safe` values are written as they are; every key and
// string in `unsafe` (values given at launch time) is tagged !unsafe so Jinja never evaluates it.
// A key in both is written once, from `unsafe`.
QByteArray extraVarsYaml(const QJsonObject &safe, const QJsonObject &unsafe);

} // namespace playdeck
