#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Distillscope"));
    QApplication::setOrganizationName(QStringLiteral("Distillscope"));
    QApplication::setApplicationVersion(QStringLiteral(DS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.distillscope.Distillscope"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Find and prove distillation attacks in LLM API query logs."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption caseOpt(QStringLiteral("case"),
                                     QStringLiteral("Case database to import into (default: a new case in the data folder)."),
                                     QStringLiteral("CASE.sqlite"));
    parser.addOption(caseOpt);
    parser.addPositionalArgument(QStringLiteral("FILES"), QStringLiteral("Query logs or accounts files to open."),
                                 QStringLiteral("[FILES...]"));
    parser.process(app);

    ds::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty()) {
        QString casePath = parser.value(caseOpt);
        if (casePath.isEmpty()) {
            const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
            QDir().mkpath(dir);
            casePath = dir + QStringLiteral("/") + QFileInfo(files.first()).completeBaseName() + QStringLiteral(".case.sqlite");
        }
        window.importFiles(casePath, files);
    }
    return QApplication::exec();
}
