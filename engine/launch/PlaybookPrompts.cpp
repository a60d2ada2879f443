#include "PlaybookPrompts.h"

#include "ExtraVars.h"
#include "YamlReader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

namespace playdeck {

namespace {

// lupdate files PlaybookPromptsText::tr's strings under "PlaybookPrompts", the context they are looked up in.
class PlaybookPromptsText {
    Q_DECLARE_TR_FUNCTIONS(PlaybookPrompts)
};

// A playbook file's plays, ansible's way of reading them: a YAML list.
Result<QJsonValue> readPlays(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::failure(
            PlaybookPromptsText::tr("%1 cannot be read: %2").arg(path, file.errorString()));
    ExtraVarsLimits limits;
    limits.maxDocumentBytes = 4 * 1024 * 1024;
    auto plays = extravars::readYaml(file.readAll(), limits);
    if (!plays)
        return Status::failure(
            PlaybookPromptsText::tr("%1 is not YAML that Playdeck reads: %2").arg(path, plays.error()));
    return plays;
}

QString scalarText(const QJsonValue &v) {
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble());
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

QJsonObject questionOf(const QJsonObject &prompt) {
    const QString name = prompt.value(QLatin1String("name")).toString();
    const QString text = prompt.value(QLatin1String("prompt")).toString();
    // ansible's default for private is yes: what is typed is not echoed.
    const QJsonValue isPrivate = prompt.value(QLatin1String("private"));
    const bool secret = isPrivate.isUndefined() || isPrivate.toBool() ||
                        isPrivate.toString().compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0;
    QJsonObject q{{QStringLiteral("variable"), name},
                  {QStringLiteral("question_name"), text.isEmpty() ? name : text},
                  {QStringLiteral("question_description"),
                   PlaybookPromptsText::tr("Asked by the playbook (vars_prompt).")},
                  {QStringLiteral("type"), secret ? QStringLiteral("password") : QStringLiteral("text")},
                  {QStringLiteral("required"), false},
                  {QStringLiteral("vars_prompt"), true}};
    const QString def = scalarText(prompt.value(QLatin1String("default")));
    if (!def.isEmpty())
        q.insert(QStringLiteral("default"), def);
    return q;
}

void collect(const QString &dir, const QJsonValue &plays, QJsonArray &out, QSet<QString> &seen,
             QSet<QString> &files, QString &problem, int depth) {
    for (const QJsonValue &item : plays.toArray()) {
        const QJsonObject play = item.toObject();
        const QString imported = play.value(QLatin1String("import_playbook")).toString().trimmed();
        if (!imported.isEmpty()) {
            if (imported.contains(QLatin1String("{{")) || depth > 16)
                continue;
            const QString path = QFileInfo(QDir(dir).filePath(imported)).canonicalFilePath();
            if (path.isEmpty() || files.contains(path))
                continue;
            files.insert(path);
            auto more = readPlays(path);
            if (!more) {
                problem = more.error();
                continue;
            }
            collect(QFileInfo(path).path(), more.value(), out, seen, files, problem, depth + 1);
            continue;
        }
        for (const QJsonValue &p : play.value(QLatin1String("vars_prompt")).toArray()) {
            const QJsonObject prompt = p.toObject();
            const QString name = prompt.value(QLatin1String("name")).toString();
            if (name.isEmpty() || seen.contains(name))
                continue;
            seen.insert(name);
            out.append(questionOf(prompt));
        }
    }
}

} // namespace

QJsonArray varsPromptQuestions(const QJsonValue &plays) {
    QJsonArray out;
    QSet<QString> seen, files;
    QString problem;
    collect(QString(), plays, out, seen, files, problem, 0);
    return out;
}

PlaybookPrompts readPlaybookPrompts(const QString &projectDir, const QString &playbook) {
    PlaybookPrompts result;
    if (projectDir.isEmpty() || playbook.isEmpty())
        return result;
    const QString path = QDir(projectDir).filePath(playbook);
    auto plays = readPlays(path);
    if (!plays) {
        result.problem = plays.error();
        return result;
    }
    QSet<QString> seen, files{QFileInfo(path).canonicalFilePath()};
    collect(QFileInfo(path).path(), plays.value(), result.questions, seen, files, result.problem, 0);
    return result;
}

QJsonObject surveyWithPlaybookPrompts(const QJsonObject &surveySpec, bool surveyEnabled,
                                      const QJsonArray &playbookQuestions) {
    QJsonObject spec = surveyEnabled ? surveySpec : QJsonObject();
    QJsonArray questions = spec.value(QLatin1String("spec")).toArray();
    QSet<QString> asked;
    for (const QJsonValue &q : std::as_const(questions))
        asked.insert(q.toObject().value(QLatin1String("variable")).toString());
    for (const QJsonValue &q : playbookQuestions)
        if (!asked.contains(q.toObject().value(QLatin1String("variable")).toString()))
            questions.append(q);
    spec.insert(QStringLiteral("spec"), questions);
    return spec;
}

} // namespace playdeck
