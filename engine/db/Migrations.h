#pragma once

#include "core/Result.h"

#include <QSqlDatabase>

namespace playdeck {

// Applies the numbered migrations in :/migrations (NNNN_name.sql), each in its own transaction,
// under an advisory lock so that two processes starting together do not race. A database whose
// schema is newer than this binary is refused.
class Migrations {
public:
    [[nodiscard]] static Status apply(QSqlDatabase &db);
    [[nodiscard]] static int latestVersion();
};

} // namespace playdeck
