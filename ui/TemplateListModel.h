#pragma once

#include "IdRowsModel.h"
#include "model/JobTemplate.h"

#include <QAbstractListModel>
#include <QTimer>

namespace playdeck {

class Controller;

using TemplateRowsBase = IdRowsModel<QAbstractListModel, JobTemplate>;

// The job templates, in the engine's order, refetched whenever the engine says they changed.
class TemplateListModel : public TemplateRowsBase {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TemplateRole, // the whole JobTemplate
    };

    explicit TemplateListModel(Controller &controller, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    JobTemplate templateAt(int row) const { return m_rows.value(row); }

public Q_SLOTS:
    // Fetches the templates; calls made while a fetch is under way lead to one more fetch after it.
    void refresh();

Q_SIGNALS:
    void refreshed();
    void refreshFailed(const QString &message);

protected:
    bool rowDiffers(const JobTemplate &before, const JobTemplate &after) const override;

private:
    Controller &m_controller;
    static QString lastRunText(const JobTemplate &t);

    bool m_fetching = false;
    bool m_fetchAgain = false;
    QTimer m_jobsChanged;
};

} // namespace playdeck
