#include "TestSupport.h"
#include "core/CaseDatabase.h"
#include "core/CaseSchema.h"
#include "core/TextCodec.h"
#include "ingest/ImportTypes.h"
#include "ingest/TextPackStage.h"
#include "report/ReportData.h"
#include "case/CaseRepair.h"
#include "workspace/CsvExport.h"
#include "workspace/RequestDetail.h"
#include "workspace/WorkspaceTables.h"
#include "workspace/Scope.h"

#include <QCryptographicHash>
#include <QDir>
#include <QTest>

#include <map>
#include <random>

using namespace ds;

namespace {

// JSON string body for arbitrary UTF-8 (control characters and NUL as \u escapes).
QByteArray jsonString(const QByteArray& utf8)
{
    QByteArray out;
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += QStringLiteral("\\u%1").arg(u, 4, 16, QLatin1Char('0')).toLatin1();
        } else {
            out += c;
        }
    }
    return out;
}

QByteArray line(const QByteArray& requestId, int i, const QByteArray* prompt, const QByteArray& tools = {},
                const QByteArray& extra = {})
{
    QByteArray l = "{\"request_id\":\"" + jsonString(requestId) + "\",\"timestamp\":" + QByteArray::number(1770128525123LL + i * 1000)
                   + ",\"account_id\":\"acct_" + QByteArray::number(i % 17) + "\",\"model\":\"claude-sonnet-4-5\"";
    if (prompt)
        l += ",\"prompt\":\"" + jsonString(*prompt) + "\"";
    if (!tools.isEmpty())
        l += ",\"tools\":" + tools;
    if (!extra.isEmpty())
        l += "," + extra;
    return l + "}\n";
}

// Templated prompts with varying slots, as distillation and everyday traffic have them.
QByteArray templatedPrompt(std::mt19937& rng, int i)
{
    static const char* const topics[] = {"graph theory", "the French revolution", "binary search trees", "photosynthesis",
                                         "supply and demand", "Rust lifetimes", "the Krebs cycle", "SQL window functions"};
    static const char* const asks[] = {
        "You are an expert tutor. Explain %1 step by step, then give three exercises with worked solutions. "
        "Answer in Markdown with headings and keep each step under fifty words. Request %2.",
        "Rewrite the following answer about %1 so that a twelve-year-old understands it, keeping every fact. "
        "Think carefully and show your reasoning before the final answer. Case number %2.",
        "Translate this paragraph about %1 into German and then back into English; list every change of meaning. "
        "Format: a table with columns original, German, back-translation. Ticket %2.",
    };
    const QString t = QString::fromLatin1(asks[rng() % 3]).arg(QLatin1String(topics[rng() % 8])).arg(i * 7919 % 100003);
    return t.toUtf8();
}

struct Input
{
    QByteArray jsonl;
    std::map<QByteArray, std::optional<QByteArray>> prompts; // request_id -> prompt (nullopt: absent)
    std::map<QByteArray, QByteArray> tools;
};

// Enough templated text to train a dictionary, and every awkward prompt among it.
Input makeInput(int templated, const QByteArray& idPrefix = "r")
{
    Input in;
    std::mt19937 rng(7);
    QList<QByteArray> awkward;
    for (const QString& s : test::hostileStrings())
        awkward << s.toUtf8();
    awkward << QByteArray() << QByteArray("x") << QByteArray(23, 'y') << QByteArray(24, 'z');
    static const char withNul[] = "nul\0inside and control \x01\x02\x1b[31m red \x7f";
    awkward << QByteArray(withNul, sizeof withNul - 1); // the array's length: the NUL inside would stop strlen
    awkward << QByteArray("\xe2\x80\xae right-to-left \xf0\x9f\x98\x80 astral \xcc\x81 combining");
    QByteArray huge;
    while (huge.size() < 3 * 1024 * 1024)
        huge += "<b>markup</b> \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d " + QByteArray::number(huge.size()) + "\n";
    awkward << huge;
    int i = 0;
    auto add = [&](const std::optional<QByteArray>& prompt, const QByteArray& tools) {
        const QByteArray id = idPrefix + "_" + QByteArray::number(i);
        in.jsonl += line(id, i, prompt ? &*prompt : nullptr, tools);
        in.prompts[id] = prompt && prompt->isEmpty() ? std::nullopt : prompt; // an empty field is an absent one
        if (!tools.isEmpty())
            in.tools[id] = tools;
        ++i;
    };
    QByteArray previous;
    for (int k = 0; k < templated; ++k) {
        // Every tenth prompt repeats an earlier one exactly, as retries and scripts do.
        const QByteArray prompt = k % 10 == 9 ? previous : templatedPrompt(rng, k);
        if (k % 10 == 3)
            previous = prompt;
        add(prompt, k % 5 == 0 ? QByteArray(R"(["web_search","calculator","code_interpreter","weather"])") : QByteArray());
        if (k % 97 == 0 && !awkward.isEmpty())
            add(awkward.takeFirst(), {});
        if (k == 10)
            add(std::nullopt, {});
    }
    for (const QByteArray& a : awkward)
        add(a, {});
    return in;
}

std::map<QByteArray, std::optional<QByteArray>> promptsOf(const QString& casePath)
{
    std::map<QByteArray, std::optional<QByteArray>> out;
    SqliteDb db = CaseDatabase::openForReading(casePath);
    SqliteStatement st(db, "SELECT request_id, ds_text(prompt) FROM request_text");
    while (st.step()) {
        const std::string_view id = st.columnView(0), p = st.columnView(1);
        out[QByteArray(id.data(), qsizetype(id.size()))] =
            st.isNull(1) ? std::optional<QByteArray>() : QByteArray(p.data(), qsizetype(p.size()));
    }
    return out;
}

QByteArray digestOfText(const QString& casePath)
{
    SqliteDb db = CaseDatabase::openForReading(casePath);
    QCryptographicHash h(QCryptographicHash::Sha256);
    SqliteStatement st(db, "SELECT id, request_id, quote(prompt), quote(tools), quote(extra) FROM request_text ORDER BY id");
    while (st.step())
        for (int c = 0; c < 5; ++c) {
            const std::string_view v = st.columnView(c);
            h.addData(QByteArrayView(v.data(), qsizetype(v.size())));
            h.addData("|");
        }
    SqliteStatement d(db, "SELECT id, hex(data), source_file, sample_bytes FROM text_dictionary ORDER BY id");
    while (d.step())
        for (int c = 0; c < 4; ++c) {
            const std::string_view v = d.columnView(c);
            h.addData(QByteArrayView(v.data(), qsizetype(v.size())));
        }
    return h.result().toHex();
}

// Compares and, on a difference, says which request differs.
bool samePrompts(const std::map<QByteArray, std::optional<QByteArray>>& got,
                 const std::map<QByteArray, std::optional<QByteArray>>& want)
{
    if (got.size() != want.size())
        qWarning() << "requests:" << got.size() << "expected" << want.size();
    for (const auto& [id, p] : want) {
        const auto it = got.find(id);
        if (it == got.end() || it->second != p) {
            qWarning() << "request" << id << "differs:" << (it == got.end() ? QByteArray("missing") : it->second.value_or("NULL").left(80))
                       << "expected" << p.value_or("NULL").left(80);
            return false;
        }
    }
    return got.size() == want.size();
}

std::int64_t rowOf(SqliteDb& db, const QByteArray& requestId)
{
    SqliteStatement st(db, "SELECT id FROM request_text WHERE request_id = ?1");
    st.bindText(1, std::string_view(requestId.constData(), size_t(requestId.size())));
    return st.step() ? st.columnInt(0) : 0;
}

} // namespace

// Request text is stored packed (zstd with a dictionary trained per case) and
// reads back byte for byte through every reader; cases written before packing
// read as they are.
class TestPackedText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void codecRoundTripsAnyBytes()
    {
        std::mt19937 rng(3);
        QByteArray samples;
        std::vector<std::size_t> sizes;
        for (int k = 0; k < 4000; ++k) {
            const QByteArray p = templatedPrompt(rng, k);
            samples += p;
            sizes.push_back(size_t(p.size()));
        }
        const QByteArray dict = textcodec::trainDictionary(std::string_view(samples.constData(), size_t(samples.size())), sizes, 64 << 10);
        QVERIFY(!dict.isEmpty());
        for (const bool withDictionary : {false, true}) {
            textcodec::TextPacker packer(withDictionary ? 5 : 0, withDictionary ? dict : QByteArray());
            QByteArray everyByte;
            for (int b = 0; b < 256; ++b)
                everyByte += char(b);
            for (const QByteArray& text : {everyByte.repeated(3), QByteArray("\xff\xfe not UTF-8 \xc3\x28 at all \xed\xa0\x80 ......").repeated(4),
                                           templatedPrompt(rng, 1), QByteArray(5 << 20, 'a')}) {
                std::string packed, back;
                QVERIFY(packer.pack(std::string_view(text.constData(), size_t(text.size())), packed));
                QCOMPARE(textcodec::dictionaryIdOf(packed), std::int64_t(withDictionary ? 5 : 0));
                QVERIFY(textcodec::unpack(packed, withDictionary ? dict : QByteArray(), back));
                QCOMPARE(QByteArray(back.data(), qsizetype(back.size())), text);
            }
            std::string packed;
            QVERIFY(!packer.pack("short", packed)); // stays TEXT
        }
    }

    void importRoundTripsThroughEveryReader()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const Input in = makeInput(4000);
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), in.jsonl)});
        QCOMPARE(s.files[0].outcome, FileReport::Outcome::Imported);
        QCOMPARE(std::int64_t(s.files[0].quarantined), std::int64_t(0));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM text_dictionary"), std::int64_t(1));
        // Most prompts are packed; the short ones stay TEXT.
        QVERIFY(test::queryInt(db, "SELECT count(*) FROM request_text WHERE typeof(prompt) = 'blob'") > 3900);
        // Repeated prompts are references to the row that holds them.
        QVERIFY(test::queryInt(db, "SELECT count(*) FROM request_text WHERE typeof(prompt) = 'blob' AND hex(substr(prompt, 1, 1)) = '02'") >= 390);
        QVERIFY(test::queryInt(db, "SELECT count(*) FROM request_text WHERE typeof(prompt) = 'text'") >= 3);
        QVERIFY(test::queryInt(db, "SELECT count(*) FROM request_text WHERE typeof(tools) = 'blob'") > 700);
        QCOMPARE(test::queryInt(db, "PRAGMA user_version"), std::int64_t(schema::kSchemaVersion));
        // Packing pays: the stored text is well under half its size.
        QVERIFY(test::queryInt(db, "SELECT sum(length(prompt)) FROM request_text WHERE typeof(prompt) = 'blob'") * 2
                < test::queryInt(db, "SELECT sum(length(CAST(ds_text(prompt) AS BLOB))) FROM request_text WHERE typeof(prompt) = 'blob'"));

        // Reading references leaves nothing open once the connection closes (its statement is released).
        const auto openFiles = [] { return QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::System | QDir::Files).size(); };
        const auto filesBefore = openFiles();
        QVERIFY(samePrompts(promptsOf(db), in.prompts));
        QCOMPARE(openFiles(), filesBefore);
        SqliteDb conn = CaseDatabase::openForReading(db);
        for (const auto& [id, tools] : in.tools) {
            SqliteStatement st(conn, "SELECT ds_text(tools) FROM request_text WHERE request_id = ?1");
            st.bindText(1, std::string_view(id.constData(), size_t(id.size())));
            QVERIFY(st.step());
            QCOMPARE(QByteArray(st.columnView(0).data(), qsizetype(st.columnView(0).size())), tools);
        }
        // The request detail, the report's examples and pinned requests: every prompt as imported.
        std::vector<std::int64_t> rows;
        QStringList ids;
        for (const auto& [id, prompt] : in.prompts) {
            if (!prompt)
                continue;
            const std::int64_t row = rowOf(conn, id);
            const RequestDetail d = RequestDetail::load(conn, row);
            QCOMPARE(d.prompt.toUtf8(), *prompt);
            rows.push_back(row);
            ids << QString::fromUtf8(id);
        }
        const auto examples = loadExamples(conn, rows);
        QCOMPARE(examples.size(), rows.size());
        for (const auto& e : examples)
            QCOMPARE(e.prompt.toUtf8(), *in.prompts.at(e.requestId.toUtf8()));
        const auto byId = loadExamplesByRequestId(conn, ids.mid(0, 50), 50);
        QCOMPARE(byId.size(), size_t(50));
        for (const auto& e : byId)
            QCOMPARE(e.prompt.toUtf8(), *in.prompts.at(e.requestId.toUtf8()));
    }

    void requestsExportAndRepairKeepTheText()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const Input in = makeInput(1500);
        test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), in.jsonl)});
        // The Requests table's CSV export shows each prompt's first 400 characters, unpacked.
        {
            SqliteDb conn = CaseDatabase::openForReading(db);
            const QString csv = dir.file(QStringLiteral("requests.csv"));
            CancelToken never;
            QVERIFY(exportTableCsv(conn, workspace::requestsTable(conn, ViewScope{}), csv, never) > 1500);
            QFile f(csv);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray all = f.readAll();
            int seen = 0;
            for (const auto& [id, p] : in.prompts)
                if (p && p->startsWith("You are an expert tutor") && seen < 50) {
                    QVERIFY2(all.contains(QString::fromUtf8(*p).left(400).toUtf8()), id.constData());
                    ++seen;
                }
            QCOMPARE(seen, 50);
        }
        // repair copies packed values, references and dictionaries as they are.
        const QString clean = dir.file(QStringLiteral("clean.sqlite"));
        CancelToken never;
        repairCase(db, clean, never);
        QCOMPARE(test::queryInt(clean, "SELECT count(*) FROM text_dictionary"), std::int64_t(1));
        QVERIFY(samePrompts(promptsOf(clean), in.prompts));
    }

    void searchFindsPackedText()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const Input in = makeInput(3000);
        test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), in.jsonl)});
        SqliteDb conn = CaseDatabase::openForReading(db);
        auto count = [&](const QString& query) {
            ViewScope scope;
            scope.search = SearchQuery::parse(query);
            const SqlFragment f = scopesql::requestCondition(scope);
            SqliteStatement st(conn, ("SELECT count(*) FROM request r WHERE " + f.sql).toUtf8().constData());
            for (int i = 0; i < f.params.size(); ++i)
                st.bindText(i + 1, f.params[i].toString());
            return st.step() ? st.columnInt(0) : -1;
        };
        std::int64_t expected = 0;
        for (const auto& [id, p] : in.prompts)
            expected += p && p->contains("Krebs cycle") ? 1 : 0;
        QVERIFY(expected > 100);
        QVERIFY(test::queryInt(db, "SELECT count(*) FROM request_text WHERE typeof(prompt) = 'blob' AND CAST(prompt AS BLOB) LIKE '%Krebs%'") == 0);
        QCOMPARE(count(QStringLiteral("\"Krebs cycle\"")), expected);
        QCOMPARE(count(QStringLiteral("markup")), std::int64_t(1)); // inside the 3 MB prompt
        QVERIFY(test::queryInt(db, "SELECT count(*) FROM request_text WHERE hex(substr(prompt, 1, 1)) = '02' AND ds_text(prompt) LIKE '%Krebs cycle%'") > 5);
    }

    void sameInputGivesTheSameCase()
    {
        test::ScratchDir dir;
        const Input in = makeInput(2500);
        const QString log = dir.write(QStringLiteral("r.jsonl"), in.jsonl);
        const QString a = dir.file(QStringLiteral("a.sqlite")), b = dir.file(QStringLiteral("b.sqlite"));
        test::importInto(a, {log});
        test::importInto(b, {log});
        QCOMPARE(test::queryInt(a, "SELECT count(*) FROM text_dictionary"), std::int64_t(1));
        QCOMPARE(digestOfText(a), digestOfText(b));
    }

    void laterImportsReuseOrImproveTheDictionary()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        // A small first import: too little text to train on, packed without a dictionary.
        const Input small = makeInput(200, "s");
        test::importInto(db, {dir.write(QStringLiteral("s.jsonl"), small.jsonl)});
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM text_dictionary"), std::int64_t(0));
        QVERIFY(test::queryInt(db, "SELECT count(*) FROM request_text WHERE typeof(prompt) = 'blob'") > 150);
        // A larger one trains the case's dictionary; a repeat of its request ids
        // inside the file is still caught while its rows are held back to train on.
        Input big = makeInput(3000, "b");
        const QByteArray again = "b_5";
        big.jsonl += line(again, 5, &*big.prompts[again]);
        // A repeated request with a new prompt, then a new request with that prompt: the repeat's row is
        // deleted after a bulk load, so the new request must hold the prompt itself, not refer to it.
        const QByteArray fresh = "a prompt first seen in a repeated request, long enough to be packed";
        big.jsonl += line("b_7", 7, &fresh);
        big.jsonl += line("b_new", 7, &fresh);
        big.prompts["b_new"] = fresh;
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("b.jsonl"), big.jsonl)});
        QCOMPARE(std::int64_t(s.files[0].inserted), std::int64_t(big.prompts.size()));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE request_id = 'b_5'"), std::int64_t(1));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE request_id = 'b_7'"), std::int64_t(1));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM text_dictionary"), std::int64_t(1));
        // A third, as large, keeps it.
        const Input third = makeInput(3000, "c");
        test::importInto(db, {dir.write(QStringLiteral("c.jsonl"), third.jsonl)});
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM text_dictionary"), std::int64_t(1));
        auto all = small.prompts;
        all.insert(big.prompts.begin(), big.prompts.end());
        all.insert(third.prompts.begin(), third.prompts.end());
        QVERIFY(samePrompts(promptsOf(db), all));
    }

    void plainTextCasesStillRead()
    {
        // A case as versions before packing wrote it: TEXT values, no dictionary, layout 1.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const Input in = makeInput(1500);
        test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), in.jsonl)});
        {
            SqliteDb w = CaseDatabase::openForWriting(db);
            w.exec("UPDATE request_text SET prompt = ds_text(prompt), tools = ds_text(tools), extra = ds_text(extra)");
            w.exec("DELETE FROM text_dictionary; PRAGMA user_version=1");
        }
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE typeof(prompt) = 'blob'"), std::int64_t(0));
        QVERIFY(samePrompts(promptsOf(db), in.prompts));
        SqliteDb conn = CaseDatabase::openForReading(db);
        const QByteArray id = in.prompts.begin()->first;
        QCOMPARE(RequestDetail::load(conn, rowOf(conn, id)).prompt.toUtf8(), *in.prompts.begin()->second);
    }

    // The import packs on the parser side with the writer's dictionary: every
    // packed value is the bytes the writer's own packer gives for its text.
    void textPackedOnTheParserSideIsTheWritersBytes()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), makeInput(3000, "a").jsonl)});
        // The second file finds the dictionary kept: packed on the parser side from its first row.
        const Input second = makeInput(3000, "b");
        test::importInto(db, {dir.write(QStringLiteral("b.jsonl"), second.jsonl)});
        SqliteDb conn = CaseDatabase::openForReading(db);
        QCOMPARE(conn.queryInt("SELECT count(*) FROM text_dictionary"), std::int64_t(1));
        SqliteStatement d(conn, "SELECT id, data FROM text_dictionary");
        QVERIFY(d.step());
        textcodec::TextPacker packer(d.columnInt(0), d.columnBlob(1));
        SqliteStatement st(conn, "SELECT prompt, ds_text(prompt), tools, ds_text(tools) FROM request_text");
        int packed = 0;
        std::string again;
        while (st.step()) {
            for (const int c : {0, 2}) {
                const std::string_view stored = st.columnView(c);
                if (st.isNull(c) || stored.empty() || static_cast<unsigned char>(stored[0]) != textcodec::kPackedTextFormat)
                    continue;
                QVERIFY(packer.pack(st.columnView(c + 1), again));
                QCOMPARE(QByteArray(again.data(), qsizetype(again.size())), QByteArray(stored.data(), qsizetype(stored.size())));
                ++packed;
            }
        }
        QVERIFY(packed > 5000);
        QVERIFY(samePrompts(promptsOf(db), [&] {
            auto all = makeInput(3000, "a").prompts;
            all.insert(second.prompts.begin(), second.prompts.end());
            return all;
        }()));
    }

    // The stage packs a prepared batch as the writer would, leaves rows of the
    // case to the writer, and does not pack a prompt a recent row stored in full.
    void packStagePacksWhatTheWriterWould()
    {
        std::mt19937 rng(11);
        std::string samples;
        std::vector<std::size_t> sizes;
        for (int i = 0; i < 4000; ++i) {
            const QByteArray p = templatedPrompt(rng, i);
            samples.append(p.constData(), std::size_t(p.size()));
            sizes.push_back(std::size_t(p.size()));
        }
        const QByteArray dict = textcodec::trainDictionary(samples, sizes, 64 << 10);
        QVERIFY(!dict.isEmpty());
        TextPackStage stage;
        RecordBatch batch;
        const QByteArray repeated = "a prompt that scripted traffic sends again and again, word for word";
        for (int i = 0; i < 700; ++i) {
            ParsedRequest r;
            const QByteArray p = i % 100 == 50 ? repeated : templatedPrompt(rng, i);
            r.prompt = batch.store(std::string_view(p.constData(), std::size_t(p.size())));
            if (i % 3 == 0)
                r.tools = batch.store("x"); // too short to pack: kept as text
            r.featuresDeferred = i == 7;    // a row of the case: left to the writer
            batch.requests.push_back(r);
        }
        // Before the writer publishes a dictionary nothing is packed.
        RecordBatch early;
        early.requests.emplace_back().prompt = early.store("a first request, parsed while the writer trains");
        stage.prepare(early);
        QCOMPARE(early.packGeneration, std::uint64_t(0));
        const std::uint64_t generation = stage.publish(42, dict);
        stage.prepare(batch);
        QCOMPARE(batch.packGeneration, generation);
        batch.packedArenas.resize(3);
        stage.packRows(batch, 0, 256, 0);
        stage.packRows(batch, 256, 512, 1);
        stage.packRows(batch, 512, 700, 2);
        textcodec::TextPacker writer(42, dict);
        std::string want;
        int predicted = 0;
        for (std::size_t i = 0; i < batch.requests.size(); ++i) {
            const ParsedRequest& r = batch.requests[i];
            QVERIFY(r.promptHashed);
            if (i == 7) {
                QCOMPARE(r.packed[0].state, PackedRef::NotPacked);
                continue;
            }
            if (i % 100 == 50 && i > 50) {
                // Stored in full by the row at 50: a reference, not packed.
                QCOMPARE(r.packed[0].state, PackedRef::NotPacked);
                ++predicted;
                continue;
            }
            // Packed as the writer packs it, or kept as text where the writer would keep it.
            const bool shrinks = writer.pack(batch.view(r.prompt), want);
            QCOMPARE(r.packed[0].state, shrinks ? PackedRef::Packed : PackedRef::AsText);
            if (shrinks)
                QCOMPARE(batch.packedView(r.packed[0]), std::string_view(want));
            else
                QCOMPARE(i, std::size_t(50)); // the one prompt unlike the dictionary's
            QCOMPARE(r.packed[1].state, i % 3 == 0 ? PackedRef::AsText : PackedRef::NotPacked);
        }
        QCOMPARE(predicted, 6);
        // After a rollback the writer has no dictionary: nothing is packed with the old one.
        stage.forgetUncommitted();
        stage.prepare(early);
        QCOMPARE(early.packGeneration, std::uint64_t(0));
    }

    void damagedPackedTextIsAnErrorNotACrash()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), makeInput(1500).jsonl)});
        {
            SqliteDb w = CaseDatabase::openForWriting(db);
            // A truncated frame, a frame whose declared size is huge, a dictionary the case lacks.
            w.exec("UPDATE request_text SET prompt = substr(prompt, 1, length(prompt) / 2) WHERE id = 1");
            w.exec("UPDATE request_text SET prompt = X'0101E0FFFFFFFFFFFFFF7F' WHERE id = 2");
            // 512 MB declared in a few bytes: refused before anything is allocated.
            w.exec("UPDATE request_text SET prompt = X'0101A00000002000' WHERE id = 7");
            w.exec("UPDATE request_text SET prompt = CAST(X'0163' || substr(prompt, 3) AS BLOB) WHERE id = 3");
            w.exec("UPDATE request_text SET prompt = X'99AABB' WHERE id = 4"); // not a packed value: shown as stored
            // References to a row that does not exist and to another reference.
            w.exec("UPDATE request_text SET prompt = X'02FFFF7F' WHERE id = 5");
            w.exec("UPDATE request_text SET prompt = X'0205' WHERE id = 6");
        }
        SqliteDb conn = CaseDatabase::openForReading(db);
        for (const int id : {1, 2, 3, 5, 6, 7}) {
            SqliteStatement st(conn, "SELECT ds_text(prompt) FROM request_text WHERE id = ?1");
            st.bind(1, id);
            QVERIFY_THROWS_EXCEPTION(DatabaseError, st.step());
        }
        QCOMPARE(conn.queryInt("SELECT length(ds_text(prompt)) FROM request_text WHERE id = 4"), std::int64_t(3));
        // Every other row still reads (references are left out: some name the rows damaged above).
        QCOMPARE(conn.queryInt("SELECT count(CASE WHEN hex(substr(prompt, 1, 1)) != '02' THEN ds_text(prompt) END) "
                               "FROM request_text WHERE id > 7"),
                 conn.queryInt("SELECT count(CASE WHEN hex(substr(prompt, 1, 1)) != '02' THEN prompt END) "
                               "FROM request_text WHERE id > 7"));
    }
};

QTEST_GUILESS_MAIN(TestPackedText)
#include "tst_packedtext.moc"
