#include "EventTree.h"

namespace playdeck {

EventNodeKind eventNodeKind(const QString &event) {
    if (event == QLatin1String("playbook_on_play_start"))
        return EventNodeKind::Play;
    if (event == QLatin1String("playbook_on_task_start") ||
        event == QLatin1String("playbook_on_handler_task_start"))
        return EventNodeKind::Task;
    if (event.startsWith(QLatin1String("runner_")))
        return EventNodeKind::Result;
    return EventNodeKind::Other;
}

} // namespace playdeck
