#include "Survey.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>
#include <optional>

namespace playdeck {

namespace {

// lupdate files SurveyText::tr's strings under "Survey", the context they are looked up in.
class SurveyText {
    Q_DECLARE_TR_FUNCTIONS(Survey)
};

bool isEmptyAnswer(const QJsonValue &v) {
    return v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty()) ||
           (v.isArray() && v.toArray().isEmpty());
}

std::optional<double> number(const QJsonValue &v) {
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double d = v.toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

std::optional<qint64> bound(const QJsonObject &q, const char *key) {
    const auto n = number(q.value(QLatin1String(key)));
    return n ? std::optional<qint64>(qint64(*n)) : std::nullopt;
}

QStringList textList(const QJsonValue &v) {
    QStringList out;
    if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            out << (item.isDouble() ? QString::number(item.toDouble()) : item.toString());
    } else if (v.isString()) {
        out = v.toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    return out;
}

// The answer to one question, or why it is not one.
Result<QJsonValue> answerOne(const QJsonObject &q, QJsonValue given, const SurveyChoices &choices) {
    const QString type = q.value(QStringLiteral("type")).toString();
    if (isEmptyAnswer(given))
        given = q.value(QStringLiteral("default"));
    if (isEmptyAnswer(given)) {
        // A playbook's vars_prompt left empty: the empty answer that Enter gives at ansible's prompt,
        // so that the run never stops to ask.
        if (q.value(QStringLiteral("vars_prompt")).toBool())
            return QJsonValue(QString());
        if (q.value(QStringLiteral("required")).toBool())
            return Status::failure(SurveyText::tr("an answer is required"));
        return QJsonValue(QJsonValue::Undefined);
    }
    const auto min = bound(q, "min");
    const auto max = bound(q, "max");
    if (type == QLatin1String("integer") || type == QLatin1String("float")) {
        const auto n = number(given);
        if (!n)
            return Status::failure(SurveyText::tr("\"%1\" is not a number").arg(given.toString()));
        if (type == QLatin1String("integer") && *n != std::floor(*n))
            return Status::failure(SurveyText::tr("%1 is not a whole number").arg(*n));
        if ((min && *n < *min) || (max && *n > *max))
            return Status::failure(SurveyText::tr("%1 is not between %2 and %3")
                                       .arg(*n)
                                       .arg(min ? QString::number(*min) : QStringLiteral("…"))
                                       .arg(max ? QString::number(*max) : QStringLiteral("…")));
        return QJsonValue(*n);
    }
    const QStringList offered = surveyChoices(q, choices);
    if (type == QLatin1String("multiplechoice")) {
        const QString answer = given.isDouble() ? QString::number(given.toDouble()) : given.toString();
        if (!offered.contains(answer))
            return Status::failure(SurveyText::tr("\"%1\" is not one of the choices (%2)")
                                       .arg(answer, offered.join(QStringLiteral(", "))));
        return QJsonValue(answer);
    }
    if (type == QLatin1String("multiselect")) {
        const QStringList picked = textList(given);
        for (const QString &p : picked)
            if (!offered.contains(p))
                return Status::failure(SurveyText::tr("\"%1\" is not one of the choices (%2)")
                                           .arg(p, offered.join(QStringLiteral(", "))));
        if (picked.isEmpty() && q.value(QStringLiteral("required")).toBool())
            return Status::failure(SurveyText::tr("pick at least one"));
        return QJsonValue(QJsonArray::fromStringList(picked));
    }
    // text, textarea, password
    if (!given.isString())
        return Status::failure(SurveyText::tr("the answer must be text"));
    const QString text = given.toString();
    if ((min && text.size() < *min) || (max && text.size() > *max))
        return Status::failure(min && max
                                   ? SurveyText::tr("it must be %1 to %2 characters long").arg(*min).arg(*max)
                               : min ? SurveyText::tr("it must be at least %1 characters long").arg(*min)
                                     : SurveyText::tr("it must be at most %1 characters long").arg(*max));
    const QString pattern = q.value(QStringLiteral("regex")).toString();
    if (!pattern.isEmpty()) {
        const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
        if (!re.isValid() || !re.match(text).hasMatch())
            return Status::failure(type == QLatin1String("password")
                                       ? SurveyText::tr("it does not match %1").arg(pattern)
                                       : SurveyText::tr("\"%1\" does not match %2").arg(text, pattern));
    }
    return QJsonValue(text);
}

} // namespace

QStringList surveyChoices(const QJsonObject &question, const SurveyChoices &choices) {
    const QString from = question.value(QStringLiteral("choices_from")).toString();
    if (from == QLatin1String("hosts"))
        return choices.hosts;
    if (from == QLatin1String("groups"))
        return choices.groups;
    return textList(question.value(QStringLiteral("choices")));
}

Result<SurveyAnswers> answerSurvey(const QJsonObject &spec, const QJsonObject &answers,
                                   const SurveyChoices &choices) {
    SurveyAnswers out;
    QStringList problems;
    for (const QJsonValue &item : spec.value(QStringLiteral("spec")).toArray()) {
        const QJsonObject q = item.toObject();
        const QString variable = q.value(QStringLiteral("variable")).toString();
        auto answer = answerOne(q, answers.value(variable), choices);
        if (!answer) {
            problems << SurveyText::tr("%1 (%2): %3")
                            .arg(q.value(QStringLiteral("question_name")).toString(), variable,
                                 answer.error());
            continue;
        }
        if (answer.value().isUndefined())
            continue;
        out.vars.insert(variable, answer.value());
        if (q.value(QStringLiteral("type")).toString() == QLatin1String("password"))
            out.passwordVariables << variable;
    }
    if (!problems.isEmpty())
        return Status::failure(problems.join(QLatin1Char('\n')));
    return out;
}

QString surveyValueText(const QJsonValue &v) {
    if (v.isDouble())
        return QString::number(v.toDouble());
    if (v.isArray()) {
        QStringList items;
        for (const QJsonValue &i : v.toArray())
            items << i.toString();
        return items.join(QLatin1Char('\n'));
    }
    return v.toString();
}

} // namespace playdeck
