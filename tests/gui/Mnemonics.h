#pragma once

// The Alt+letter keys a window offers, and those that two controls share (an Alt+letter then only
// cycles between them instead of doing what it says).

#include <QAbstractButton>
#include <QHash>
#include <QLabel>
#include <QMenuBar>
#include <QTabBar>
#include <QWidget>

namespace playdeck::test {

inline QChar mnemonicOf(const QString &text) {
    for (int i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != QLatin1Char('&'))
            continue;
        if (text[i + 1] == QLatin1Char('&')) {
            ++i; // "&&" is a plain ampersand
            continue;
        }
        return text[i + 1].toLower();
    }
    return {};
}

// "o: J&obs, &Output" for each letter that more than one visible control of `root` uses.
inline QStringList mnemonicClashes(QWidget *root) {
    QHash<QChar, QStringList> users;
    const auto add = [&](const QString &text) {
        const QChar c = mnemonicOf(text);
        if (!c.isNull())
            users[c] << text;
    };
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!w->isVisible() || w->window() != root)
            continue;
        if (auto *button = qobject_cast<QAbstractButton *>(w))
            add(button->text());
        else if (auto *label = qobject_cast<QLabel *>(w); label && label->buddy())
            add(label->text());
        else if (auto *tabs = qobject_cast<QTabBar *>(w))
            for (int i = 0; i < tabs->count(); ++i)
                add(tabs->tabText(i));
        else if (auto *menus = qobject_cast<QMenuBar *>(w))
            for (QAction *a : menus->actions())
                add(a->text());
    }
    QStringList clashes;
    for (auto it = users.begin(); it != users.end(); ++it)
        if (it.value().size() > 1)
            clashes << QStringLiteral("%1: %2").arg(it.key(), it.value().join(QStringLiteral(", ")));
    clashes.sort();
    return clashes;
}

} // namespace playdeck::test
