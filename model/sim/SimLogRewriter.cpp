#include "sim/SimLogRewriter.h"

#include "ingest/ByteSource.h"
#include "ingest/LineReader.h"
#include "sim/SimLogFormat.h"
#include "sim/SimLogRecord.h"
#include "sim/SimOutputFile.h"

#include <QDir>
#include <QFile>
#include <unordered_map>

namespace ds {

namespace {

// Share of requests that resend the account's previous request as an earlier turn, and of those (with tools
// offered) whose earlier turn ended in a tool call: a conversation's later turns are common in real traffic.
constexpr std::uint64_t kMultiTurnPercent = 35;
constexpr std::uint64_t kToolResultPercent = 30;

bool readText(const QString& path, QByteArray& out, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    out = f.readAll();
    return true;
}

bool writeText(const QString& path, const QByteArray& data, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size() || !f.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

// accounts.csv and truth.csv with their first column renamed by the format; org_id is column 6 of accounts.csv.
bool rewriteSideFiles(const QString& inDir, const QString& outDir, const SimLogFormat& format, QString* error)
{
    QByteArray accounts, truth;
    if (!readText(QDir(inDir).filePath(QStringLiteral("accounts.csv")), accounts, error)
        || !readText(QDir(inDir).filePath(QStringLiteral("truth.csv")), truth, error))
        return false;
    std::unordered_map<std::string, std::string> newId;
    QByteArray accountsOut;
    const QList<QByteArray> accountLines = accounts.split('\n');
    for (qsizetype i = 0; i < accountLines.size(); ++i) {
        const QByteArray& line = accountLines[i];
        if (line.isEmpty())
            continue;
        if (i == 0) {
            accountsOut += line + '\n';
            continue;
        }
        const QList<QByteArray> cols = line.split(',');
        const std::string id = cols.value(0).toStdString();
        const std::string mapped = format.accountIdFor(id, cols.value(5).toStdString());
        newId.emplace(id, mapped);
        accountsOut += QByteArray::fromStdString(mapped) + line.mid(cols.value(0).size()) + '\n';
    }
    QByteArray truthOut;
    const QList<QByteArray> truthLines = truth.split('\n');
    for (qsizetype i = 0; i < truthLines.size(); ++i) {
        const QByteArray& line = truthLines[i];
        if (line.isEmpty())
            continue;
        if (i == 0) {
            truthOut += line + '\n';
            continue;
        }
        const qsizetype comma = line.indexOf(',');
        const std::string id = line.left(comma).toStdString();
        const auto it = newId.find(id);
        const std::string mapped = it != newId.end() ? it->second : format.accountIdFor(id, {});
        truthOut += QByteArray::fromStdString(mapped) + line.mid(comma) + '\n';
    }
    return writeText(QDir(outDir).filePath(QStringLiteral("accounts.csv")), accountsOut, error)
        && writeText(QDir(outDir).filePath(QStringLiteral("truth.csv")), truthOut, error);
}

} // namespace

SimLogRewriteResult simRewriteLogs(const QString& inDir, const QString& outDir, SimLogFormat& format, bool gzip,
                                   const CancelToken& cancel)
{
    SimLogRewriteResult res;
    QString inPath = QDir(inDir).filePath(QStringLiteral("requests.jsonl.gz"));
    if (!QFile::exists(inPath))
        inPath = QDir(inDir).filePath(QStringLiteral("requests.jsonl"));
    if (!QDir().mkpath(outDir)) {
        res.error = QStringLiteral("cannot create %1").arg(outDir);
        return res;
    }
    ByteSource source(inPath);
    if (!source.isOpen()) {
        res.error = source.errorString();
        return res;
    }
    const QString name = QString::fromLatin1(format.name());
    res.requestsPath = QDir(outDir).filePath(
        QStringLiteral("requests.%1.jsonl%2").arg(name, gzip ? QStringLiteral(".gz") : QString()));
    SimOutputFile out;
    if (!out.open(res.requestsPath, gzip, 1, &res.error))
        return res;

    LineReader lines(source);
    std::string_view line;
    std::int64_t lineNumber = 0;
    SimLogRecord record;
    std::string chunk;
    std::string parseError;
    std::unordered_map<std::string, std::string> previousPrompt; // by account
    LineReader::Status status;
    while ((status = lines.next(line, lineNumber)) == LineReader::Status::Line) {
        if (line.empty())
            continue;
        if (!simParseCanonicalLine(line, record, &parseError)) {
            res.error
                = QStringLiteral("%1 line %2: %3").arg(inPath).arg(lineNumber).arg(QString::fromStdString(parseError));
            break;
        }
        std::string& previous = previousPrompt[record.accountId];
        const std::uint64_t h = simLogHash(record.requestId, 61);
        SimLogTurns turns;
        if (!previous.empty() && h % 100 < kMultiTurnPercent) {
            turns.previousPrompt = previous;
            turns.toolResult = !record.tools.empty() && (h / 100) % 100 < kToolResultPercent;
        }
        format.append(chunk, record, turns);
        previous = record.prompt;
        ++res.records;
        if (chunk.size() >= (1u << 20)) {
            out.write(std::move(chunk));
            chunk.clear();
            if (cancel.isCancelled()) {
                res.error = QStringLiteral("cancelled");
                break;
            }
        }
    }
    if (status == LineReader::Status::Error)
        res.error = source.errorString();
    else if (status == LineReader::Status::Oversized)
        res.error = QStringLiteral("%1 line %2: %3")
                        .arg(inPath)
                        .arg(lineNumber)
                        .arg(QString::fromStdString(lines.oversized().reason(lines.maxLineBytes())));
    format.finish(chunk);
    out.write(std::move(chunk));
    QString closeError;
    if (!out.close(&closeError) && res.error.isEmpty())
        res.error = closeError;
    if (res.error.isEmpty() && !rewriteSideFiles(inDir, outDir, format, &res.error))
        return res;
    if (!res.error.isEmpty()) {
        QFile::remove(res.requestsPath);
        return res;
    }
    if (QDir(inDir).absolutePath() == QDir(outDir).absolutePath())
        QFile::remove(inPath);
    return res;
}

} // namespace ds
