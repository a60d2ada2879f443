#pragma once

#include "events/OutputLines.h"

#include <QList>
#include <QString>

namespace playdeck {

// A job's events as a tree, the way ansible-runner links them by parent_uuid: the playbook's
// children are its plays, a play's are its tasks (and handlers), a task's are its host results,
// a loop's items among them.
enum class EventNodeKind : quint8 { Play, Task, Result, Other };
EventNodeKind eventNodeKind(const QString &event);

// The columns of one event that a tree node shows.
struct EventNode {
    int counter = 0;
    QString uuid;
    QString event;
    QString host;
    QString play;
    QString task;
    QString itemLabel; // a loop item's label (_ansible_item_label), else empty
    int startLine = 0;
    int endLine = 0;
    bool failed = false;
    bool changed = false;

    EventNodeKind kind() const { return eventNodeKind(event); }
    LineOutcome outcome() const { return lineOutcome(event, failed, changed); }
};

// A host's result and the nodes above it: what a link into the tree opens.
struct EventPath {
    int counter = 0;  // 0: the host has no result
    QString playUuid; // the play's node
    QString taskUuid; // the task's node
};

} // namespace playdeck
