#include "detect/DetectionLock.h"

namespace ds {

namespace {
QString lockPath(const QString& casePath)
{
    return casePath + QStringLiteral("-detect.lock");
}
} // namespace

DetectionLock::DetectionLock(const QString& casePath)
    : m_lock(lockPath(casePath))
{
    // A detection can run for minutes: only a dead owner makes the lock stale, never its age.
    m_lock.setStaleLockTime(0);
}

bool DetectionLock::tryLock()
{
    // A folder where the lock file cannot be written (permissions) does not stop
    // detection: only a lock held by a live process does.
    return m_lock.tryLock(0) || m_lock.error() != QLockFile::LockFailedError;
}

bool DetectionLock::isHeld(const QString& casePath)
{
    QLockFile probe(lockPath(casePath));
    probe.setStaleLockTime(0);
    if (probe.tryLock(0)) {
        probe.unlock();
        return false;
    }
    return probe.error() == QLockFile::LockFailedError;
}

} // namespace ds
