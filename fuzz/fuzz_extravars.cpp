// libFuzzer target for extra variables: any text that parses must be written by extraVarsYaml and
// read back by parseExtraVars as exactly the same values (types included); nothing may crash, leak,
// hang or grow without bound on the way.
#include "launch/ExtraVars.h"

#include <QByteArray>
#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

namespace {

// Strict and iterative: an integer is not a double, and no depth reaches the C++ stack.
bool sameValues(const QJsonValue &first, const QJsonValue &second) {
    std::vector<std::pair<QJsonValue, QJsonValue>> pending{{first, second}};
    while (!pending.empty()) {
        const auto [a, b] = std::move(pending.back());
        pending.pop_back();
        if (a.type() != b.type())
            return false;
        switch (a.type()) {
        case QJsonValue::Double: {
            const QCborValue x = QCborValue::fromJsonValue(a);
            const QCborValue y = QCborValue::fromJsonValue(b);
            if (x.isInteger() != y.isInteger() ||
                (x.isInteger() ? x.toInteger() != y.toInteger() : x.toDouble() != y.toDouble()))
                return false;
            break;
        }
        case QJsonValue::Bool:
        case QJsonValue::String:
            if (a != b)
                return false;
            break;
        case QJsonValue::Array: {
            const QJsonArray x = a.toArray();
            const QJsonArray y = b.toArray();
            if (x.size() != y.size())
                return false;
            for (qsizetype i = 0; i < x.size(); ++i)
                pending.emplace_back(x.at(i), y.at(i));
            break;
        }
        case QJsonValue::Object: {
            const QJsonObject x = a.toObject();
            const QJsonObject y = b.toObject();
            if (x.size() != y.size())
                return false;
            for (auto i = x.constBegin(), j = y.constBegin(); i != x.constEnd(); ++i, ++j) {
                if (i.key() != j.key())
                    return false;
                pending.emplace_back(i.value(), j.value());
            }
            break;
        }
        default:
            break;
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace playdeck;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    // Smaller alias bounds than the product's, so that what an alias bomb within them expands to is
    // still quick to write and read back; the bounds themselves are the same code.
    ExtraVarsLimits limits;
    limits.maxAliasNodes = 100'000;
    limits.maxAliasBytes = 1 << 20;
    const auto first = parseExtraVars(text, limits);
    if (!first)
        return 0;

    // The last byte picks how the keys are split: all given at launch (unsafe), or every other one
    // from the template (safe); with bit 1, the safe side also has every unsafe key, which must lose.
    const quint8 mode = size ? data[size - 1] : 0;
    QJsonObject safe;
    QJsonObject unsafe;
    bool toSafe = false;
    for (auto it = first.value().constBegin(); it != first.value().constEnd(); ++it) {
        toSafe = !toSafe;
        ((mode & 1) && toSafe ? safe : unsafe).insert(it.key(), it.value());
    }
    if (mode & 2) {
        for (auto it = unsafe.constBegin(); it != unsafe.constEnd(); ++it)
            safe.insert(it.key(), QStringLiteral("{{ overridden }}"));
    }
    const QByteArray yaml = extraVarsYaml(safe, unsafe);

    // The written text has no aliases left, so it can be far longer than what was parsed.
    ExtraVarsLimits writtenLimits;
    writtenLimits.maxDocumentBytes = qsizetype(1) << 30;
    const auto second = parseExtraVars(QString::fromUtf8(yaml), writtenLimits);
    if (!second) {
        std::fprintf(stderr, "written extra vars do not parse: %s\n--- written:\n%s\n",
                     qPrintable(second.error()), yaml.left(4000).constData());
        std::abort();
    }
    if (!sameValues(first.value(), second.value())) {
        std::fprintf(stderr, "written extra vars read back differently\n--- written:\n%s\n",
                     yaml.left(4000).constData());
        std::abort();
    }
    return 0;
}
