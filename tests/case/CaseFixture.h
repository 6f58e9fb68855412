#pragma once

#include "TestSupport.h"

#include <QString>
#include <QStringList>

// A small hand-built case for the case and report suites: a real import of a
// fixture log (three attacker accounts on shared infrastructure, three benign
// ones) plus one detection run written by hand, so these suites do not depend
// on the detector's tuning. Test threads only.
namespace ds::test {

struct HandCase
{
    QString dbPath;
    QString logPath;
    std::int64_t run = 0;
    std::int64_t cluster = 0;      // the flagged network
    std::int64_t otherCluster = 0; // a second flagged network (benign-looking), for false-positive tests
    QStringList attackers;         // account ids in `cluster`
    QStringList benign;
    QString markupPrompt;          // a prompt with HTML in it, sent by attackers[0]
};

// Builds the case in `dir`. `finishedRun` = false leaves the run "running" (analysis incomplete).
HandCase buildHandCase(const ScratchDir& dir, bool finishedRun = true);

// account.id of an account id.
std::int64_t accountRowId(const QString& dbPath, const QString& accountId);

} // namespace ds::test
