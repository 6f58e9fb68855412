#include "sim/SimCorpus.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include <zlib.h>

#include <mutex>

namespace ds {

QByteArray simGunzip(const QByteArray& compressed)
{
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK) // 32: accept gzip or zlib headers
        return {};
    QByteArray out;
    char buf[1 << 16];
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.constData()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&zs);
            return {};
        }
        out.append(buf, static_cast<qsizetype>(sizeof buf - zs.avail_out));
    }
    inflateEnd(&zs);
    return out;
}

namespace {

QByteArray readCorpus(const char* name, QString* error)
{
    QFile f(QStringLiteral(":/sim/corpora/%1.gz").arg(QLatin1String(name)));
    QByteArray data;
    if (f.open(QIODevice::ReadOnly))
        data = simGunzip(f.readAll());
    if (data.isEmpty() && error && error->isEmpty())
        *error = QStringLiteral("embedded prompt corpus %1 is missing or corrupt").arg(QLatin1String(name));
    return data;
}

std::string utf8(const QJsonValue& v) { return v.toString().toStdString(); }

// Each non-empty line as a JSON value.
QList<QJsonValue> jsonLines(const QByteArray& data)
{
    QList<QJsonValue> out;
    for (const QByteArray& line : data.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        // Wrapping in an array also accepts lines that are a bare JSON string.
        const QJsonDocument d = QJsonDocument::fromJson("[" + line + "]");
        if (d.isArray() && !d.array().isEmpty())
            out.append(d.array().at(0));
    }
    return out;
}

// RFC 4180 rows (quoted fields may hold commas, quotes and newlines).
std::vector<std::vector<std::string>> csvRows(const QByteArray& data)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data[i];
        if (quoted) {
            if (c == '"' && i + 1 < data.size() && data[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n')
                ++i;
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            field += c;
        }
    }
    if (!field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

bool looksLikeCode(const std::string& s)
{
    static const char* const kMarks[] = {"```", "code", "function", "python", "c++", "javascript", "sql", "program",
                                         "script", "class ", "api", "regex", "bash", "rust", "java"};
    std::string low = s;
    for (char& c : low)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    for (const char* m : kMarks)
        if (low.find(m) != std::string::npos)
            return true;
    return false;
}

} // namespace

bool SimCorpus::load(QString* error)
{
    QString err;
    // Awesome prompts: role prompts; the developer ones ask for code.
    const auto awesome = csvRows(readCorpus("benign_awesome_prompts.csv", &err));
    for (std::size_t i = 1; i < awesome.size(); ++i) {
        const auto& r = awesome[i];
        if (r.size() < 4 || r[3] == "IMAGE" || r[1].size() < 20)
            continue;
        // Very long role prompts are rare in real traffic; cap them like a chat box would be used.
        std::string text = r[1].size() > 3000 ? r[1].substr(0, r[1].rfind(' ', 3000)) : r[1];
        (r[2] == "TRUE" ? devQuestions : chat).push_back(std::move(text));
    }
    for (const QJsonValue& v : jsonLines(readCorpus("benign_arena_hard_v0.1.jsonl", &err))) {
        std::string p = utf8(v.toObject().value(QStringLiteral("prompt")));
        if (!p.empty())
            (looksLikeCode(p) ? devQuestions : chat).push_back(std::move(p));
    }
    for (const QJsonValue& v : jsonLines(readCorpus("benign_oasst_prompt_lottery_en_250.jsonl", &err)))
        if (v.isString())
            chat.push_back(utf8(v));
    for (const QJsonValue& v : jsonLines(readCorpus("benign_vicuna_bench_questions.jsonl", &err))) {
        const QJsonArray turns = v.toObject().value(QStringLiteral("turns")).toArray();
        if (!turns.isEmpty())
            (v.toObject().value(QStringLiteral("category")).toString() == QLatin1String("coding") ? devQuestions : chat)
                .push_back(utf8(turns.at(0)));
    }
    for (const QJsonValue& v : jsonLines(readCorpus("attack_gsm8k_train.jsonl", &err))) {
        const QJsonObject o = v.toObject();
        gsm8k.push_back({utf8(o.value(QStringLiteral("question"))), utf8(o.value(QStringLiteral("answer")))});
    }
    for (const char* name : {"attack_self_instruct_seed_tasks.jsonl", "attack_self_instruct_user_oriented_252.jsonl"}) {
        for (const QJsonValue& v : jsonLines(readCorpus(name, &err))) {
            const QJsonObject o = v.toObject();
            const QJsonArray inst = o.value(QStringLiteral("instances")).toArray();
            selfInstruct.push_back({utf8(o.value(QStringLiteral("instruction"))),
                                    inst.isEmpty() ? std::string() : utf8(inst.at(0).toObject().value(QStringLiteral("input")))});
        }
    }
    {
        const QJsonDocument d = QJsonDocument::fromJson(readCorpus("attack_gpteacher_codegen.json", &err));
        for (const QJsonValue& v : d.array()) {
            const QJsonObject o = v.toObject();
            codegen.push_back({utf8(o.value(QStringLiteral("instruction"))), utf8(o.value(QStringLiteral("input")))});
        }
    }
    for (const QJsonValue& v : jsonLines(readCorpus("attack_humaneval.jsonl", &err)))
        humaneval.push_back(utf8(v.toObject().value(QStringLiteral("prompt"))));
    for (const QJsonValue& v : jsonLines(readCorpus("attack_fastchat_judge_prompts.jsonl", &err))) {
        const QJsonObject o = v.toObject();
        judges.push_back({utf8(o.value(QStringLiteral("system_prompt"))), utf8(o.value(QStringLiteral("prompt_template")))});
    }
    for (const QJsonValue& v : jsonLines(readCorpus("attack_bfcl_live_simple.json", &err))) {
        const QJsonObject o = v.toObject();
        ToolTask t;
        const QJsonArray turns = o.value(QStringLiteral("question")).toArray().at(0).toArray();
        for (const QJsonValue& turn : turns)
            if (turn.toObject().value(QStringLiteral("role")).toString() == QLatin1String("user"))
                t.question = utf8(turn.toObject().value(QStringLiteral("content")));
        const QJsonArray fns = o.value(QStringLiteral("function")).toArray();
        for (const QJsonValue& f : fns)
            t.toolNames.push_back(utf8(f.toObject().value(QStringLiteral("name"))));
        t.schemaJson = QJsonDocument(fns).toJson(QJsonDocument::Compact).toStdString();
        if (!t.question.empty() && !t.toolNames.empty())
            tools.push_back(std::move(t));
    }
    for (const QJsonValue& v : QJsonDocument::fromJson(readCorpus("ua_top100.json", &err)).array())
        browserAgents.push_back(utf8(v));

    if (err.isEmpty() && (chat.empty() || devQuestions.empty() || gsm8k.empty() || selfInstruct.empty() ||
                          codegen.empty() || humaneval.empty() || judges.empty() || tools.empty() || browserAgents.empty()))
        err = QStringLiteral("an embedded prompt corpus parsed to nothing");
    if (error)
        *error = err;
    return err.isEmpty();
}

const SimCorpus* SimCorpus::shared(QString* error)
{
    static SimCorpus corpus;
    static QString loadError;
    static std::once_flag once;
    std::call_once(once, [] { corpus.load(&loadError); });
    if (error)
        *error = loadError;
    return loadError.isEmpty() ? &corpus : nullptr;
}

} // namespace ds
