#include "AnsiText.h"

#include "events/AnsiEscapes.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace playdeck {

namespace {

// An xterm-like palette, darkened where the usual colours are hard to read on white.
constexpr QRgb Palette[16] = {
    0x000000, 0xc01c28, 0x26a269, 0xa2734c, 0x12488b, 0xa347ba, 0x2a8a9e, 0x8a8a8a, // normal
    0x5e5c64, 0xe01b24, 0x2ec27e, 0xc88800, 0x2a7bde, 0xc061cb, 0x1fa5bd, 0x3d3d3d, // bright
};

QColor color256(int n) {
    if (n < 16)
        return ansiColor(n);
    if (n < 232) {
        n -= 16;
        const auto level = [](int v) { return v == 0 ? 0 : 55 + v * 40; };
        return QColor(level(n / 36), level(n / 6 % 6), level(n % 6));
    }
    const int grey = 8 + (n - 232) * 10;
    return QColor(grey, grey, grey);
}

// Reads an extended colour (38;5;n or 38;2;r;g;b) starting at params[i] (the 5 or the 2), advancing
// i past it. Returns an invalid colour for a malformed one.
QColor extendedColor(const QList<int> &params, qsizetype &i) {
    if (i >= params.size())
        return {};
    const int kind = params[i++];
    if (kind == 5 && i < params.size()) {
        const int n = params[i++];
        return n >= 0 && n < 256 ? color256(n) : QColor();
    }
    if (kind == 2 && i + 2 < params.size()) {
        const QColor c(qBound(0, params[i], 255), qBound(0, params[i + 1], 255),
                       qBound(0, params[i + 2], 255));
        i += 3;
        return c;
    }
    return {};
}

void applySgr(const QList<int> &params, const QTextCharFormat &base, QTextCharFormat &format) {
    if (params.isEmpty()) {
        format = base;
        return;
    }
    for (qsizetype i = 0; i < params.size();) {
        const int p = params[i++];
        if (p == 0) {
            format = base;
        } else if (p == 1) {
            format.setFontWeight(QFont::Bold);
        } else if (p == 22) {
            if (base.hasProperty(QTextFormat::FontWeight))
                format.setFontWeight(base.fontWeight());
            else
                format.clearProperty(QTextFormat::FontWeight);
        } else if (p == 3) {
            format.setFontItalic(true);
        } else if (p == 23) {
            format.setFontItalic(base.fontItalic());
        } else if (p == 4) {
            format.setFontUnderline(true);
        } else if (p == 24) {
            format.setFontUnderline(base.fontUnderline());
        } else if (p >= 30 && p <= 37) {
            format.setForeground(ansiColor(p - 30));
        } else if (p >= 90 && p <= 97) {
            format.setForeground(ansiColor(p - 90 + 8));
        } else if (p >= 40 && p <= 47) {
            format.setBackground(ansiColor(p - 40));
        } else if (p >= 100 && p <= 107) {
            format.setBackground(ansiColor(p - 100 + 8));
        } else if (p == 38 || p == 48) {
            const QColor c = extendedColor(params, i);
            if (c.isValid()) {
                if (p == 38)
                    format.setForeground(c);
                else
                    format.setBackground(c);
            }
        } else if (p == 39) {
            if (base.hasProperty(QTextFormat::ForegroundBrush))
                format.setForeground(base.foreground());
            else
                format.clearForeground();
        } else if (p == 49) {
            if (base.hasProperty(QTextFormat::BackgroundBrush))
                format.setBackground(base.background());
            else
                format.clearBackground();
        }
        // Anything else (blink, reverse, fonts, ...) is ignored.
    }
}

} // namespace

QColor ansiColor(int index) {
    return QColor::fromRgb(Palette[qBound(0, index, 15)]);
}

QList<AnsiRun> parseAnsi(QStringView text, const QTextCharFormat &base) {
    QList<AnsiRun> runs;
    QTextCharFormat format = base;
    QString pending;

    const auto flush = [&] {
        if (pending.isEmpty())
            return;
        if (!runs.isEmpty() && runs.last().format == format)
            runs.last().text += pending;
        else
            runs.append({pending, format});
        pending.clear();
    };
    scanAnsi(
        text, [&](QStringView piece) { pending += piece; },
        [&](const QList<int> &params) {
            flush();
            applySgr(params, base, format);
        });
    flush();
    return runs;
}

QColor outcomeColor(LineOutcome outcome) {
    switch (outcome) {
    case LineOutcome::Ok:
        return ansiColor(2);
    case LineOutcome::Changed:
        return ansiColor(3);
    case LineOutcome::Failed:
        return ansiColor(1);
    case LineOutcome::Unreachable:
        return ansiColor(9);
    case LineOutcome::Skipped:
        return ansiColor(6);
    case LineOutcome::None:
        break;
    }
    return {};
}

} // namespace playdeck
