#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "detect/CaseSnapshot.h"
#include "detect/DetectSettings.h"
#include "ingest/Importer.h"
#include "workspace/DatasetInfo.h"

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>

// libFuzzer entry: case files opened read-only (issue 17). Cases are mailed between analysts and attached to
// tickets, so a case is untrusted input. Mutating raw bytes from nothing rarely gets past SQLite's header check;
// instead the input is a list of byte patches applied to a small valid case built once per process (a real
// import, with packed prompts, repeated-prompt references and a dictionary), so the mutations land in b-tree
// pages, the schema text, records and the packed text alike. The patched file then goes through what `detect`,
// `report` and the views do first: the checked open, the case totals, detection's snapshot and every packed
// text column decoded. Each may refuse with an exception; none may crash, hang or allocate without bound.
namespace {

struct Seed
{
    QTemporaryDir dir;
    QByteArray bytes;
    QString patched;
};

QByteArray seedLog()
{
    // Prompts long enough to be compressed, some repeated (stored as references), some with tools and extras.
    QByteArray log;
    for (int i = 0; i < 40; ++i) {
        const QByteArray n = QByteArray::number(i);
        const QByteArray prompt = (i % 3 == 0)
                                      ? QByteArrayLiteral("Solve the following problem and show every step of your "
                                                          "reasoning before the final answer: a train leaves at nine")
                                      : "Question " + n + ": explain in detail how the number " + n
                                            + " relates to its neighbours, with a worked example and a summary.";
        log += R"({"request_id":"r)" + n + R"(","timestamp":)" + QByteArray::number(1714564800000LL + i * 61000)
               + R"(,"account_id":"a)" + QByteArray::number(i % 5) + R"(","prompt":")" + prompt
               + R"(","ip":"203.0.113.)" + QByteArray::number(i % 7) + R"(","output_tokens":)"
               + QByteArray::number(100 + i) + R"(,"tools":[{"name":"calc"}],"vendor_field":"x)" + n + "\"}\n";
    }
    return log;
}

Seed& seed()
{
    static Seed* s = [] {
        auto* made = new Seed;
        const QString log = made->dir.filePath(QStringLiteral("seed.jsonl"));
        const QString casePath = made->dir.filePath(QStringLiteral("seed.dscase"));
        QFile f(log);
        if (!f.open(QIODevice::WriteOnly) || f.write(seedLog()) < 0)
            std::abort();
        f.close();
        ds::ImportRequest request;
        request.databasePath = casePath;
        request.files = {log};
        ds::ImportProgress progress;
        const ds::ImportSummary summary = ds::Importer::run(request, progress, ds::CancelToken{});
        if (!summary.anyImported() || summary.requestsInCase != 40)
            std::abort(); // the seed itself must be a good case, or the target fuzzes nothing
        QFile c(casePath);
        if (!c.open(QIODevice::ReadOnly))
            std::abort();
        made->bytes = c.readAll();
        made->patched = made->dir.filePath(QStringLiteral("patched.dscase"));
        return made;
    }();
    return *s;
}

void readEverything(const QString& path)
{
    ds::SqliteDb db = ds::CaseDatabase::openForReading(path);
    (void)ds::DatasetInfo::load(db);
    (void)ds::CaseSnapshot::load(db, ds::DetectSettings{});
    ds::SqliteStatement text(db, "SELECT ds_text(prompt), ds_text(tools), ds_text(extra) FROM request_text");
    while (text.step()) {
        (void)text.columnText(0);
        (void)text.columnText(1);
        (void)text.columnText(2);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Seed& s = seed();
    QByteArray bytes = s.bytes;
    // Five bytes a patch: a 32-bit offset into the file (modulo its size) and the byte to write there.
    for (std::size_t i = 0; i + 5 <= size; i += 5) {
        const std::uint32_t offset = static_cast<std::uint32_t>(data[i]) | static_cast<std::uint32_t>(data[i + 1]) << 8
                                     | static_cast<std::uint32_t>(data[i + 2]) << 16
                                     | static_cast<std::uint32_t>(data[i + 3]) << 24;
        bytes[static_cast<qsizetype>(offset % static_cast<std::uint32_t>(bytes.size()))] =
            static_cast<char>(data[i + 4]);
    }
    {
        QFile f(s.patched);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            std::abort();
    }
    try {
        readEverything(s.patched);
    } catch (const std::bad_alloc&) {
        std::abort(); // a small damaged file must never ask for more memory than there is
    } catch (const std::exception& e) {
        if (std::getenv("DS_FUZZ_VERBOSE"))
            std::fprintf(stderr, "refused: %s\n", e.what());
        // A refusal (CaseOpenError, DatabaseError) with its message: the expected end for a damaged case.
    }
    QFile::remove(s.patched + QStringLiteral("-wal"));
    QFile::remove(s.patched + QStringLiteral("-shm"));
    return 0;
}
