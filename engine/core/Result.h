#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace playdeck {

// The engine's one error style: a value or a message for the operator. No exceptions cross the
// event loop; callers must look at the result.
class [[nodiscard]] Status {
public:
    Status() = default;
    static Status failure(QString message) { return Status(std::move(message)); }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return *m_error; }

private:
    explicit Status(QString message)
        : m_error(std::move(message)) {}
    std::optional<QString> m_error;
};

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value)
        : m_value(std::move(value)) {}
    Result(Status failure)
        : m_error(failure.error()) {}
    static Result failure(QString message) { return Result(Status::failure(std::move(message))); }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    T take() { return std::move(*m_value); }
    const QString &error() const { return m_error; }
    Status status() const { return ok() ? Status() : Status::failure(m_error); }

private:
    std::optional<T> m_value;
    QString m_error;
};

} // namespace playdeck
