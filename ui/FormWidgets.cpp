#include "FormWidgets.h"

#include "JobPresentation.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>

namespace playdeck {

QLabel *errorLabel(const QString &objectName) {
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText,
                     readableOn(QColor(0xc0, 0x1c, 0x28), palette.color(QPalette::Window)));
    label->setPalette(palette);
    label->hide();
    return label;
}

QStringList checkedTexts(const QListWidget *list) {
    QStringList out;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            out << list->item(i)->text();
    return out;
}

QString editorText(const QWidget *editor) {
    if (auto *line = qobject_cast<const QLineEdit *>(editor))
        return line->text();
    if (auto *text = qobject_cast<const QPlainTextEdit *>(editor))
        return text->toPlainText();
    if (auto *combo = qobject_cast<const QComboBox *>(editor))
        return combo->currentData().toString();
    return {};
}

} // namespace playdeck
