#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace playdeck {

// The engine's one error style: a value or a message for the operator. No exceptions cross the
// event loop; callers must look at the result. A failure may carry a machine-readable code (for a
// database error its SQLSTATE) so that callers can tell "the data was refused" from "the database is
// away" without parsing messages.
class [[nodiscard]] Status {
public:
    Status() = default;
    static Status failure(QString message, QString code = {}) {
        return Status(std::move(message), std::move(code));
    }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }
    const QString &code() const { return m_code; }

private:
    Status(QString message, QString code)
        : m_failed(true)
        , m_error(std::move(message))
        , m_code(std::move(code)) {}
    // A flag and a plain string rather than std::optional<QString>: GCC 12 with -fsanitize reports
    // a copied empty optional as "maybe uninitialized".
    bool m_failed = false;
    QString m_error;
    QString m_code;
};

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value)
        : m_value(std::move(value)) {}
    Result(Status failure)
        : m_error(failure.error())
        , m_code(failure.code()) {}
    static Result failure(QString message, QString code = {}) {
        return Result(Status::failure(std::move(message), std::move(code)));
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    T take() { return std::move(*m_value); }
    const QString &error() const { return m_error; }
    const QString &code() const { return m_code; }
    Status status() const { return ok() ? Status() : Status::failure(m_error, m_code); }

private:
    std::optional<T> m_value;
    QString m_error;
    QString m_code;
};

} // namespace playdeck
