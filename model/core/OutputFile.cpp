#include "core/OutputFile.h"

#include <QFileInfo>

namespace ds {

bool OutputFile::isSpecialFile(const QString& path)
{
    const QFileInfo info(path); // follows links: /dev/stdout names the process's own output
    return info.exists() && !info.isFile() && !info.isDir();
}

OutputFile::OutputFile(const QString& path)
{
    if (isSpecialFile(path))
        m_direct = std::make_unique<QFile>(path);
    else
        m_atomic = std::make_unique<QSaveFile>(path);
}

bool OutputFile::open()
{
    if (m_direct)
        return m_direct->open(QIODevice::WriteOnly); // no Truncate: a FIFO or device has nothing to cut
    return m_atomic->open(QIODevice::WriteOnly);
}

QIODevice* OutputFile::device()
{
    if (m_direct)
        return m_direct.get();
    return m_atomic.get();
}

bool OutputFile::write(const QByteArray& bytes) { return device()->write(bytes) == bytes.size(); }

bool OutputFile::commit()
{
    if (m_direct) {
        const bool flushed = m_direct->flush();
        m_direct->close();
        return flushed && m_direct->error() == QFileDevice::NoError;
    }
    return m_atomic->commit();
}

void OutputFile::cancel()
{
    if (m_direct)
        m_direct->close();
    else
        m_atomic->cancelWriting();
}

QString OutputFile::errorString() const { return m_direct ? m_direct->errorString() : m_atomic->errorString(); }

} // namespace ds
