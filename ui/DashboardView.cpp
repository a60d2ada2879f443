#include "DashboardView.h"

#include "DashboardModels.h"
#include "JobPresentation.h"

#include "Controller.h"
#include "db/DbPool.h"
#include "services/DashboardService.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLocale>
#include <QStackedBarSeries>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

namespace playdeck {

namespace {

// The statuses of the chart's stacks, bottom to top: what a finished run can end as.
const QList<JobStatus> &chartStatuses() {
    static const QList<JobStatus> statuses{JobStatus::Successful, JobStatus::Failed, JobStatus::Error,
                                           JobStatus::Canceled};
    return statuses;
}

// Failed and error share the status colour; stacked on each other they must still be told apart.
QColor chartColor(JobStatus status) {
    return status == JobStatus::Error ? statusColor(status).darker(160) : statusColor(status);
}

QLabel *sectionTitle(const QString &text, QWidget *parent) {
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QTableView *dashboardTable(QWidget *parent) {
    auto *table = new QTableView(parent);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

// Every column but the stretching one as wide as its contents. ResizeToContents sections are measured
// when columns change, not when rows arrive, so a table filled later would keep its header widths.
void fitColumns(QTableView *table, int stretchColumn) {
    for (int column = 0; column < table->model()->columnCount(); ++column)
        if (column != stretchColumn)
            table->resizeColumnToContents(column);
}

} // namespace

QList<JobStatus> DashboardView::countedStatuses() {
    return chartStatuses() + QList<JobStatus>{JobStatus::Running};
}

DashboardView::DashboardView(Controller &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller) {
    setObjectName(QStringLiteral("dashboardView"));
    setAccessibleName(tr("Dashboard"));

    auto *root = new QVBoxLayout(this);

    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("firstStartHint"));
    m_hint->setAccessibleName(tr("Getting started"));
    m_hint->setTextFormat(Qt::RichText);
    m_hint->setWordWrap(true);
    m_hint->setFrameShape(QFrame::StyledPanel);
    m_hint->setMargin(8);
    m_hint->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_hint->setFocusPolicy(Qt::StrongFocus);
    m_hint->hide();
    connect(m_hint, &QLabel::linkActivated, this, &DashboardView::onHintLink);
    root->addWidget(m_hint);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("dashboardError"));
    m_error->setAccessibleName(tr("Dashboard error"));
    m_error->setWordWrap(true);
    m_error->hide();
    root->addWidget(m_error);

    root->addWidget(buildCounts());
    root->addWidget(buildChart(), 3);

    auto *tables = new QHBoxLayout;
    auto *templatesBox = new QVBoxLayout;
    m_templatesTitle =
        sectionTitle(tr("Success per template, last %1 days").arg(DashboardService::TemplateDays), this);
    templatesBox->addWidget(m_templatesTitle);
    m_templates = new TemplateSuccessModel(this);
    m_templateTable = dashboardTable(this);
    m_templateTable->setObjectName(QStringLiteral("templateSuccess"));
    m_templateTable->setAccessibleName(tr("Success per template"));
    m_templateTable->setModel(m_templates);
    m_templateTable->setItemDelegateForColumn(TemplateSuccessModel::TrendColumn, new TrendDelegate(this));
    m_templateTable->horizontalHeader()->setSectionResizeMode(TemplateSuccessModel::TemplateColumn,
                                                              QHeaderView::Stretch);
    templatesBox->addWidget(m_templateTable);
    tables->addLayout(templatesBox, 1);

    auto *hostsBox = new QVBoxLayout;
    hostsBox->addWidget(
        sectionTitle(tr("Failed hosts, last %1 hours").arg(DashboardService::FailedHostsHours), this));
    m_noFailedHosts = new QLabel(tr("No host failed or was unreachable."), this);
    m_noFailedHosts->setObjectName(QStringLiteral("noFailedHosts"));
    m_noFailedHosts->setAccessibleName(tr("No failed hosts"));
    hostsBox->addWidget(m_noFailedHosts);
    m_hosts = new FailedHostsModel(this);
    m_hostTable = dashboardTable(this);
    m_hostTable->setObjectName(QStringLiteral("failedHostsTable"));
    m_hostTable->setAccessibleName(tr("Failed hosts"));
    m_hostTable->setAccessibleDescription(tr("Activate a row to open its job."));
    m_hostTable->setModel(m_hosts);
    m_hostTable->horizontalHeader()->setSectionResizeMode(FailedHostsModel::TemplateColumn,
                                                          QHeaderView::Stretch);
    connect(m_hostTable, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const qint64 id = index.data(FailedHostsModel::JobIdRole).toLongLong())
            Q_EMIT openJobRequested(id);
    });
    hostsBox->addWidget(m_hostTable);
    tables->addLayout(hostsBox, 1);
    root->addLayout(tables, 2);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(500);
    connect(&m_refreshTimer, &QTimer::timeout, this, &DashboardView::refresh);
    // The windows slide with the clock (the last day, today's bar) while nothing else may happen.
    m_clockTimer.setInterval(60 * 1000);
    connect(&m_clockTimer, &QTimer::timeout, this, &DashboardView::scheduleRefresh);
    m_clockTimer.start();

    connect(&m_controller, &Controller::jobChanged, this, &DashboardView::scheduleRefresh);
    connect(&m_controller, &Controller::resourcesChanged, this, &DashboardView::scheduleRefresh);
    connect(&m_controller, &Controller::resynced, this, &DashboardView::scheduleRefresh);
    connect(&m_controller, &Controller::engineStateChanged, this, [this](Controller::EngineState state) {
        if (state == Controller::EngineState::Ready)
            scheduleRefresh();
    });

    applyPalette();
    // Before the engine has started the read waits in the pool; it is answered once it has.
    refresh();
}

DashboardView::~DashboardView() = default;

QWidget *DashboardView::buildCounts() {
    // Two lines, the counts under the title: in one line the dashboard asked for more width than a
    // laptop screen has in German (tests/gui/tst_german.cpp).
    auto *row = new QWidget(this);
    auto *rows = new QVBoxLayout(row);
    rows->setContentsMargins(0, 0, 0, 0);
    auto *head = new QHBoxLayout;
    auto *layout = new QHBoxLayout;
    rows->addLayout(head);
    rows->addLayout(layout);
    head->addWidget(sectionTitle(tr("Recent runs"), row));

    m_daysCombo = new QComboBox(row);
    m_daysCombo->setObjectName(QStringLiteral("daysCombo"));
    m_daysCombo->setAccessibleName(tr("Period"));
    for (int days : {1, 7, 14, 30})
        m_daysCombo->addItem(days == 1 ? tr("Today") : tr("Last %1 days").arg(days), days);
    m_daysCombo->setCurrentIndex(m_daysCombo->findData(m_days));
    connect(m_daysCombo, &QComboBox::activated, this,
            [this](int index) { setDays(m_daysCombo->itemData(index).toInt()); });
    head->addWidget(m_daysCombo);
    head->addStretch();

    for (JobStatus status : countedStatuses()) {
        auto *button = new QToolButton(row);
        button->setObjectName(QStringLiteral("statusCount_") + statusName(status));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAutoRaise(true);
        button->setIcon(statusIcon(status));
        button->setProperty("count", 0);
        connect(button, &QToolButton::clicked, this, [this, status] { Q_EMIT jobsRequested(status); });
        m_countButtons.insert(int(status), button);
        layout->addWidget(button);
    }
    layout->addStretch();
    applyCounts({});
    return row;
}

QWidget *DashboardView::buildChart() {
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    auto *series = new QStackedBarSeries(m_chart);
    for (JobStatus status : chartStatuses()) {
        auto *set = new QBarSet(statusText(status), series);
        set->setColor(chartColor(status));
        set->setBorderColor(chartColor(status));
        series->append(set);
        m_barSets.append(set);
    }
    m_chart->addSeries(series);
    m_dayAxis = new QBarCategoryAxis(m_chart);
    m_countAxis = new QValueAxis(m_chart);
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setTickType(QValueAxis::TicksDynamic);
    m_countAxis->setTickAnchor(0);
    m_countAxis->setMinorTickCount(0);
    m_chart->addAxis(m_dayAxis, Qt::AlignBottom);
    m_chart->addAxis(m_countAxis, Qt::AlignLeft);
    series->attachAxis(m_dayAxis);
    series->attachAxis(m_countAxis);

    m_chartView = new QChartView(m_chart, this); // takes the chart
    m_chartView->setObjectName(QStringLiteral("runsChart"));
    m_chartView->setAccessibleName(tr("Runs per day by status"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(180);
    return m_chartView;
}

void DashboardView::setDays(int days) {
    days = qBound(1, days, 366);
    if (days == m_days)
        return;
    m_days = days;
    if (const int index = m_daysCombo->findData(days); index >= 0)
        m_daysCombo->setCurrentIndex(index);
    refresh();
}

void DashboardView::scheduleRefresh() {
    // Not restarted on every call: a steady stream of job changes still refreshes twice a second.
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void DashboardView::refresh() {
    m_refreshTimer.stop();
    if (m_fetching) {
        m_fetchAgain = true;
        return;
    }
    m_fetching = true;
    m_fetchAgain = false;
    whenReady(m_controller.dashboard().figures(m_days), this, [this](Result<DashboardFigures> result) {
        m_fetching = false;
        if (result) {
            m_error->hide();
            apply(result.value());
        } else {
            m_error->setText(tr("The dashboard could not be read: %1").arg(result.error()));
            m_error->show();
        }
        if (m_fetchAgain)
            refresh();
        else if (result)
            Q_EMIT refreshed();
    });
}

void DashboardView::apply(const DashboardFigures &figures) {
    m_figures = figures;
    applyCounts(figures.recent);
    applyChart(figures.perDay);
    m_templates->setTemplates(figures.templates, figures.templateWindow);
    m_hosts->setHosts(figures.failedHosts);
    fitColumns(m_templateTable, TemplateSuccessModel::TemplateColumn);
    fitColumns(m_hostTable, FailedHostsModel::TemplateColumn);
    m_noFailedHosts->setVisible(figures.failedHosts.isEmpty());
    applyHint(figures.resources);
}

void DashboardView::applyCounts(const StatusCounts &counts) {
    for (JobStatus status : countedStatuses()) {
        QToolButton *button = m_countButtons.value(int(status));
        const bool active = status == JobStatus::Running;
        const int count = active ? counts.active() : counts.of(status);
        const QString word = active ? tr("active") : statusText(status);
        button->setProperty("count", count);
        button->setText(tr("%1 %2", "a count, then a status").arg(QLocale().toString(count), word));
        button->setAccessibleName(tr("%1 runs %2", "a count, then a status").arg(count).arg(word));
        button->setToolTip(active ? tr("Pending, waiting or running now") : tr("Show these runs"));
    }
}

void DashboardView::applyChart(const QList<DayStatusCounts> &perDay) {
    QStringList categories;
    const QString format = perDay.size() > 7 ? QStringLiteral("d MMM") : QStringLiteral("ddd d");
    for (const DayStatusCounts &d : perDay)
        categories << QLocale().toString(d.day, format);
    if (m_dayAxis->categories() != categories) {
        m_dayAxis->setCategories(categories);
        for (QBarSet *set : std::as_const(m_barSets))
            set->remove(0, set->count());
    }
    int highest = 0;
    QStringList description;
    for (qsizetype day = 0; day < perDay.size(); ++day) {
        const StatusCounts &c = perDay[day].counts;
        QStringList parts;
        for (qsizetype i = 0; i < chartStatuses().size(); ++i) {
            const JobStatus status = chartStatuses()[i];
            QBarSet *set = m_barSets[i];
            if (set->count() <= day)
                set->append(c.of(status));
            else if (set->at(day) != c.of(status))
                set->replace(day, c.of(status));
            if (c.of(status))
                parts << QStringLiteral("%1 %2").arg(c.of(status)).arg(statusText(status));
        }
        int total = 0;
        for (JobStatus status : chartStatuses())
            total += c.of(status);
        highest = qMax(highest, total);
        description << tr("%1: %2").arg(categories[day],
                                        parts.isEmpty() ? tr("no runs") : parts.join(QStringLiteral(", ")));
    }
    // Whole runs only: ticks every `step` runs, the axis ending on one.
    const int step = qMax(1, (highest + 4) / 5);
    m_countAxis->setTickInterval(step);
    m_countAxis->setRange(0, qMax(1, (highest + step - 1) / step) * step);
    m_chartView->setAccessibleDescription(description.join(QStringLiteral("; ")));
}

void DashboardView::applyHint(const ResourceCounts &resources) {
    const FirstStartSteps steps = firstStartSteps(resources);
    m_hint->setVisible(steps.showHint());
    if (!steps.showHint())
        return;
    const auto step = [](int number, const char *link, const QString &action, const QString &why, bool done) {
        const QString text =
            done ? action.toHtmlEscaped()
                 : QStringLiteral("<a href=\"%1\">%2</a>").arg(QLatin1String(link), action.toHtmlEscaped());
        QString line = QStringLiteral("%1. %2: %3").arg(number).arg(text, why.toHtmlEscaped());
        if (done)
            line = QStringLiteral("<s>%1</s> %2").arg(line, tr("(done)").toHtmlEscaped());
        return line;
    };
    const QStringList lines{
        QStringLiteral("<b>%1</b>").arg(tr("Run a playbook of your own in three steps").toHtmlEscaped()),
        step(1, "project", tr("Add a project"), tr("the git repository or directory with your playbooks"),
             steps.projectDone),
        step(2, "inventory", tr("Add an inventory"), tr("the hosts to run them on"), steps.inventoryDone),
        step(3, "template", tr("Add a job template"),
             tr("a playbook of the project on the inventory, ready to launch"), steps.templateDone),
        tr("Until then, the Demo Job Template shows what a run looks like.").toHtmlEscaped(),
    };
    m_hint->setText(lines.join(QStringLiteral("<br>")));
}

void DashboardView::onHintLink(const QString &link) {
    if (link == QLatin1String("project"))
        Q_EMIT startRequested(ResourceKind::Project);
    else if (link == QLatin1String("inventory"))
        Q_EMIT startRequested(ResourceKind::Inventory);
    else if (link == QLatin1String("template"))
        Q_EMIT startRequested(ResourceKind::JobTemplate);
}

void DashboardView::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void DashboardView::applyPalette() {
    // The chart's own themes know nothing of the desktop's palette: hand it the window's colours.
    const QPalette p = palette();
    m_chart->setBackgroundBrush(p.brush(QPalette::Base));
    m_chart->setBackgroundPen(QPen(p.color(QPalette::Mid)));
    m_chart->legend()->setLabelColor(p.color(QPalette::Text));
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_dayAxis), static_cast<QAbstractAxis *>(m_countAxis)}) {
        axis->setLabelsColor(p.color(QPalette::Text));
        axis->setLinePenColor(p.color(QPalette::Mid));
        axis->setGridLineColor(p.color(QPalette::Midlight));
    }
    m_chartView->setBackgroundBrush(p.brush(QPalette::Window));
}

} // namespace playdeck
