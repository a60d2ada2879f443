#include "ExtraVarsValidator.h"

#include "launch/ExtraVars.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>

namespace playdeck {

ExtraVarsValidator::ExtraVarsValidator(QObject *parent)
    : QObject(parent) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &ExtraVarsValidator::run);
}

ExtraVarsValidator::~ExtraVarsValidator() = default;

void ExtraVarsValidator::check(const QString &text, bool now) {
    m_text = text;
    ++m_generation;
    if (now) {
        m_debounce.stop();
        run();
    } else {
        m_debounce.start();
    }
}

void ExtraVarsValidator::run() {
    const quint64 generation = m_generation;
    QPointer<ExtraVarsValidator> self(this);
    QThreadPool::globalInstance()->start([self, generation, text = m_text] {
        const Result<QJsonObject> parsed = parseExtraVars(text);
        const bool valid = parsed.ok();
        const QString error = valid ? QString() : parsed.error();
        // Delivered on the validator's thread only if it still exists then; stale answers are dropped.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, generation, valid, error] {
                if (!self || generation != self->m_generation)
                    return;
                self->m_settledGeneration = generation;
                self->m_valid = valid;
                self->m_error = error;
                Q_EMIT self->settled(valid, error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace playdeck
