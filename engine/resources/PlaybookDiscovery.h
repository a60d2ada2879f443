#pragma once

#include <QStringList>

namespace playdeck {

// The playbooks of a project directory as AWX lists them (Project.playbooks): .yml and .yaml files
// with a line that starts a play ("hosts:" or "import_playbook:") or a vault header, outside hidden
// directories and roles/, tasks/, group_vars/ and host_vars/; paths relative to `dir`, sorted
// without regard to case.
QStringList discoverPlaybooks(const QString &dir);

// Whether `text` (a file's first lines) could be a playbook by AWX's test.
bool couldBePlaybook(const QByteArray &text);

} // namespace playdeck
