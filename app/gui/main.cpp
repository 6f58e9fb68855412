#include "MainWindow.h"
#include "Theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Distillscope"));
    QApplication::setOrganizationName(QStringLiteral("Distillscope"));
    QApplication::setApplicationVersion(QStringLiteral(DS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.distillscope.Distillscope"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/distillscope.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Find and prove distillation attacks in LLM API query logs."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption caseOpt(QStringLiteral("case"),
                                     QStringLiteral("Case database to open, or to import FILES into."),
                                     QStringLiteral("CASE.sqlite"));
    const QCommandLineOption themeOpt(QStringLiteral("theme"), QStringLiteral("system (default), light or dark."),
                                      QStringLiteral("THEME"), QStringLiteral("system"));
    parser.addOption(caseOpt);
    parser.addOption(themeOpt);
    parser.addPositionalArgument(QStringLiteral("FILES"), QStringLiteral("Query logs or accounts files to import."),
                                 QStringLiteral("[FILES...]"));
    parser.process(app);

    ds::theme::apply(ds::theme::fromName(parser.value(themeOpt)));
    ds::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    const QString casePath = parser.value(caseOpt);
    // After show(), from the event loop, so the window paints before any work starts.
    QTimer::singleShot(0, &window, [&window, files, casePath] {
        if (!files.isEmpty())
            window.openLogs(files, casePath);
        else if (!casePath.isEmpty())
            window.openCase(QFileInfo(casePath).absoluteFilePath());
    });
    return QApplication::exec();
}
