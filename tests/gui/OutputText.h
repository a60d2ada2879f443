#pragma once

#include "JobOutputPane.h"
#include "JobView.h"
#include "OutputLineModel.h"
#include "OutputLinesView.h"

#include <QStringList>

namespace playdeck::test {

// The output a job view holds now, plain, one line per row: rows not loaded yet read empty and ask
// for their page, so call it in a QTRY_ loop. For small jobs.
inline QString outputText(JobView *view) {
    const OutputLineModel *model = view->outputPane()->model();
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row)
        lines << model->index(row, 0).data().toString();
    return lines.join(QLatin1Char('\n'));
}

// The plain text of the view's current line ("" when there is none).
inline QString currentLine(JobView *view) {
    const int row = view->outputPane()->view()->currentRow();
    return row < 0 ? QString() : view->outputPane()->model()->index(row, 0).data().toString();
}

} // namespace playdeck::test
