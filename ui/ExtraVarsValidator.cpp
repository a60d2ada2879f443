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
    // One parse at a time: typing into a 5 MB document must not start a parse per pause. When it
    // ends and the text has changed meanwhile, the newest text is parsed next.
    if (m_inFlight)
        return;
    m_inFlight = true;
    ++m_parsesStarted;
    const quint64 generation = m_generation;
    QPointer<ExtraVarsValidator> self(this);
    QThreadPool::globalInstance()->start([self, generation, text = m_text] {
        const Result<QJsonObject> parsed = parseExtraVars(text);
        const bool valid = parsed.ok();
        const QString error = valid ? QString() : parsed.error();
        // Delivered on the validator's thread only if it still exists then.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, generation, valid, error] {
                if (self)
                    self->onParsed(generation, valid, error);
            },
            Qt::QueuedConnection);
    });
}

void ExtraVarsValidator::onParsed(quint64 generation, bool valid, const QString &error) {
    m_inFlight = false;
    if (generation != m_generation) {
        if (!m_debounce.isActive())
            run(); // a stale answer: the newest text is waiting for this parse to end
        return;
    }
    m_settledGeneration = generation;
    m_valid = valid;
    m_error = error;
    Q_EMIT settled(valid, error);
}

} // namespace playdeck
