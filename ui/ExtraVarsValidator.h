#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace playdeck {

// Checks extra-vars text as the operator types, off the GUI thread: the parser is bounded (a hostile
// paste is refused, never a crash), but a large document still takes time that the window must not
// spend. Only the newest text counts; answers for older text are dropped.
class ExtraVarsValidator : public QObject {
    Q_OBJECT
public:
    explicit ExtraVarsValidator(QObject *parent = nullptr);
    ~ExtraVarsValidator() override;

    static constexpr int kDebounceMs = 150;

    // Starts checking `text` after a short pause in typing (at once with `now`).
    void check(const QString &text, bool now = false);
    // Whether the newest text has been checked.
    bool isSettled() const { return m_settledGeneration == m_generation; }
    bool isValid() const { return isSettled() && m_valid; }
    QString error() const { return m_error; }
    // How many parses this validator has started (one at a time, the newest text next).
    int parsesStarted() const { return m_parsesStarted; }

Q_SIGNALS:
    // The newest text has been checked.
    void settled(bool valid, const QString &error);

private:
    void run();
    void onParsed(quint64 generation, bool valid, const QString &error);

    QTimer m_debounce;
    QString m_text;
    quint64 m_generation = 0;
    quint64 m_settledGeneration = 0;
    bool m_valid = true;
    bool m_inFlight = false;
    int m_parsesStarted = 0;
    QString m_error;
};

} // namespace playdeck
