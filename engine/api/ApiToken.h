#pragma once

#include "core/Result.h"

#include <QString>

namespace playdeck {

// The token websocket clients show (EventSocketSettings::token): a random secret in the data
// directory (websocket-token, readable by its owner only), made on first use. The user sees it with
// `playdeck websocket-token` and makes a new one with `--rotate`; clients holding the old one are
// refused from the next start of the server on.
[[nodiscard]] Result<QString> readOrCreateApiToken(const QString &dataDir);
[[nodiscard]] Result<QString> rotateApiToken(const QString &dataDir);

} // namespace playdeck
