#include "IdRowsModel.h"

#include <QAbstractItemModelTester>
#include <QAbstractListModel>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace playdeck;

namespace {

struct Row {
    qint64 id = 0;
    int value = 0;
};

class RowsModel : public IdRowsModel<QAbstractListModel, Row> {
public:
    QVariant data(const QModelIndex &index, int role) const override {
        if (!index.isValid() || role != Qt::DisplayRole)
            return {};
        return QStringLiteral("%1:%2").arg(m_rows[index.row()].id).arg(m_rows[index.row()].value);
    }
    void apply(const QList<Row> &next) { applySnapshot(next); }

protected:
    bool rowDiffers(const Row &before, const Row &after) const override {
        return before.value != after.value;
    }
};

QList<qint64> ids(const QList<Row> &rows) {
    QList<qint64> result;
    for (const Row &row : rows)
        result.append(row.id);
    return result;
}

} // namespace

class TestIdRowsModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void insertAtTopKeepsOtherRows();
    void changedRowsSignalOnlyThem();
    void randomSnapshots();
};

void TestIdRowsModel::insertAtTopKeepsOtherRows() {
    RowsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.apply({{3, 0}, {2, 0}, {1, 0}});
    const QPersistentModelIndex second = model.index(1, 0);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.apply({{5, 0}, {4, 0}, {3, 0}, {2, 0}});
    QCOMPARE(ids(model.rows()), (QList<qint64>{5, 4, 3, 2}));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted[0][1].toInt(), 0);
    QCOMPARE(inserted[0][2].toInt(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(second.row(), 3); // id 2 followed its row
}

void TestIdRowsModel::changedRowsSignalOnlyThem() {
    RowsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.apply({{4, 0}, {3, 0}, {2, 0}, {1, 0}});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.apply({{4, 0}, {3, 1}, {2, 1}, {1, 0}});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 1);
    QCOMPARE(changed[0][1].toModelIndex().row(), 2);
    changed.clear();
    model.apply({{4, 0}, {3, 1}, {2, 1}, {1, 0}});
    QCOMPARE(changed.count(), 0);
}

void TestIdRowsModel::randomSnapshots() {
    RowsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QRandomGenerator random(42);
    QList<Row> current;
    for (int round = 0; round < 1000; ++round) {
        QList<Row> next;
        for (const Row &row : std::as_const(current)) {
            if (random.bounded(10) > 1)
                next.append({row.id, random.bounded(4) ? row.value : row.value + 1});
        }
        const int additions = random.bounded(5);
        for (int k = 0; k < additions; ++k)
            next.insert(random.bounded(int(next.size()) + 1), Row{qint64(round) * 10 + k + 1, 0});
        if (random.bounded(5) == 0 && next.size() > 1)
            std::swap(next[random.bounded(int(next.size()))], next[random.bounded(int(next.size()))]);
        if (random.bounded(20) == 0)
            std::reverse(next.begin(), next.end());

        model.apply(next);
        QCOMPARE(ids(model.rows()), ids(next));
        for (int i = 0; i < next.size(); ++i)
            QCOMPARE(model.rows()[i].value, next[i].value);
        current = next;
    }
    QCOMPARE(resets.count(), 0);
}

QTEST_GUILESS_MAIN(TestIdRowsModel)
#include "tst_idrowsmodel.moc"
