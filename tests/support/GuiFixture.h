#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>

namespace ds::test {

class ScratchDir;

// A small hand-made investigation: a ring of five accounts sharing one IP and
// one payment fingerprint, hammering one prompt template around the clock, plus
// benign accounts, one record with a bidi override, one with an unknown field
// and one broken line. Test threads only.
struct GuiFixture
{
    static constexpr int kRingAccounts = 5;
    static constexpr int kBenignAccounts = 7;
    static constexpr const char* kRingIp = "198.51.100.23";
    static constexpr std::int64_t kStartMs = 1769904000000; // 2026-02-01T00:00:00Z
    QString requestsPath;
    QString accountsPath;
    int requests = 0;         // valid request records written
    int ringRequests = 0;     // of which from the ring
    int firstDayRequests = 0; // requests on 2026-02-01
    static GuiFixture write(const ScratchDir& dir);
};

} // namespace ds::test
