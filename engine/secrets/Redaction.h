#pragma once

#include <QJsonObject>
#include <QString>

namespace playdeck {

// AWX's HIDDEN_PASSWORD: what stands in for a secret in job_env, job_args and logs.
inline const QString kHiddenSecret = QStringLiteral("**********");

// The runner's environment with every value that may be a secret replaced: variables whose names
// suggest one (PASSWORD, TOKEN, SECRET, KEY, ...), and passwords inside URLs.
QJsonObject redactEnvironment(const QJsonObject &env);
QString redactUrlPasswords(const QString &text);

} // namespace playdeck
