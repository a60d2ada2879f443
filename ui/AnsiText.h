#pragma once

#include "events/OutputLines.h"

#include <QList>
#include <QString>
#include <QStringView>
#include <QTextCharFormat>

namespace playdeck {

// A piece of text with one look.
struct AnsiRun {
    QString text;
    QTextCharFormat format;
};

// Splits text coloured with ANSI SGR escape sequences (what ansible prints: "\x1b[0;32m",
// "\x1b[1;35m", "\x1b[0m", ...) into runs of plain text with their formats, dropping the escapes.
// Other escape sequences (cursor movement, erase, OSC titles) are dropped as well. The text starts in
// `base`, and SGR 0 returns to it. Adjacent runs with the same format are merged; no run is empty.
QList<AnsiRun> parseAnsi(QStringView text, const QTextCharFormat &base = QTextCharFormat());

// The colour used for SGR colour `index` (0-7 normal, 8-15 bright), chosen to read well on a light
// background.
QColor ansiColor(int index);

// The colour ansible prints an outcome in (ok green, changed yellow, failed red, ...); invalid for
// None.
QColor outcomeColor(LineOutcome outcome);

} // namespace playdeck
