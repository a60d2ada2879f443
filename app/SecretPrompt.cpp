#include "SecretPrompt.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace playdeck {

namespace {
// lupdate files SecretPromptText::tr's strings under "SecretPrompt", the context they are looked up in.
class SecretPromptText {
    Q_DECLARE_TR_FUNCTIONS(SecretPrompt)
};
} // namespace

Result<QString> askOnTerminal(const QString &prompt) {
    const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0)
        return Status::failure(
            SecretPromptText::tr("There is no terminal to ask for the secret on; give it in a file instead "
                                 "(--…-file FILE, or - for standard input)."));
    const QByteArray question = prompt.toLocal8Bit();
    (void)!::write(tty, question.constData(), size_t(question.size()));
    termios saved{};
    const bool isTerminal = ::tcgetattr(tty, &saved) == 0;
    if (isTerminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    QByteArray answer;
    char c = 0;
    while (::read(tty, &c, 1) == 1 && c != '\n')
        answer.append(c);
    if (isTerminal)
        ::tcsetattr(tty, TCSAFLUSH, &saved);
    (void)!::write(tty, "\n", 1);
    ::close(tty);
    return QString::fromLocal8Bit(answer);
}

Result<QString> readSecretFile(const QString &path, bool keepTrailingNewline) {
    QFile file;
    const bool opened = path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                                   : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened)
        return Status::failure(SecretPromptText::tr("Cannot read %1: %2").arg(path, file.errorString()));
    QByteArray data = file.readAll();
    if (!keepTrailingNewline && data.endsWith('\n'))
        data.chop(data.endsWith("\r\n") ? 2 : 1);
    return QString::fromUtf8(data);
}

} // namespace playdeck
