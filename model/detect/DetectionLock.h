#pragma once

#include <QLockFile>
#include <QString>

namespace ds {

// One detection at a time per case, and a way to tell a run that is still
// going from one whose process was killed. The lock is a file beside the case
// ("CASE-detect.lock", as SQLite keeps its journal beside it) holding the
// owner's process id, so a lock left by a killed process is recognised as stale
// and taken over. The holder is the thread that runs the detection.
class DetectionLock
{
public:
    explicit DetectionLock(const QString& casePath);
    // Takes the lock at once; false only when a live process holds it.
    bool tryLock();

    // Whether some live process holds the lock of this case now (any thread).
    static bool isHeld(const QString& casePath);

private:
    QLockFile m_lock;
};

} // namespace ds
