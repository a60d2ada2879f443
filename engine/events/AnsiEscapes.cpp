#include "AnsiEscapes.h"

namespace playdeck {

namespace {

constexpr QChar Escape(0x1b);
constexpr QChar Bell(0x07);

} // namespace

void scanAnsi(QStringView text, const std::function<void(QStringView)> &onText,
              const std::function<void(const QList<int> &)> &onSgr) {
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const qsizetype escape = text.indexOf(Escape, i);
        if (escape < 0) {
            onText(text.mid(i));
            return;
        }
        if (escape > i)
            onText(text.mid(i, escape - i));
        i = escape + 1;
        if (i >= n)
            return; // a lone ESC at the end
        const QChar kind = text[i++];
        if (kind == QLatin1Char('[')) {
            // CSI: parameter bytes 0x30-0x3f, intermediate bytes 0x20-0x2f, one final byte 0x40-0x7e.
            const qsizetype paramsStart = i;
            while (i < n && text[i].unicode() >= 0x30 && text[i].unicode() <= 0x3f)
                ++i;
            const qsizetype paramsEnd = i;
            while (i < n && text[i].unicode() >= 0x20 && text[i].unicode() <= 0x2f)
                ++i;
            if (i >= n)
                return; // truncated sequence
            const char16_t finalByte = text[i++].unicode();
            if (finalByte != u'm')
                continue; // not SGR: drop it
            const QStringView paramText = text.mid(paramsStart, paramsEnd - paramsStart);
            if (paramText.contains(QLatin1Char('?')) || paramText.contains(QLatin1Char('<')) ||
                paramText.contains(QLatin1Char('=')) || paramText.contains(QLatin1Char('>')))
                continue; // private sequences are not SGR
            QList<int> params;
            if (!paramText.isEmpty()) {
                for (const QStringView part : paramText.split(QLatin1Char(';'))) {
                    bool ok = false;
                    const int value = part.isEmpty() ? 0 : part.toInt(&ok);
                    params.append(part.isEmpty() || ok ? value : -1);
                }
            }
            onSgr(params);
        } else if (kind == QLatin1Char(']')) {
            // OSC: up to BEL or ST (ESC \).
            while (i < n) {
                if (text[i] == Bell) {
                    ++i;
                    break;
                }
                if (text[i] == Escape && i + 1 < n && text[i + 1] == QLatin1Char('\\')) {
                    i += 2;
                    break;
                }
                ++i;
            }
        } else if (kind.unicode() >= 0x20 && kind.unicode() <= 0x2f) {
            // nF sequence such as ESC ( B: intermediates, then one final byte.
            while (i < n && text[i].unicode() >= 0x20 && text[i].unicode() <= 0x2f)
                ++i;
            if (i < n)
                ++i;
        }
        // Any other ESC x is a two-character sequence, already skipped.
    }
}

QString stripAnsi(QStringView text) {
    if (!text.contains(Escape))
        return text.toString();
    QString plain;
    plain.reserve(text.size());
    scanAnsi(
        text, [&](QStringView piece) { plain += piece; }, [](const QList<int> &) {});
    return plain;
}

} // namespace playdeck
