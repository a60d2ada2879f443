#include "JobFilterBar.h"

#include "JobListModel.h"
#include "JobPresentation.h"
#include "TemplateListModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QToolButton>

namespace playdeck {

namespace {

// The status filter's entries: a label and the statuses it stands for.
QList<std::pair<QString, QList<JobStatus>>> statusChoices() {
    return {{JobFilterBar::tr("All statuses"), {}},
            {JobFilterBar::tr("Active"), {JobStatus::Pending, JobStatus::Waiting, JobStatus::Running}},
            {statusText(JobStatus::Successful), {JobStatus::Successful}},
            {statusText(JobStatus::Failed), {JobStatus::Failed}},
            {statusText(JobStatus::Error), {JobStatus::Error}},
            {statusText(JobStatus::Canceled), {JobStatus::Canceled}}};
}

} // namespace

JobFilterBar::JobFilterBar(JobListModel &jobs, TemplateListModel &templates, QWidget *parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_templates(templates) {
    setObjectName(QStringLiteral("jobFilterBar"));
    m_status = new QComboBox;
    m_status->setObjectName(QStringLiteral("jobStatusFilter"));
    m_status->setAccessibleName(tr("Jobs of status"));
    const auto choices = statusChoices();
    for (int i = 0; i < choices.size(); ++i)
        m_status->addItem(choices[i].first, i);
    m_template = new QComboBox;
    m_template->setObjectName(QStringLiteral("jobTemplateFilter"));
    m_template->setAccessibleName(tr("Jobs of template"));
    m_template->addItem(tr("All templates"), QString());
    m_template->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_template->setMinimumContentsLength(10);
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("jobSearch"));
    m_search->setPlaceholderText(tr("Search jobs"));
    m_search->setAccessibleName(tr("Search jobs by name, explanation or id"));
    m_search->setClearButtonEnabled(true);
    m_newer = new QToolButton;
    m_newer->setObjectName(QStringLiteral("jobsNewer"));
    m_newer->setArrowType(Qt::LeftArrow);
    m_newer->setAccessibleName(tr("Previous page of jobs"));
    m_newer->setToolTip(tr("Previous page"));
    m_older = new QToolButton;
    m_older->setObjectName(QStringLiteral("jobsOlder"));
    m_older->setArrowType(Qt::RightArrow);
    m_older->setAccessibleName(tr("Next page of jobs"));
    m_older->setToolTip(tr("Next page"));
    m_pageLabel = new QLabel;
    m_pageLabel->setObjectName(QStringLiteral("jobsPageLabel"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_template);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_newer);
    layout->addWidget(m_pageLabel);
    layout->addWidget(m_older);

    m_typing.setSingleShot(true);
    m_typing.setInterval(250);
    connect(&m_typing, &QTimer::timeout, this, &JobFilterBar::apply);
    connect(m_search, &QLineEdit::textChanged, &m_typing, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &JobFilterBar::apply);
    connect(m_status, &QComboBox::currentIndexChanged, this, &JobFilterBar::apply);
    connect(m_template, &QComboBox::currentIndexChanged, this, &JobFilterBar::apply);
    connect(m_newer, &QToolButton::clicked, this, [this] { page(-1); });
    connect(m_older, &QToolButton::clicked, this, [this] { page(1); });
    connect(&m_jobs, &JobListModel::refreshed, this, &JobFilterBar::updatePage);
    connect(&m_templates, &TemplateListModel::refreshed, this, &JobFilterBar::fillTemplates);
    updatePage();
}

void JobFilterBar::fillTemplates() {
    const QString current = m_template->currentData().toString();
    const QSignalBlocker quiet(m_template);
    while (m_template->count() > 1)
        m_template->removeItem(1);
    for (int row = 0; row < m_templates.rowCount(); ++row) {
        const QString name = m_templates.templateAt(row).name;
        m_template->addItem(name, name);
    }
    m_template->setCurrentIndex(std::max(0, m_template->findData(current)));
}

void JobFilterBar::apply() {
    m_typing.stop();
    JobQuery q = m_jobs.query();
    q.statuses = statusChoices().value(m_status->currentData().toInt()).second;
    q.name = m_template->currentData().toString();
    q.text = m_search->text().trimmed();
    q.offset = 0; // another filter: its first page
    m_jobs.setQuery(q);
}

void JobFilterBar::page(int direction) {
    JobQuery q = m_jobs.query();
    q.offset = std::max(0, q.offset + direction * JobListModel::FetchLimit);
    if (q.offset >= m_jobs.total() && direction > 0)
        return;
    m_jobs.setQuery(q);
}

void JobFilterBar::updatePage() {
    const int offset = m_jobs.query().offset;
    const int shown = m_jobs.rowCount();
    const QLocale locale;
    m_pageLabel->setText(shown == 0 ? tr("no jobs")
                                    : tr("%1–%2 of %3")
                                          .arg(locale.toString(offset + 1), locale.toString(offset + shown),
                                               locale.toString(m_jobs.total())));
    m_newer->setEnabled(offset > 0);
    m_older->setEnabled(offset + shown < m_jobs.total());
}

} // namespace playdeck
