#include "OutputFindBar.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace playdeck {

OutputFindBar::OutputFindBar(QWidget *parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("findBar"));
    m_text = new QLineEdit;
    m_text->setObjectName(QStringLiteral("findEdit"));
    m_text->setPlaceholderText(tr("Find in the output"));
    m_text->setAccessibleName(tr("Find in the output"));
    m_text->setClearButtonEnabled(true);
    m_case = new QCheckBox(tr("Match case"));
    m_case->setObjectName(QStringLiteral("findCaseBox"));
    m_regex = new QCheckBox(tr("Regular expression"));
    m_regex->setObjectName(QStringLiteral("findRegexBox"));
    m_only = new QCheckBox(tr("Only matching lines"));
    m_only->setObjectName(QStringLiteral("findOnlyBox"));
    m_only->setToolTip(tr("Hide every other line (line numbers stay those of the whole output)"));
    auto *previous = new QToolButton;
    previous->setText(tr("Previous"));
    previous->setToolTip(tr("The match before (Shift+Enter)"));
    auto *next = new QToolButton;
    next->setText(tr("Next"));
    next->setToolTip(tr("The next match (Enter)"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("findStatus"));
    m_status->setTextFormat(Qt::PlainText);
    auto *close = new QToolButton;
    close->setText(tr("Close"));
    close->setAccessibleName(tr("Close the find bar"));

    m_host = new QLineEdit;
    m_host->setObjectName(QStringLiteral("filterHostEdit"));
    m_host->setPlaceholderText(tr("Host"));
    m_host->setAccessibleName(tr("Only lines of hosts whose name contains"));
    m_host->setClearButtonEnabled(true);
    m_task = new QLineEdit;
    m_task->setObjectName(QStringLiteral("filterTaskEdit"));
    m_task->setPlaceholderText(tr("Task"));
    m_task->setAccessibleName(tr("Only lines of tasks whose name contains"));
    m_task->setClearButtonEnabled(true);
    m_outcome = new QComboBox;
    m_outcome->setObjectName(QStringLiteral("filterOutcomeBox"));
    m_outcome->setAccessibleName(tr("Only lines with this result"));
    m_outcome->addItem(tr("Any result"), -1);
    m_outcome->addItem(tr("Failed"), int(LineOutcome::Failed));
    m_outcome->addItem(tr("Unreachable"), int(LineOutcome::Unreachable));
    m_outcome->addItem(tr("Failed or unreachable"), -2);
    m_outcome->addItem(tr("Changed"), int(LineOutcome::Changed));
    m_outcome->addItem(tr("Skipped"), int(LineOutcome::Skipped));
    m_outcome->addItem(tr("OK"), int(LineOutcome::Ok));

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto *first = new QHBoxLayout;
    first->addWidget(m_text, 1);
    first->addWidget(m_case);
    first->addWidget(m_regex);
    first->addWidget(previous);
    first->addWidget(next);
    first->addWidget(m_status);
    first->addWidget(close);
    auto *second = new QHBoxLayout;
    second->addWidget(m_host, 1);
    second->addWidget(m_task, 1);
    second->addWidget(m_outcome);
    second->addWidget(m_only);
    grid->addLayout(first, 0, 0);
    grid->addLayout(second, 1, 0);

    m_settle.setSingleShot(true);
    m_settle.setInterval(250);
    connect(&m_settle, &QTimer::timeout, this, &OutputFindBar::settle);
    for (QLineEdit *edit : {m_text, m_host, m_task})
        connect(edit, &QLineEdit::textChanged, this, &OutputFindBar::changedSoon);
    for (QCheckBox *box : {m_case, m_regex, m_only})
        connect(box, &QCheckBox::toggled, this, &OutputFindBar::settle);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &OutputFindBar::settle);

    connect(m_text, &QLineEdit::returnPressed, this, [this] {
        settle(); // Enter right after typing searches what was typed
        Q_EMIT nextRequested(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier);
    });
    connect(next, &QToolButton::clicked, this, [this] { Q_EMIT nextRequested(false); });
    connect(previous, &QToolButton::clicked, this, [this] { Q_EMIT nextRequested(true); });
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT closed();
    });
    auto *escape = new QAction(this);
    escape->setShortcut(QKeySequence(Qt::Key_Escape));
    escape->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QAction::triggered, close, &QToolButton::click);
    addAction(escape);
}

OutputFilter OutputFindBar::filter() const {
    OutputFilter f;
    f.text = m_text->text();
    f.regex = m_regex->isChecked();
    f.caseSensitive = m_case->isChecked();
    f.host = m_host->text().trimmed();
    f.task = m_task->text().trimmed();
    const int outcome = m_outcome->currentData().toInt();
    if (outcome == -2)
        f.outcomes = {LineOutcome::Failed, LineOutcome::Unreachable};
    else if (outcome >= 0)
        f.outcomes = {LineOutcome(outcome)};
    return f;
}

bool OutputFindBar::onlyMatching() const {
    return m_only->isChecked() || filter().hasEventConditions();
}

void OutputFindBar::setText(const QString &text) {
    m_text->setText(text);
    settle();
}

void OutputFindBar::setHost(const QString &host) {
    show();
    m_host->setText(host);
    settle();
}

void OutputFindBar::setStatus(const QString &status) {
    m_status->setText(status);
}

QString OutputFindBar::status() const {
    return m_status->text();
}

void OutputFindBar::activate() {
    show();
    m_text->setFocus();
    m_text->selectAll();
}

void OutputFindBar::changedSoon() {
    m_settle.start();
}

void OutputFindBar::settle() {
    m_settle.stop();
    const OutputFilter now = filter();
    if (now == m_applied && onlyMatching() == m_appliedOnly)
        return;
    m_applied = now;
    m_appliedOnly = onlyMatching();
    Q_EMIT filterChanged();
}

} // namespace playdeck
