#include "InventoryService.h"

#include "ResourceService.h"
#include "db/Connections.h"
#include "db/DbPool.h"
#include "inventory/InventoryReader.h"
#include "store/ResourceStore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPromise>

#include <memory>

namespace playdeck {

namespace {

Result<qint64> inventoryId(QSqlDatabase &db, const QString &name) {
    auto id = ResourceStore::idOf(db, ResourceKind::Inventory, name);
    if (!id)
        return id.status();
    if (id.value() == 0)
        return Status::failure(
            QCoreApplication::translate("Resources", "There is no inventory named \"%1\".").arg(name));
    return id.value();
}

} // namespace

QFuture<Result<InventoryStore::ImportSummary>> InventoryService::importFile(const QString &inventory,
                                                                            const QString &path,
                                                                            bool overwrite,
                                                                            bool overwriteVars) {
    using Answer = Result<InventoryStore::ImportSummary>;
    auto promise = std::make_shared<QPromise<Answer>>();
    promise->start();
    const auto fulfil = [promise](Answer a) {
        promise->addResult(std::move(a));
        promise->finish();
    };
    const QString source = QFileInfo(path).absoluteFilePath();
    QMetaObject::invokeMethod(&m_processContext, [this, inventory, source, overwrite, overwriteVars, fulfil] {
        auto *reader =
            new InventoryReader(source, 120000, QStringLiteral("ansible-inventory"), &m_processContext);
        QObject::connect(
            reader, &InventoryReader::finished, &m_processContext,
            [this, reader, inventory, overwrite, overwriteVars,
             fulfil](const Result<InventoryContent> &content) {
                reader->deleteLater();
                if (!content)
                    return fulfil(content.status());
                const InventoryContent c = content.value();
                whenReady(
                    m_pool.run<Answer>([inventory, c, overwrite, overwriteVars](QSqlDatabase &db) -> Answer {
                        auto id = ResourceStore::idOf(db, ResourceKind::Inventory, inventory);
                        if (!id)
                            return id.status();
                        qint64 target = id.value();
                        if (target == 0) {
                            auto made = resources::create(db, ResourceKind::Inventory,
                                                          {{QStringLiteral("name"), inventory}});
                            if (!made)
                                return made.status();
                            target = made.value().value(QStringLiteral("id")).toInteger();
                        }
                        return InventoryStore(db).importContent(target, 0, c, overwrite, overwriteVars);
                    }),
                    &m_processContext, fulfil);
            });
        reader->start();
    });
    return promise->future();
}

QFuture<Result<InventoryContent>> InventoryService::content(const QString &inventory) {
    return m_pool.run<Result<InventoryContent>>([inventory](QSqlDatabase &db) -> Result<InventoryContent> {
        auto id = inventoryId(db, inventory);
        if (!id)
            return id.status();
        return InventoryStore(db).content(id.value());
    });
}

QFuture<Result<InventoryStore::ImportSummary>>
InventoryService::replaceContent(const QString &inventory, const InventoryContent &content) {
    using Summary = InventoryStore::ImportSummary;
    return m_pool.run<Result<Summary>>([inventory, content](QSqlDatabase &db) -> Result<Summary> {
        if (Status s = checkGroupTree(content); !s)
            return s;
        auto id = inventoryId(db, inventory);
        if (!id)
            return id.status();
        return atomically<Summary>(db, [&]() -> Result<Summary> {
            InventoryStore store(db);
            auto summary = store.importContent(id.value(), 0, content, true, true);
            if (!summary)
                return summary;
            if (Status s = store.setDisabledHosts(id.value(), content.disabledHosts); !s)
                return s;
            return summary;
        });
    });
}

} // namespace playdeck
