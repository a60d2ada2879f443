#pragma once

#include "Messages.h"
#include "core/Result.h"

#include <QSqlDatabase>

namespace playdeck::bus {

// Sends `message` on the connection `db`. Inside a transaction it is delivered at COMMIT (and not at
// all on ROLLBACK), so a change and its announcement go together. One round trip, no PREPARE.
[[nodiscard]] Status publish(QSqlDatabase &db, const Message &message);

} // namespace playdeck::bus
