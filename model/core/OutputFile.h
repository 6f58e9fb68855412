#pragma once

#include <QFile>
#include <QSaveFile>
#include <QString>

#include <memory>

namespace ds {

// A file the user named for an export, a report or a JSON summary. A regular
// file (or a new path) is written atomically through QSaveFile: the old file
// stays whole until commit(), and a cancel or a crash leaves no partial file.
// A device, FIFO or terminal (/dev/null, /dev/stdout, a pipe) is written
// straight through instead: QSaveFile would write a temporary file beside it and
// rename that over it, and for root that replaces /dev/null with a regular file
// every later program then reads garbage from. Any thread; one object per writer.
class OutputFile
{
public:
    explicit OutputFile(const QString& path);

    bool open();
    // The device to write to (for QPdfWriter and the like); valid after open().
    QIODevice* device();
    // Writes all of `bytes`; false on a short write.
    bool write(const QByteArray& bytes);
    // Ends the write: the regular file is replaced now. False with errorString() set on failure.
    bool commit();
    // Abandons the write: a regular file keeps its old content (a device keeps what it was sent).
    void cancel();
    QString errorString() const;
    // Whether the path is written straight through (not a regular file).
    bool isDirect() const { return m_direct != nullptr; }

    // True when `path` exists and is not a regular file (a device, FIFO, socket, or a link to one).
    static bool isSpecialFile(const QString& path);

private:
    std::unique_ptr<QSaveFile> m_atomic;
    std::unique_ptr<QFile> m_direct;
};

} // namespace ds
