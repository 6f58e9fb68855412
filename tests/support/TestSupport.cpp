#include "TestSupport.h"

#include "core/CaseDatabase.h"
#include "ingest/Importer.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <zlib.h>

namespace ds::test {

ScratchDir::ScratchDir() { m_dir.setAutoRemove(true); }

QString ScratchDir::write(const QString& name, const QByteArray& bytes) const
{
    const QString p = file(name);
    QFile f(p);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write fixture %s", qPrintable(p));
    return p;
}

QString ScratchDir::writeGzip(const QString& name, const QByteArray& bytes) const
{
    const QString p = file(name);
    gzFile gz = gzopen(QFile::encodeName(p).constData(), "wb6");
    if (!gz || gzwrite(gz, bytes.constData(), static_cast<unsigned>(bytes.size())) != bytes.size())
        qFatal("cannot write gzip fixture %s", qPrintable(p));
    gzclose(gz);
    return p;
}

QByteArray requestJson(const QString& requestId, const QString& accountId, std::int64_t epochMs, const QString& prompt,
                       const QString& extraFields)
{
    QString prom = prompt;
    prom.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\"")).replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    QString s = QStringLiteral(R"({"request_id":"%1","timestamp":%2,"account_id":"%3","ip":"203.0.113.7",)"
                               R"("user_agent":"anthropic-python/0.39.0","model":"claude-sonnet-4-5","prompt":"%4",)"
                               R"("prompt_tokens":212,"completion_tokens":1874,"max_tokens":4096,"stop_reason":"end_turn"%5})")
                    .arg(requestId)
                    .arg(epochMs)
                    .arg(accountId, prom, extraFields.isEmpty() ? QString() : QStringLiteral(",") + extraFields);
    return s.toUtf8();
}

QString sharedPromptsDir() { return QStringLiteral(DS_SOURCE_DIR "/../shared/data/prompts"); }

CliResult runCli(const QStringList& args, int timeoutMs)
{
    QProcess p;
    p.start(QStringLiteral(DS_CLI_PATH), args);
    CliResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

ImportSummary importInto(const QString& dbPath, const QStringList& files, const QString& mappingPath)
{
    ImportProgress progress;
    CancelToken cancel;
    return Importer::run(ImportRequest{dbPath, files, mappingPath}, progress, cancel);
}

std::int64_t queryInt(const QString& dbPath, const char* sql)
{
    SqliteDb db = CaseDatabase::openForReading(dbPath);
    return db.queryInt(sql, -1);
}

QString queryText(const QString& dbPath, const char* sql)
{
    SqliteDb db = CaseDatabase::openForReading(dbPath);
    SqliteStatement st(db, sql);
    return st.step() ? st.columnText(0) : QString();
}

QString outputDir()
{
    QString dir = qEnvironmentVariable("DS_TEST_OUTPUT");
    if (dir.isEmpty())
        dir = QDir::tempPath() + QStringLiteral("/distillscope-test-output");
    QDir().mkpath(dir);
    return dir;
}

} // namespace ds::test
