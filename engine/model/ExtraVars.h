#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QString>

namespace playdeck {

// Extra variables as the operator writes them: a YAML or JSON mapping (empty text = no variables).
// Anything else is refused with a message that says where the text is wrong.
[[nodiscard]] Result<QJsonObject> parseExtraVars(const QString &text);

// The env/extravars file for ansible-runner: `safe` values are written as they are; every key and
// string in `unsafe` (values given at launch time) is tagged !unsafe so Jinja never evaluates it.
QByteArray extraVarsYaml(const QJsonObject &safe, const QJsonObject &unsafe);

} // namespace playdeck
