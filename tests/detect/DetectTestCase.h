#pragma once

#include "DetectFixtures.h"
#include "TestSupport.h"
#include "detect/Detector.h"

#include <QString>

// Imports a fixture into a fresh case and runs detection on it. Test threads only.
namespace ds::test {

struct DetectedCase
{
    QString database;
    DetectSummary summary;
};

// Writes the fixture's logs into `dir`, imports them and runs detection with `settings`.
DetectedCase importAndDetect(const ScratchDir& dir, const DetectFixture& fixture, const DetectSettings& settings = {},
                             const QString& name = QStringLiteral("case.sqlite"));

// Account ids flagged in the latest run of `database`.
QStringList flaggedAccounts(const QString& database);

} // namespace ds::test
