#include "ResourceSummary.h"

#include <QCoreApplication>

namespace playdeck {

QString resourceSummary(ResourceKind kind, const QJsonObject &r) {
    const auto text = [&r](const char *field) { return r.value(QLatin1String(field)).toString(); };
    switch (kind) {
    case ResourceKind::Project:
        return text("scm_type").isEmpty()
                   ? text("local_path")
                   : QStringLiteral("%1 %2").arg(text("scm_url"), text("scm_revision").left(12)).trimmed();
    case ResourceKind::Inventory:
        return QCoreApplication::translate("Resources", "%1 hosts, %2 groups")
            .arg(r.value(QStringLiteral("total_hosts")).toInteger())
            .arg(r.value(QStringLiteral("total_groups")).toInteger());
    case ResourceKind::InventorySource:
        return QStringLiteral("%1 %2").arg(text("inventory"), text("source_path"));
    case ResourceKind::Credential:
        return credentialKind(text("kind")).value_or(CredentialKindSpec{}).awxName;
    case ResourceKind::JobTemplate:
        return QStringLiteral("%1 %2").arg(text("project"), text("playbook"));
    }
    return {};
}

} // namespace playdeck
