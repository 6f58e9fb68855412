#include "GuiSupport.h"

#include "MainWindow.h"
#include "models/PagedTableModel.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTest>

namespace ds::test {

void useTestSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

std::unique_ptr<MainWindow> showMainWindow(const QString& caseDir, QSize size)
{
    auto window = std::make_unique<MainWindow>();
    if (!caseDir.isEmpty())
        window->setCaseDirectory(caseDir);
    window->resize(size);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    return window;
}

CliResult simulate(const QString& outDir, const QString& scenario, int seed)
{
    return runCli({QStringLiteral("simulate"), QStringLiteral("--out"), outDir, QStringLiteral("--scenario"), scenario,
                   QStringLiteral("--seed"), QString::number(seed)});
}

bool settled(const PagedTableModel* model) { return !model->isLoading(); }

} // namespace ds::test
