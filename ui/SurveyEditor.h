#pragma once

#include <QDialog>
#include <QJsonArray>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace playdeck {

// A template's survey as AWX's survey editor shows it: the questions in order, and for the one
// selected its text, variable, type (text, textarea, password, integer, float, multiplechoice,
// multiselect), whether it is required, its default, min and max, its choices (its own, or the
// inventory's hosts or groups), and a regex its answers must match. Saved only when the engine's
// rules accept it (validateSurveySpec), with the reason shown otherwise.
class SurveyEditor : public QDialog {
    Q_OBJECT
public:
    explicit SurveyEditor(const QJsonObject &survey, QWidget *parent = nullptr);

    QJsonObject survey() const;
    QListWidget *questionList() const { return m_list; }
    // Adds a new question and selects it.
    void addQuestion();
    QString errorText() const;

    void accept() override;

private:
    void showQuestion(int row);
    void storeQuestion();
    void moveQuestion(int delta);
    void removeQuestion();
    void updateFields();
    QString itemText(const QJsonObject &q) const;

    QJsonArray m_questions;
    int m_current = -1;
    bool m_loading = false;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_description = nullptr;
    QListWidget *m_list = nullptr;
    QPushButton *m_remove = nullptr, *m_up = nullptr, *m_down = nullptr;
    QWidget *m_questionBox = nullptr;
    QLineEdit *m_questionName = nullptr;
    QLineEdit *m_questionDescription = nullptr;
    QLineEdit *m_variable = nullptr;
    QComboBox *m_type = nullptr;
    QCheckBox *m_required = nullptr;
    QLineEdit *m_default = nullptr;
    QLineEdit *m_min = nullptr;
    QLineEdit *m_max = nullptr;
    QComboBox *m_choicesFrom = nullptr;
    QPlainTextEdit *m_choices = nullptr;
    QLineEdit *m_regex = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace playdeck
