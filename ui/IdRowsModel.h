#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace playdeck {

// Rows of value type `Row`, each with a unique `qint64 id`, that are replaced by fresh snapshots from
// the engine. A snapshot is applied as removals, insertions, moves and dataChanged, never as a
// reset, so views keep their selection, current index and scroll position.
template <typename Base, typename Row> class IdRowsModel : public Base {
public:
    using Base::Base;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    const QList<Row> &rows() const { return m_rows; }

    // The row holding `id`, or -1.
    int rowOfId(qint64 id) const {
        for (int row = 0; row < m_rows.size(); ++row) {
            if (m_rows[row].id == id)
                return row;
        }
        return -1;
    }

protected:
    // Whether a row with the same id must be redrawn.
    virtual bool rowDiffers(const Row &before, const Row &after) const = 0;

    void applySnapshot(const QList<Row> &next) {
        const QModelIndex root;

        // 1. Remove rows that are gone, bottom-up, in contiguous ranges.
        QSet<qint64> nextIds;
        nextIds.reserve(next.size());
        for (const Row &row : next)
            nextIds.insert(row.id);
        for (int last = int(m_rows.size()) - 1; last >= 0;) {
            if (nextIds.contains(m_rows[last].id)) {
                --last;
                continue;
            }
            int first = last;
            while (first > 0 && !nextIds.contains(m_rows[first - 1].id))
                --first;
            this->beginRemoveRows(root, first, last);
            m_rows.remove(first, last - first + 1);
            this->endRemoveRows();
            last = first - 1;
        }

        // 2. Walk the snapshot: rows before `i` are final, so insertions and moves only touch i and
        // beyond.
        QSet<qint64> present;
        present.reserve(m_rows.size());
        for (const Row &row : std::as_const(m_rows))
            present.insert(row.id);
        QList<int> changed;
        for (int i = 0; i < next.size();) {
            if (i < m_rows.size() && m_rows[i].id == next[i].id) {
                if (rowDiffers(m_rows[i], next[i])) {
                    m_rows[i] = next[i];
                    changed.append(i);
                }
                ++i;
                continue;
            }
            if (!present.contains(next[i].id)) {
                int last = i;
                while (last + 1 < next.size() && !present.contains(next[last + 1].id))
                    ++last;
                this->beginInsertRows(root, i, last);
                for (int k = i; k <= last; ++k)
                    m_rows.insert(k, next[k]);
                this->endInsertRows();
                i = last + 1;
                continue;
            }
            // The row exists further down: the order changed.
            int from = i + 1;
            while (m_rows[from].id != next[i].id)
                ++from;
            this->beginMoveRows(root, from, from, root, i);
            m_rows.move(from, i);
            this->endMoveRows();
        }

        // 3. One dataChanged per contiguous range of changed rows.
        const int lastColumn = static_cast<const QAbstractItemModel *>(this)->columnCount(root) - 1;
        for (qsizetype k = 0; k < changed.size();) {
            qsizetype end = k;
            while (end + 1 < changed.size() && changed[end + 1] == changed[end] + 1)
                ++end;
            Q_EMIT this->dataChanged(this->index(changed[k], 0), this->index(changed[end], lastColumn));
            k = end + 1;
        }
    }

    // For rows whose content changes without a new snapshot (a clock, say).
    void emitRowsChanged(int firstRow, int lastRow, int firstColumn, int lastColumn) {
        Q_EMIT this->dataChanged(this->index(firstRow, firstColumn), this->index(lastRow, lastColumn));
    }

    QList<Row> m_rows;
};

} // namespace playdeck
