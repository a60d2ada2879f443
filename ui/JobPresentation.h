#pragma once

#include "model/Job.h"

#include <QColor>
#include <QDateTime>
#include <QIcon>
#include <QString>

namespace playdeck {

// How a job's state looks in every view, so the job table and the job tabs always agree.

// The status word shown to the operator (the engine's status, translated).
QString statusText(JobStatus status);
// Playdeck's icon (packaging/io.playdeck.Playdeck.svg, drawn here: Debian's Qt reads no SVG icons
// without an extra plugin).
QIcon appIcon();
// `text` as it is, or lighter or darker until it reads on `background` (WCAG contrast 4.5:1), so that
// the fixed status colours stay readable on a dark desktop as on a light one.
QColor readableOn(const QColor &text, const QColor &background);
// The contrast ratio of two colours (1 to 21), as WCAG defines it.
double contrastRatio(const QColor &a, const QColor &b);
// AWX's launch_type, for people: "manual" → "Launched by hand".
QString launchTypeText(const QString &launchType);

// Green successful, red failed/error, orange canceled, blue running, grey pending/waiting/new.
QColor statusColor(JobStatus status);

// A small filled circle in the status colour, for decorations.
QIcon statusIcon(JobStatus status);

// Seconds the job has run: while it runs, counted from `started` to `now`; once finished, the
// engine's figure (or finished - started when the engine has none).
double elapsedSeconds(const JobSummary &job, const QDateTime &now);

// A compact local time: just the time for today, the date and time otherwise; empty if invalid.
QString shortTimestamp(const QDateTime &time);

// "0:00:07", "1:02:03"; days are folded into the hours.
QString formatElapsed(double seconds);

} // namespace playdeck
