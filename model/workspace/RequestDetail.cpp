#include "workspace/RequestDetail.h"

#include "core/Sqlite.h"
#include "core/Timestamp.h"
#include "text/PromptFeatures.h"
#include "text/PromptSkeleton.h"
#include "workspace/Scope.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ds {

RequestDetail RequestDetail::load(SqliteDb& db, std::int64_t requestRowId)
{
    RequestDetail d;
    SqliteStatement st(db, R"SQL(
        SELECT rt.request_id, r.ts, a.account_id, (SELECT value FROM org WHERE id = r.org),
               (SELECT value FROM api_key WHERE id = r.api_key), (SELECT value FROM ip WHERE id = r.ip),
               (SELECT value FROM user_agent WHERE id = r.user_agent), (SELECT value FROM model WHERE id = r.model),
               (SELECT value FROM endpoint WHERE id = r.endpoint), (SELECT value FROM system_prompt WHERE id = r.system_prompt),
               ds_text(rt.prompt), ds_text(rt.tools), r.prompt_tokens, r.completion_tokens, r.max_tokens,
               (SELECT value FROM stop_reason WHERE id = r.stop_reason), r.latency_ms, r.status,
               printf('%016x', )SQL" DS_TEMPLATE_KEY_SQL R"SQL(), r.prompt_flags, r.category, f.path, r.line, ds_text(rt.extra), r.account
        FROM request r JOIN account a ON a.id = r.account LEFT JOIN request_text rt ON rt.id = r.id
             LEFT JOIN source_file f ON f.id = r.source_file
        WHERE r.id = ?)SQL");
    st.bind(1, requestRowId);
    if (!st.step())
        return d;
    d.id = requestRowId;
    d.accountRowId = st.columnInt(24);
    auto text = [&](int c) { return st.isNull(c) ? QString() : st.columnText(c); };
    auto num = [&](int c) { return st.isNull(c) ? QString() : QString::number(st.columnInt(c)); };
    const std::uint32_t flags = static_cast<std::uint32_t>(st.columnInt(19));
    QStringList markers;
    if (flags & FlagCotElicitation)
        markers << QStringLiteral("chain-of-thought elicitation");
    if (flags & FlagGrading)
        markers << QStringLiteral("grading / rubric");
    if (flags & FlagSensitiveRewrite)
        markers << QStringLiteral("sensitive rewrite");
    if (flags & FlagCode)
        markers << QStringLiteral("code");
    if (flags & FlagToolSchema)
        markers << QStringLiteral("tool schema");
    if (flags & FlagMultiTurn)
        markers << QStringLiteral("multi-turn");
    if (flags & FlagLongOutputAsked)
        markers << QStringLiteral("long output asked");
    d.fields = {
        {QStringLiteral("request_id"), text(0)},
        {QStringLiteral("timestamp"), timestamp::toIso(st.columnInt(1))},
        {QStringLiteral("account_id"), text(2)},
        {QStringLiteral("org_id"), text(3)},
        {QStringLiteral("api_key_id"), text(4)},
        {QStringLiteral("ip"), text(5)},
        {QStringLiteral("user_agent"), text(6)},
        {QStringLiteral("model"), text(7)},
        {QStringLiteral("endpoint"), text(8)},
        {QStringLiteral("tools"), text(11)},
        {QStringLiteral("prompt_tokens"), num(12)},
        {QStringLiteral("completion_tokens"), num(13)},
        {QStringLiteral("max_tokens"), num(14)},
        {QStringLiteral("stop_reason"), text(15)},
        {QStringLiteral("latency_ms"), num(16)},
        {QStringLiteral("status"), num(17)},
        {QStringLiteral("template"), text(18)},
        {QStringLiteral("markers"), markers.join(QStringLiteral(", "))},
        {QStringLiteral("category"), QString::fromLatin1(taskCategoryName(static_cast<TaskCategory>(st.columnInt(20))))},
        {QStringLiteral("source"), QStringLiteral("%1:%2").arg(text(21), num(22))},
    };
    d.systemPrompt = text(9);
    d.prompt = text(10);
    d.skeleton = QString::fromStdString(promptSkeleton(d.prompt.toStdString()));
    const QJsonObject extra = QJsonDocument::fromJson(text(23).toUtf8()).object();
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        const QJsonValue v = it.value();
        const QString shown = v.isString() ? v.toString()
                              : v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
                              : v.isArray()  ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact))
                              : v.isBool()   ? (v.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                              : v.isNull()   ? QStringLiteral("null")
                                             : QString::number(v.toDouble(), 'g', 17);
        d.extraFields.append({it.key(), shown});
    }
    return d;
}

} // namespace ds
