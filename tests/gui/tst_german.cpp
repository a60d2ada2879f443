// The window in German, as a German desktop shows it: Playdeck's own strings and Qt's (dialog
// buttons) translated, and no label, button or check box narrower than its text, in the main
// window and in every editor and dialog. PLAYDECK_SCREENSHOTS=DIR saves each as de-*.png there.

#include "DashboardView.h"
#include "FormWidgets.h"
#include "InventoryContentEditor.h"
#include "JobPresentation.h"
#include "LaunchDialog.h"
#include "MainWindow.h"
#include "ResourceEditor.h"
#include "SurveyEditor.h"
#include "TemplateListModel.h"

#include "Controller.h"
#include "Mnemonics.h"
#include "TestEngine.h"
#include "services/TemplateService.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLayout>
#include <QLibraryInfo>
#include <QPalette>
#include <QPushButton>
#include <QSettings>
#include <QTest>
#include <QTranslator>

using namespace playdeck;
using playdeck::test::await;

namespace {

// Every visible label and button of `root` that is narrower than its text asks for, with its text.
QStringList cutOff(QWidget *root) {
    // As the next pass of the event loop would: texts set just now get the room they ask for.
    if (root->layout())
        root->layout()->activate();
    QStringList found;
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!w->isVisible() || w->sizePolicy().horizontalPolicy() == QSizePolicy::Ignored)
            continue;
        QString text;
        if (auto *label = qobject_cast<QLabel *>(w)) {
            if (label->wordWrap() || label->text().isEmpty() || label->pixmap().isNull() == false)
                continue;
            text = label->text();
        } else if (auto *button = qobject_cast<QAbstractButton *>(w)) {
            if (button->text().isEmpty())
                continue;
            text = button->text();
        } else {
            continue;
        }
        if (w->width() < w->minimumSizeHint().width())
            found << QStringLiteral("%1 \"%2\" (%3 < %4 px)")
                         .arg(QString::fromLatin1(w->metaObject()->className()), text)
                         .arg(w->width())
                         .arg(w->minimumSizeHint().width());
    }
    return found;
}

void screenshot(QWidget *w, const QString &name) {
    const QString dir = qEnvironmentVariable("PLAYDECK_SCREENSHOTS");
    if (!dir.isEmpty())
        QVERIFY(w->grab().save(dir + QStringLiteral("/de-") + name + QStringLiteral(".png")));
}

} // namespace

class GermanTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("playdeck-test-german"));
        QSettings().clear();
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        auto *qt = new QTranslator(this);
        QVERIFY2(qt->load(QStringLiteral("qtbase_de"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)),
                 "Qt's own German (qt6-translations-l10n) is missing");
        QCoreApplication::installTranslator(qt);
        auto *own = new QTranslator(this);
        QVERIFY(own->load(QStringLiteral(PLAYDECK_QM)));
        QCoreApplication::installTranslator(own);
        m_engine = std::make_unique<test::TestEngine>();
        QVERIFY2(m_engine->ok(), qPrintable(m_engine->error()));
    }
    void cleanupTestCase() { m_engine.reset(); }

    void theMainWindowSpeaksGermanAndCutsNothingOff() {
        MainWindow window(m_engine->controller());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.templateModel()->rowCount() > 0, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->figures().resources.jobTemplates > 0, 15000);
        QCOMPARE(window.findChild<QPushButton *>(QStringLiteral("launchButton"))->text(),
                 QStringLiteral("&Starten…"));
        // A laptop's screen holds it (1366 x 768).
        QVERIFY2(window.minimumSizeHint().width() <= 1280,
                 qPrintable(QString::number(window.minimumSizeHint().width())));
        const QStringList cut = cutOff(&window);
        const QStringList clashes = test::mnemonicClashes(&window);
        QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QLatin1Char('\n'))));
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QLatin1Char('\n'))));
        screenshot(&window, QStringLiteral("window"));
    }

    void everyEditorAndDialogToo() {
        MainWindow window(m_engine->controller());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList cut;
        for (ResourceKind kind : {ResourceKind::JobTemplate, ResourceKind::Project, ResourceKind::Inventory,
                                  ResourceKind::InventorySource, ResourceKind::Credential}) {
            ResourceEditor editor(m_engine->controller(), kind, {}, &window);
            editor.show();
            QVERIFY(QTest::qWaitForWindowExposed(&editor));
            cut << cutOff(&editor) << test::mnemonicClashes(&editor);
            // Qt's own buttons are German too.
            QCOMPARE(editor.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->text(),
                     QStringLiteral("Abbrechen"));
            screenshot(&editor, QStringLiteral("editor-%1").arg(resourceSpec(kind).singular));
        }
        SurveyEditor survey({}, &window);
        survey.addQuestion();
        survey.show();
        QVERIFY(QTest::qWaitForWindowExposed(&survey));
        cut << cutOff(&survey) << test::mnemonicClashes(&survey);
        screenshot(&survey, QStringLiteral("editor-survey"));

        InventoryContentEditor hosts(m_engine->controller(), QStringLiteral("Demo Inventory"), &window);
        hosts.show();
        QTRY_VERIFY_WITH_TIMEOUT(hosts.isLoaded(), 10000);
        QVERIFY(hosts.select(QStringLiteral("localhost"), false));
        cut << cutOff(&hosts) << test::mnemonicClashes(&hosts);
        screenshot(&hosts, QStringLiteral("editor-hosts"));

        auto demo = await(m_engine->controller().templates().list());
        QVERIFY(demo.ok() && !demo.value().isEmpty());
        LaunchDialog launch(m_engine->controller(), demo.value().first(), &window);
        launch.show();
        QTRY_VERIFY_WITH_TIMEOUT(launch.isReady(), 10000);
        cut << cutOff(&launch) << test::mnemonicClashes(&launch);
        screenshot(&launch, QStringLiteral("launch-dialog"));
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QLatin1Char('\n'))));
    }

    void fixedColoursReadOnADarkDesktopToo() {
        // A dark palette, as a dark desktop theme gives Qt.
        const QPalette light = QGuiApplication::palette();
        QPalette dark = light;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        QApplication::setPalette(dark);
        for (const QPalette &p : {light, dark}) {
            QApplication::setPalette(p);
            std::unique_ptr<QLabel> error(errorLabel(QStringLiteral("e")));
            QVERIFY(contrastRatio(error->palette().color(QPalette::WindowText),
                                  error->palette().color(QPalette::Window)) >= 4.5);
            for (JobStatus s : {JobStatus::Failed, JobStatus::Error, JobStatus::Successful})
                QVERIFY(contrastRatio(readableOn(statusColor(s), p.color(QPalette::Base)),
                                      p.color(QPalette::Base)) >= 4.5);
        }
        QApplication::setPalette(light);
    }

private:
    std::unique_ptr<test::TestEngine> m_engine;
};

QTEST_MAIN(GermanTest)
#include "tst_german.moc"
