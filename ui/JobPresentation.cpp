#include "JobPresentation.h"

#include <QCoreApplication>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace playdeck {

QString statusText(JobStatus status) {
    switch (status) {
    case JobStatus::New:
        return QCoreApplication::translate("JobStatus", "new");
    case JobStatus::Pending:
        return QCoreApplication::translate("JobStatus", "pending");
    case JobStatus::Waiting:
        return QCoreApplication::translate("JobStatus", "waiting");
    case JobStatus::Running:
        return QCoreApplication::translate("JobStatus", "running");
    case JobStatus::Successful:
        return QCoreApplication::translate("JobStatus", "successful");
    case JobStatus::Failed:
        return QCoreApplication::translate("JobStatus", "failed");
    case JobStatus::Error:
        return QCoreApplication::translate("JobStatus", "error");
    case JobStatus::Canceled:
        return QCoreApplication::translate("JobStatus", "canceled");
    }
    return statusName(status);
}

QColor statusColor(JobStatus status) {
    switch (status) {
    case JobStatus::Successful:
        return QColor(0x2e, 0x9e, 0x44);
    case JobStatus::Failed:
    case JobStatus::Error:
        return QColor(0xd3, 0x2f, 0x2f);
    case JobStatus::Canceled:
        return QColor(0xf0, 0x8c, 0x00);
    case JobStatus::Running:
        return QColor(0x1e, 0x6f, 0xd9);
    default:
        return QColor(0x9e, 0x9e, 0x9e);
    }
}

QIcon statusIcon(JobStatus status) {
    constexpr int size = 16;
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(statusColor(status));
    painter.drawEllipse(QRectF(3, 3, size - 6, size - 6));
    painter.end();
    return QIcon(pixmap);
}

double elapsedSeconds(const JobSummary &job, const QDateTime &now) {
    if (!job.started.isValid())
        return 0;
    if (isFinished(job.status)) {
        if (job.elapsed > 0 || !job.finished.isValid())
            return job.elapsed;
        return qMax<qint64>(0, job.started.msecsTo(job.finished)) / 1000.0;
    }
    return qMax<qint64>(0, job.started.msecsTo(now)) / 1000.0;
}

QString shortTimestamp(const QDateTime &time) {
    if (!time.isValid())
        return {};
    const QDateTime local = time.toLocalTime();
    if (local.date() == QDate::currentDate())
        return QLocale().toString(local.time(), QLocale::ShortFormat);
    return QLocale().toString(local, QLocale::ShortFormat);
}

QString formatElapsed(double seconds) {
    const qint64 total = qint64(seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(total / 3600)
        .arg(total / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(total % 60, 2, 10, QLatin1Char('0'));
}

QString launchTypeText(const QString &launchType) {
    if (launchType == QLatin1String("manual"))
        return QCoreApplication::translate("JobPresentation", "By hand");
    if (launchType == QLatin1String("relaunch"))
        return QCoreApplication::translate("JobPresentation", "Relaunch");
    if (launchType == QLatin1String("scheduled"))
        return QCoreApplication::translate("JobPresentation", "On schedule");
    if (launchType == QLatin1String("dependency"))
        return QCoreApplication::translate("JobPresentation", "As a dependency");
    return launchType;
}

QIcon appIcon() {
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 128.0, size / 128.0);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x1f, 0x3a, 0x5f));
        p.drawRoundedRect(QRectF(8, 8, 112, 112), 20, 20);
        p.setBrush(QColor(0x8f, 0xb8, 0xde));
        p.drawRoundedRect(QRectF(24, 30, 80, 12), 4, 4);
        p.drawRoundedRect(QRectF(24, 52, 60, 12), 4, 4);
        p.drawRoundedRect(QRectF(24, 74, 70, 12), 4, 4);
        p.setBrush(QColor(0xf2, 0xc1, 0x4e));
        p.drawPolygon(QPolygonF{QPointF(84, 70), QPointF(108, 86), QPointF(84, 102)});
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

double contrastRatio(const QColor &a, const QColor &b) {
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableOn(const QColor &text, const QColor &background) {
    QColor c = text;
    const bool darkBackground = background.lightnessF() < 0.5;
    for (int step = 0; step < 12 && contrastRatio(c, background) < 4.5; ++step)
        c = darkBackground ? c.lighter(115) : c.darker(115);
    return c;
}

} // namespace playdeck
