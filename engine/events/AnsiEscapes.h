#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <functional>

namespace playdeck {

// Walks text coloured with ANSI escape sequences (what ansible prints: "\x1b[0;32m", "\x1b[0m", ...):
// `onText` gets each piece of plain text in order, `onSgr` the parameters of each SGR sequence
// ("\x1b[1;31m" gives {1, 31}; "\x1b[m" gives {}; a malformed number is -1). Other escape sequences
// (cursor movement, erase, OSC titles, charset selection) are dropped, as is a truncated one at the end.
void scanAnsi(QStringView text, const std::function<void(QStringView)> &onText,
              const std::function<void(const QList<int> &)> &onSgr);

// The text without any escape sequence: what an operator searches and what a plain download holds.
QString stripAnsi(QStringView text);

} // namespace playdeck
