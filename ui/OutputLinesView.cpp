#include "OutputLinesView.h"

#include "AnsiText.h"
#include "OutputLineModel.h"
#include "events/OutputLines.h"

#include <QAbstractItemModel>
#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>
#include <QTimer>

namespace playdeck {

namespace {

constexpr int TextMargin = 6;
constexpr int MarkWidth = 3;

} // namespace

OutputLinesView::OutputLinesView(QWidget *parent)
    : QAbstractScrollArea(parent) {
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    viewport()->setCursor(Qt::IBeamCursor);
    verticalScrollBar()->setSingleStep(1);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
}

void OutputLinesView::setModel(QAbstractItemModel *model) {
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_model = model;
    m_current = m_anchor = -1;
    m_widest = 0;
    if (model) {
        const auto repaint = [this] { viewport()->update(); };
        m_connections << connect(model, &QAbstractItemModel::rowsInserted, this,
                                 &OutputLinesView::onRowsInserted)
                      << connect(model, &QAbstractItemModel::dataChanged, this, repaint)
                      << connect(model, &QAbstractItemModel::layoutChanged, this, repaint)
                      << connect(model, &QAbstractItemModel::rowsRemoved, this,
                                 [this] {
                                     m_current = qMin(m_current, m_model->rowCount() - 1);
                                     m_anchor = qMin(m_anchor, m_current);
                                     updateScrollBars();
                                     viewport()->update();
                                 })
                      << connect(model, &QAbstractItemModel::modelReset, this, [this] {
                             m_current = m_anchor = -1;
                             updateScrollBars();
                             if (m_following)
                                 scrollToBottom();
                             viewport()->update();
                         });
    }
    updateScrollBars();
    if (m_following)
        scrollToBottom();
    viewport()->update();
}

int OutputLinesView::topRow() const {
    return verticalScrollBar()->value();
}

int OutputLinesView::lineHeight() const {
    return qMax(1, fontMetrics().lineSpacing());
}

int OutputLinesView::pageRows() const {
    return qMax(1, viewport()->height() / lineHeight());
}

int OutputLinesView::gutterWidth() const {
    int last = 1;
    if (m_model && m_model->rowCount() > 0)
        last = m_model->index(m_model->rowCount() - 1, 0).data(OutputLineModel::LineNumberRole).toInt();
    const int digits = qMax(4, int(QString::number(qMax(1, last)).size()));
    return MarkWidth + 4 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits + TextMargin;
}

std::pair<int, int> OutputLinesView::selectedRows() const {
    if (m_current < 0)
        return {-1, -1};
    const int anchor = m_anchor < 0 ? m_current : m_anchor;
    return {qMin(anchor, m_current), qMax(anchor, m_current)};
}

void OutputLinesView::setHighlight(const QRegularExpression &pattern) {
    m_highlight = pattern;
    viewport()->update();
}

void OutputLinesView::layoutRow(QTextLayout &layout, int row, qreal width) const {
    const QModelIndex index = m_model->index(row, 0);
    const QString ansi = index.data(OutputLineModel::AnsiTextRole).toString();
    const QList<AnsiRun> runs = parseAnsi(ansi);
    QString plain;
    QList<QTextLayout::FormatRange> formats;
    for (const AnsiRun &run : runs) {
        if (!run.format.properties().isEmpty())
            formats.append({int(plain.size()), int(run.text.size()), run.format});
        plain += run.text;
    }
    if (m_highlight.isValid() && !m_highlight.pattern().isEmpty()) {
        QTextCharFormat found;
        found.setBackground(QColor(0xff, 0xe0, 0x66));
        found.setForeground(Qt::black);
        for (auto it = m_highlight.globalMatch(plain); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            if (m.capturedLength() > 0)
                formats.append({int(m.capturedStart()), int(m.capturedLength()), found});
        }
    }
    layout.setText(plain);
    layout.setFont(font());
    layout.setFormats(formats);
    QTextOption option;
    option.setWrapMode(m_wrap ? QTextOption::WrapAtWordBoundaryOrAnywhere : QTextOption::NoWrap);
    layout.setTextOption(option);
    layout.beginLayout();
    qreal y = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(m_wrap ? width : 1e7);
        line.setPosition(QPointF(0, y));
        y += m_wrap ? line.height() : lineHeight();
        if (!m_wrap)
            break;
    }
    layout.endLayout();
}

void OutputLinesView::paintEvent(QPaintEvent *) {
    QPainter painter(viewport());
    if (!m_model)
        return;
    const int rows = m_model->rowCount();
    const int gutter = gutterWidth();
    const int height = viewport()->height();
    const qreal textWidth = qMax(40, viewport()->width() - gutter - TextMargin);
    const QPalette pal = palette();
    const auto [selFirst, selLast] = selectedRows();
    const bool hasSelection = selFirst >= 0 && selLast > selFirst;
    const QColor numberColor = pal.color(QPalette::PlaceholderText);
    QColor selected = pal.color(QPalette::Highlight);
    selected.setAlpha(60);
    QColor current = pal.color(QPalette::Highlight);
    current.setAlpha(hasFocus() ? 35 : 20);
    const int dx = m_wrap ? 0 : horizontalScrollBar()->value();
    int widest = m_widest;
    int y = 0;
    painter.fillRect(QRect(0, 0, gutter - TextMargin / 2, height), pal.color(QPalette::AlternateBase));
    for (int row = topRow(); row < rows && y < height; ++row) {
        QTextLayout layout;
        layoutRow(layout, row, textWidth);
        const int rowHeight =
            m_wrap ? qMax(lineHeight(), int(std::ceil(layout.boundingRect().height()))) : lineHeight();
        const QRect band(0, y, viewport()->width(), rowHeight);
        if (row >= selFirst && row <= selLast)
            painter.fillRect(band, row == m_current && !hasSelection ? current : selected);

        const QModelIndex index = m_model->index(row, 0);
        const QColor mark = outcomeColor(LineOutcome(index.data(OutputLineModel::OutcomeRole).toInt()));
        if (mark.isValid())
            painter.fillRect(QRect(0, y, MarkWidth, rowHeight), mark);
        painter.setPen(numberColor);
        painter.drawText(QRect(MarkWidth, y, gutter - MarkWidth - TextMargin, lineHeight()),
                         Qt::AlignRight | Qt::AlignVCenter,
                         QString::number(index.data(OutputLineModel::LineNumberRole).toInt()));
        painter.setPen(pal.color(QPalette::Text));
        painter.save();
        painter.setClipRect(QRect(gutter, y, viewport()->width() - gutter, rowHeight));
        layout.draw(&painter, QPointF(gutter - dx, y));
        painter.restore();
        if (!m_wrap && layout.lineCount() > 0)
            widest = qMax(widest, int(std::ceil(layout.lineAt(0).naturalTextWidth())));
        y += rowHeight;
    }
    if (widest > m_widest) {
        m_widest = widest;
        QTimer::singleShot(0, this, &OutputLinesView::updateScrollBars);
    }
}

int OutputLinesView::bottomTopRow() const {
    if (!m_model)
        return 0;
    const int rows = m_model->rowCount();
    if (!m_wrap)
        return qMax(0, rows - pageRows());
    const qreal width = qMax(40, viewport()->width() - gutterWidth() - TextMargin);
    int used = 0;
    int row = rows - 1;
    for (; row >= 0; --row) {
        QTextLayout layout;
        layoutRow(layout, row, width);
        used += qMax(lineHeight(), int(std::ceil(layout.boundingRect().height())));
        if (used > viewport()->height())
            return qMin(rows - 1, row + 1);
    }
    return 0;
}

void OutputLinesView::updateScrollBars() {
    QScrollBar *v = verticalScrollBar();
    const bool wasAtBottom = v->value() >= v->maximum();
    v->setPageStep(pageRows());
    m_autoScrolling = true;
    v->setRange(0, bottomTopRow());
    m_autoScrolling = false;
    if (m_following && wasAtBottom)
        scrollToBottom();
    QScrollBar *h = horizontalScrollBar();
    const int textWidth = viewport()->width() - gutterWidth() - TextMargin;
    h->setPageStep(qMax(1, textWidth));
    h->setSingleStep(fontMetrics().horizontalAdvance(QLatin1Char('9')) * 4);
    h->setRange(0, m_wrap ? 0 : qMax(0, m_widest - textWidth + TextMargin));
}

void OutputLinesView::onRowsInserted() {
    updateScrollBars();
    if (m_following)
        scrollToBottom();
    viewport()->update();
}

void OutputLinesView::scrollToBottom() {
    m_autoScrolling = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_autoScrolling = false;
}

void OutputLinesView::scrollContentsBy(int, int) {
    // Any move away from the bottom that the view did not make itself is the operator reading.
    QScrollBar *v = verticalScrollBar();
    if (!m_autoScrolling && m_following && v->value() < v->maximum())
        setFollowing(false);
    viewport()->update();
}

void OutputLinesView::setFollowing(bool follow) {
    if (follow == m_following) {
        if (follow)
            scrollToBottom();
        return;
    }
    m_following = follow;
    if (follow)
        scrollToBottom();
    Q_EMIT followingChanged(follow);
}

void OutputLinesView::setWrap(bool wrap) {
    if (wrap == m_wrap)
        return;
    m_wrap = wrap;
    const int keep = topRow();
    updateScrollBars();
    if (m_following)
        scrollToBottom();
    else
        verticalScrollBar()->setValue(keep);
    viewport()->update();
}

void OutputLinesView::scrollToRow(int row) {
    if (!m_model || row < 0)
        return;
    const int top = topRow();
    if (row >= top && row < top + pageRows() - (m_wrap ? pageRows() / 2 : 0))
        return;
    verticalScrollBar()->setValue(qMax(0, row - pageRows() / 2));
}

void OutputLinesView::setCurrentRow(int row, bool extendSelection) {
    if (!m_model || m_model->rowCount() == 0)
        return;
    row = qBound(0, row, m_model->rowCount() - 1);
    if (!extendSelection || m_anchor < 0)
        m_anchor = row;
    const bool changed = row != m_current;
    m_current = row;
    scrollToRow(row);
    viewport()->update();
    if (changed)
        Q_EMIT currentRowChanged(row);
}

int OutputLinesView::rowAt(int y) const {
    if (!m_model)
        return -1;
    if (!m_wrap)
        return qMin(m_model->rowCount() - 1, topRow() + qMax(0, y) / lineHeight());
    const qreal width = qMax(40, viewport()->width() - gutterWidth() - TextMargin);
    int top = 0;
    const int rows = m_model->rowCount();
    for (int row = topRow(); row < rows; ++row) {
        QTextLayout layout;
        layoutRow(layout, row, width);
        top += qMax(lineHeight(), int(std::ceil(layout.boundingRect().height())));
        if (y < top)
            return row;
    }
    return rows - 1;
}

void OutputLinesView::keyPressEvent(QKeyEvent *event) {
    if (!m_model) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    if (event->matches(QKeySequence::Copy)) {
        copy();
        return;
    }
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    const int current = m_current < 0 ? topRow() : m_current;
    const int last = m_model->rowCount() - 1;
    switch (event->key()) {
    case Qt::Key_Up:
        setCurrentRow(current - 1, shift);
        return;
    case Qt::Key_Down:
        setCurrentRow(current + 1, shift);
        return;
    case Qt::Key_PageUp:
        setCurrentRow(current - pageRows(), shift);
        return;
    case Qt::Key_PageDown:
        setCurrentRow(current + pageRows(), shift);
        return;
    case Qt::Key_Home:
        setCurrentRow(0, shift);
        return;
    case Qt::Key_End:
        setCurrentRow(last, shift);
        setFollowing(true);
        return;
    case Qt::Key_Left:
        horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
        return;
    case Qt::Key_Right:
        horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_current >= 0)
            Q_EMIT activated(m_current);
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void OutputLinesView::mousePressEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton || !m_model)
        return QAbstractScrollArea::mousePressEvent(event);
    setFocus(Qt::MouseFocusReason);
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0)
        setCurrentRow(row, event->modifiers() & Qt::ShiftModifier);
}

void OutputLinesView::mouseMoveEvent(QMouseEvent *event) {
    if (!(event->buttons() & Qt::LeftButton) || !m_model)
        return QAbstractScrollArea::mouseMoveEvent(event);
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0)
        setCurrentRow(row, true);
}

void OutputLinesView::mouseDoubleClickEvent(QMouseEvent *event) {
    const int row = m_model ? rowAt(event->position().toPoint().y()) : -1;
    if (row >= 0 && event->button() == Qt::LeftButton) {
        setCurrentRow(row);
        Q_EMIT activated(row);
    }
}

void OutputLinesView::resizeEvent(QResizeEvent *event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void OutputLinesView::changeEvent(QEvent *event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateScrollBars();
}

void OutputLinesView::copy() {
    const auto [first, last] = selectedRows();
    if (!m_model || first < 0)
        return;
    QPointer<OutputLinesView> self(this);
    const auto put = [self](const QStringList &lines) {
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
        if (self)
            Q_EMIT self->copied(int(lines.size()));
    };
    if (auto *lines = qobject_cast<OutputLineModel *>(m_model.data())) {
        lines->whenLoaded(first, last, put);
        return;
    }
    QStringList text;
    for (int row = first; row <= last; ++row)
        text << m_model->index(row, 0).data().toString();
    put(text);
}

} // namespace playdeck
