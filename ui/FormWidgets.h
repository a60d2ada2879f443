#pragma once

#include <QString>
#include <QStringList>

class QLabel;
class QListWidget;
class QWidget;

namespace playdeck {

// The small pieces every form of the window shares.

// A label for what is wrong with an input, in a red that reads on the palette, hidden until it has
// something to say.
QLabel *errorLabel(const QString &objectName);
// The texts of the items ticked in a list of check boxes, in list order.
QStringList checkedTexts(const QListWidget *list);
// What a line edit, a text box or a combo box (its item's data) holds; empty for anything else.
QString editorText(const QWidget *editor);

} // namespace playdeck
