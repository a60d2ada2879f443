#pragma once

#include "core/Result.h"
#include "launch/ExtraVars.h"

#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <memory>
#include <string>

// The value tree that both syntaxes of extra variables (JSON, YAML) are read into, so that limits,
// key semantics and messages are the same for both.
namespace playdeck::extravars {

// A position in the text, 1-based.
struct Mark {
    qint64 line = 1;
    qint64 column = 1;
};

enum class ScalarType { Null, Bool, Int, Float, String, Merge, Value };

// A scalar after its tag and YAML 1.1 resolution. `Merge` is the `<<` key; `Value` is YAML 1.1's
// `=`, which PyYAML only accepts as a key (where it is the string "=").
struct Scalar {
    ScalarType type = ScalarType::Null;
    bool boolean = false;
    qint64 integer = 0;
    // Kept apart from the JSON value: QJsonValue stores a whole double as an integer, but a float
    // key keeps Python's float spelling ("1.0", "1e+20").
    double number = 0;
    QString text;

    QJsonValue json() const;
};

// Builds the value tree from start/end/scalar/alias steps with an explicit stack, so no input depth
// reaches the C++ stack. Mappings behave as PyYAML's: keys are typed (1, 1.0 and true are one key,
// written as JSON's key text would be: "1"), the last duplicate wins, and `<<` merges as YAML 1.1's
// merge key (PyYAML's flatten_mapping). Every limit of ExtraVarsLimits is enforced here.
class TreeBuilder {
public:
    explicit TreeBuilder(const ExtraVarsLimits &limits);
    ~TreeBuilder();
    TreeBuilder(const TreeBuilder &) = delete;
    TreeBuilder &operator=(const TreeBuilder &) = delete;

    [[nodiscard]] Status beginSequence(const QString &anchor, Mark mark);
    [[nodiscard]] Status beginMapping(const QString &anchor, Mark mark);
    [[nodiscard]] Status end();
    [[nodiscard]] Status scalar(const Scalar &value, qint64 utf8Bytes, const QString &anchor, Mark mark);
    [[nodiscard]] Status alias(const QString &anchor, Mark mark);

    // Where the next node goes, for messages: "servers[2].port", "a key of servers[2]".
    QString where() const;
    // The top-level value once it is complete; null when there was none.
    QJsonValue root() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Messages both syntaxes give.
QString markText(Mark mark);
QString shortened(QStringView text); // at most 40 characters of `text`, for a message
QString nestingMessage(int maxDepth, Mark mark);
QString integerRangeMessage(QStringView literal, const QString &where, Mark mark);
QString notFiniteMessage(QStringView literal, const QString &where, Mark mark);

// ASCII decimal text to the nearest double, as Python's float() rounds it, whatever the C locale.
double decimalToDouble(const std::string &ascii);

} // namespace playdeck::extravars
