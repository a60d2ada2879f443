#pragma once

#include <QAbstractScrollArea>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QRegularExpression>

class QAbstractItemModel;
class QTextLayout;

namespace playdeck {

// Shows a job's output a screen at a time from an OutputLineModel: a gutter of line numbers and
// outcome marks, the text in its ANSI colours, and the matches of a search highlighted. It reads
// only the rows on screen, so it costs the same for ten lines as for ten million. The vertical
// scroll bar counts rows (the top row is its value); with wrapping a row may take several lines.
class OutputLinesView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit OutputLinesView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model);
    QAbstractItemModel *model() const { return m_model; }

    int topRow() const;
    // Rows that fit on screen (without wrapping).
    int pageRows() const;
    int currentRow() const { return m_current; }
    // The selected rows, first to last (the current row alone when nothing else is).
    std::pair<int, int> selectedRows() const;
    bool isFollowing() const { return m_following; }
    bool wraps() const { return m_wrap; }

    // What to highlight (invalid or empty: nothing).
    void setHighlight(const QRegularExpression &pattern);

public Q_SLOTS:
    // Makes `row` current and scrolls it into view (centred when it was off screen).
    void setCurrentRow(int row, bool extendSelection = false);
    void scrollToRow(int row);
    void setFollowing(bool follow);
    void setWrap(bool wrap);
    // Puts the selected rows' text on the clipboard (once loaded).
    void copy();

Q_SIGNALS:
    void followingChanged(bool following);
    void currentRowChanged(int row);
    // Enter or a double click on a row.
    void activated(int row);
    // Selected text went to the clipboard (row count).
    void copied(int rows);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void changeEvent(QEvent *event) override;

private:
    void layoutRow(QTextLayout &layout, int row, qreal width) const;
    int rowAt(int y) const;
    void updateScrollBars();
    void scrollToBottom();
    int bottomTopRow() const;
    int gutterWidth() const;
    int lineHeight() const;
    void onRowsInserted();

    QPointer<QAbstractItemModel> m_model;
    int m_current = -1;
    int m_anchor = -1;
    bool m_following = true;
    bool m_wrap = false;
    bool m_autoScrolling = false;
    int m_widest = 0; // the widest line painted so far, for the horizontal scroll bar
    QRegularExpression m_highlight;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace playdeck
