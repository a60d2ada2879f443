#pragma once

#include "core/Result.h"
#include "launch/ExtraVars.h"

#include <QByteArray>
#include <QJsonValue>

namespace playdeck::extravars {

// One YAML document (UTF-8) as PyYAML's SafeLoader plus ansible's !unsafe reads it. Null when the
// stream has no document or the document is empty.
[[nodiscard]] Result<QJsonValue> readYaml(const QByteArray &utf8, const ExtraVarsLimits &limits);

} // namespace playdeck::extravars
