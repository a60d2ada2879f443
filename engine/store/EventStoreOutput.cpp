// The job view's reads of a job's events: its output by line, and its tree of plays, tasks and
// host results.
#include "EventStore.h"

#include "db/Connections.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>

#include <functional>

namespace playdeck {

namespace {

// The SQL condition for one outcome, on the columns of `alias` ("" for the unqualified ones).
QString outcomeCondition(LineOutcome outcome, const QString &alias = {}) {
    QString sql;
    switch (outcome) {
    case LineOutcome::Ok:
        sql = QStringLiteral("(@event IN ('runner_on_ok', 'runner_item_on_ok', 'runner_on_async_ok')"
                             " AND NOT @changed AND NOT @failed)");
        break;
    case LineOutcome::Changed:
        sql = QStringLiteral("(@changed AND NOT @failed)");
        break;
    case LineOutcome::Failed:
        sql = QStringLiteral("(@failed AND @event <> 'runner_on_unreachable')");
        break;
    case LineOutcome::Unreachable:
        sql = QStringLiteral("@event = 'runner_on_unreachable'");
        break;
    case LineOutcome::Skipped:
        sql = QStringLiteral("@event IN ('runner_on_skipped', 'runner_item_on_skipped')");
        break;
    case LineOutcome::None:
        return QStringLiteral("false");
    }
    return sql.replace(QLatin1Char('@'), alias.isEmpty() ? QString() : alias + QLatin1Char('.'));
}

// The filter's conditions on the event (host, play, task, outcomes) as SQL on the columns of
// `alias`, their values appended to `values`; "true" when it has none.
QString eventConditions(const OutputFilter &filter, const QString &alias, QVariantList &values) {
    const QString prefix = alias.isEmpty() ? QString() : alias + QLatin1Char('.');
    QStringList all;
    const auto contains = [&](const char *column, const QString &value) {
        if (value.isEmpty())
            return;
        all << QStringLiteral("%1%2 ILIKE ?").arg(prefix, QLatin1String(column));
        values << likeContains(value);
    };
    contains("host_name", filter.host);
    contains("play", filter.play);
    contains("task", filter.task);
    if (!filter.outcomes.isEmpty()) {
        QStringList any;
        for (const LineOutcome outcome : filter.outcomes)
            any << outcomeCondition(outcome, alias);
        all << QStringLiteral("(%1)").arg(any.join(QLatin1String(" OR ")));
    }
    return all.isEmpty() ? QStringLiteral("true") : all.join(QLatin1String(" AND "));
}

// Runs a page query (ORDER BY along an index, LIMIT) with sorting off for its transaction, so the
// planner walks the index from the page's start and stops after LIMIT rows whatever it believes of
// the job's size. Statistics taken while the job's partition was empty made it read every row after
// the page's start and sort them to keep a page (a 1M-line job: a page 0.6 -> 32 ms, a jump 5 ->
// 87 ms). `read` gets the rows.
Status readAlongIndex(QSqlDatabase &db, const QString &sql, const QVariantList &values,
                      const std::function<void(QSqlQuery &)> &read) {
    return inTransaction<bool>(db,
                               [&]() -> Result<bool> {
                                   if (auto off = exec(db, QStringLiteral("SET LOCAL enable_sort = off"));
                                       !off)
                                       return off.status();
                                   auto q = exec(db, sql, values);
                                   if (!q)
                                       return q.status();
                                   read(q.value());
                                   return true;
                               })
        .status();
}

Result<QString> planOf(QSqlDatabase &db, const QString &sql, const QVariantList &values) {
    // EXPLAIN cannot be prepared: the values go into the text, quoted by the driver (the plans are
    // asked for without a filter, so every '?' is a placeholder).
    QString text = QStringLiteral("EXPLAIN (ANALYZE, TIMING OFF) ");
    qsizetype next = 0;
    for (const QVariant &value : values) {
        const qsizetype mark = sql.indexOf(QLatin1Char('?'), next);
        if (mark < 0)
            return Status::failure(QStringLiteral("more values than placeholders [%1]").arg(sql));
        QSqlField field(QString(), value.metaType());
        field.setValue(value);
        text += QStringView(sql).mid(next, mark - next) + db.driver()->formatValue(field);
        next = mark + 1;
    }
    text += QStringView(sql).mid(next);
    QStringList lines;
    if (Status s = readAlongIndex(db, text, {},
                                  [&lines](QSqlQuery &r) {
                                      while (r.next())
                                          lines << r.value(0).toString();
                                  });
        !s)
        return s;
    return lines.join(QLatin1Char('\n'));
}

// outputEvents' page query and its values.
QString outputEventsSql(qint64 jobId, int afterLine, int limit, const OutputFilter &filter,
                        QVariantList &values) {
    // ORDER BY end_line walks the index from afterLine on and stops after `limit` rows: a jump to
    // any line of a ten-million-line job reads a page, not the job. Events that print no line are
    // skipped, so `limit` events cover at least `limit` lines.
    QString sql =
        QStringLiteral("SELECT counter, start_line, end_line, event, stdout, failed, changed"
                       " FROM job_event WHERE job_id = ? AND end_line > ? AND end_line > start_line");
    values = {jobId, afterLine};
    if (filter.hasEventConditions())
        sql += QStringLiteral(" AND ") + eventConditions(filter, {}, values);
    sql += QStringLiteral(" ORDER BY end_line LIMIT ?");
    values << limit;
    return sql;
}

// eventChildren's page query and its values.
QString eventChildrenSql(qint64 jobId, const QString &parentUuid, int afterCounter, int limit,
                         const OutputFilter &filter, QVariantList &values) {
    // The playbook's node (the root's children are its plays) is among the first events (after
    // ansible's warnings): found along the (job_id, counter) key, and a stream without one (a
    // playbook that did not parse) costs a bounded walk, not the whole job; children, along
    // job_event_children, a page at a time.
    values = {jobId};
    const QString parent =
        parentUuid.isEmpty()
            ? QStringLiteral("(SELECT uuid FROM job_event WHERE job_id = ? AND event = 'playbook_on_start'"
                             " AND counter <= 10000 ORDER BY counter LIMIT 1)")
            : QStringLiteral("?");
    values << (parentUuid.isEmpty() ? QVariant(jobId) : QVariant(parentUuid)) << afterCounter;
    // A loop's item label is read only for item events: a loop's own result holds all its items.
    QString sql =
        QStringLiteral("SELECT e.counter, e.uuid, e.event, e.host_name, e.play, e.task, e.start_line,"
                       " e.end_line, e.failed, e.changed, CASE WHEN e.event LIKE 'runner_item_on_%'"
                       " THEN coalesce(e.event_data->'res'->>'_ansible_item_label', '') ELSE '' END"
                       " FROM job_event e WHERE e.job_id = ? AND e.parent_uuid = %1 AND e.counter > ?"
                       " AND e.event NOT IN ('runner_on_start', 'playbook_on_stats', 'verbose')")
            .arg(parent);
    if (filter.hasEventConditions()) {
        // The results that meet the filter, the tasks that have such a result, and the plays;
        // the rest (includes, "no hosts matched") only when nothing is filtered.
        const QString anyResult = eventConditions(filter, QStringLiteral("c"), values);
        const QString thisResult = eventConditions(filter, QStringLiteral("e"), values);
        sql += QStringLiteral(" AND CASE WHEN e.event IN ('playbook_on_task_start', "
                              "'playbook_on_handler_task_start') THEN EXISTS (SELECT 1 FROM job_event c"
                              " WHERE c.job_id = e.job_id AND c.parent_uuid = e.uuid AND c.event LIKE"
                              " 'runner_%' AND %1) WHEN e.event LIKE 'runner_%' THEN %2"
                              " ELSE e.event = 'playbook_on_play_start' END")
                   .arg(anyResult, thisResult);
    }
    sql += QStringLiteral(" ORDER BY e.counter LIMIT ?");
    values << limit;
    return sql;
}

} // namespace

Result<QString> EventStore::outputEventsPlan(qint64 jobId, int afterLine, int limit) {
    QVariantList values;
    const QString sql = outputEventsSql(jobId, afterLine, limit, {}, values);
    return planOf(m_db, sql, values);
}

Result<QList<OutputEvent>> EventStore::outputEvents(qint64 jobId, int afterLine, int limit,
                                                    const OutputFilter &filter) {
    QVariantList values;
    const QString sql = outputEventsSql(jobId, afterLine, limit, filter, values);
    QList<OutputEvent> out;
    const Status read = readAlongIndex(m_db, sql, values, [&out](QSqlQuery &r) {
        while (r.next()) {
            OutputEvent e;
            e.counter = r.value(0).toInt();
            e.startLine = r.value(1).toInt();
            e.endLine = r.value(2).toInt();
            e.event = r.value(3).toString();
            e.stdout = r.value(4).toString();
            e.failed = r.value(5).toBool();
            e.changed = r.value(6).toBool();
            out.append(std::move(e));
        }
    });
    if (!read)
        return read;
    return out;
}

Result<OutputExtent> EventStore::outputExtent(qint64 jobId) {
    auto q = exec(m_db,
                  QStringLiteral("SELECT coalesce((SELECT end_line FROM job_event WHERE job_id = ?"
                                 " ORDER BY end_line DESC LIMIT 1), 0), counter, created FROM job_event"
                                 " WHERE job_id = ? ORDER BY counter DESC LIMIT 1"),
                  {jobId, jobId});
    if (!q)
        return q.status();
    OutputExtent extent;
    QSqlQuery &r = q.value();
    if (r.next()) {
        extent.lineCount = r.value(0).toInt();
        extent.lastCounter = r.value(1).toInt();
        extent.newestCreated = r.value(2).toDateTime();
    }
    return extent;
}

Result<QString> EventStore::eventChildrenPlan(qint64 jobId, const QString &parentUuid, int afterCounter,
                                              int limit) {
    QVariantList values;
    const QString sql = eventChildrenSql(jobId, parentUuid, afterCounter, limit, {}, values);
    return planOf(m_db, sql, values);
}

Result<QList<EventNode>> EventStore::eventChildren(qint64 jobId, const QString &parentUuid, int afterCounter,
                                                   int limit, const OutputFilter &filter) {
    QVariantList values;
    const QString sql = eventChildrenSql(jobId, parentUuid, afterCounter, limit, filter, values);
    QList<EventNode> nodes;
    const Status read = readAlongIndex(m_db, sql, values, [&nodes](QSqlQuery &r) {
        while (r.next()) {
            EventNode n;
            n.counter = r.value(0).toInt();
            n.uuid = r.value(1).toString();
            n.event = r.value(2).toString();
            n.host = r.value(3).toString();
            n.play = r.value(4).toString();
            n.task = r.value(5).toString();
            n.startLine = r.value(6).toInt();
            n.endLine = r.value(7).toInt();
            n.failed = r.value(8).toBool();
            n.changed = r.value(9).toBool();
            n.itemLabel = r.value(10).toString();
            nodes.append(std::move(n));
        }
    });
    if (!read)
        return read;
    return nodes;
}

Result<EventPath> EventStore::firstResultOf(qint64 jobId, const QString &host) {
    // A failure first, as the recap's reader wants to see why; the event names its play and task.
    auto q =
        exec(m_db,
             QStringLiteral("SELECT counter, coalesce(event_data->>'play_uuid', ''), parent_uuid"
                            " FROM job_event WHERE job_id = ? AND host_name = ? AND event LIKE 'runner_%'"
                            " AND event <> 'runner_on_start'"
                            " ORDER BY (failed OR event = 'runner_on_unreachable') DESC, counter LIMIT 1"),
             {jobId, host});
    if (!q)
        return q.status();
    EventPath path;
    QSqlQuery &r = q.value();
    if (r.next()) {
        path.counter = r.value(0).toInt();
        path.playUuid = r.value(1).toString();
        path.taskUuid = r.value(2).toString();
    }
    return path;
}

} // namespace playdeck
