#include "report/CaseExports.h"

#include "case/AuditLog.h"
#include "case/CaseStore.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "core/Timestamp.h"
#include "remote/RemotePullRecord.h"
#include "report/SharedInfrastructure.h"
#include "report/StixBundle.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include "core/OutputFile.h"

namespace ds::exports {

namespace {

QString iso(std::int64_t ms) { return ms ? timestamp::toIso(ms) : QString(); }
QJsonValue isoOrNull(std::int64_t ms) { return ms ? QJsonValue(timestamp::toIso(ms)) : QJsonValue(QJsonValue::Null); }

ExportedFile finish(const QString& path, std::int64_t rows, const QString& error)
{
    ExportedFile f{path, {}, rows, error};
    if (error.isEmpty())
        f.sha256 = exportfiles::sha256OfFile(path);
    return f;
}

} // namespace

ExportedFile writeConfirmedAccountsCsv(SqliteDb& db, const CaseFindings& findings, const QString& path)
{
    std::map<std::int64_t, double> networkScore;
    for (const auto& n : findings.networks)
        networkScore[n.cluster.id] = n.cluster.score;
    QByteArray out = exportfiles::csvLine({QStringLiteral("account_id"), QStringLiteral("network"), QStringLiteral("network_score"),
                                           QStringLiteral("account_score"), QStringLiteral("review_state"), QStringLiteral("requests"),
                                           QStringLiteral("output_tokens"), QStringLiteral("first_seen"), QStringLiteral("last_seen"),
                                           QStringLiteral("email_domain"), QStringLiteral("payment_fingerprint"),
                                           QStringLiteral("billing_country"), QStringLiteral("created_at")});
    SqliteStatement st(db, "SELECT e.value, p.value, a.billing_country, a.created_at FROM account a "
                           "LEFT JOIN email_domain e ON e.id = a.email_domain "
                           "LEFT JOIN payment_fingerprint p ON p.id = a.payment_fingerprint WHERE a.id = ?1");
    for (const auto& a : findings.accounts) {
        st.reset();
        st.bind(1, a.account);
        QStringList attrs(4);
        if (st.step()) {
            attrs[0] = st.columnText(0);
            attrs[1] = st.columnText(1);
            attrs[2] = st.columnText(2);
            attrs[3] = st.isNull(3) ? QString() : iso(st.columnInt(3));
        }
        // The network's confirmation makes its members confirmed even when the account itself was not reviewed.
        const ReviewState effective = a.state == ReviewState::Unreviewed ? ReviewState::Confirmed : a.state;
        out += exportfiles::csvLine({a.accountId, a.network,
                                     a.cluster ? QString::number(networkScore[*a.cluster], 'f', 3) : QString(),
                                     QString::number(a.score, 'f', 3), reviewStateKey(effective), QString::number(a.requests),
                                     QString::number(a.outputTokens), iso(a.firstTs), iso(a.lastTs), attrs[0], attrs[1],
                                     attrs[2], attrs[3]});
    }
    return finish(path, static_cast<std::int64_t>(findings.accounts.size()), exportfiles::writeAll(path, out));
}

ExportedFile writeRequestIdsCsv(SqliteDb& db, const CaseFindings& findings, const QString& path, const CancelToken& cancel)
{
    OutputFile file(path);
    std::int64_t rows = 0;
    // A full disk or a closed pipe stops the export at the first short write; the partial file is discarded.
    const auto failed = [&] {
        ExportedFile f{path, {}, rows, QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
        file.cancel();
        return f;
    };
    if (!file.open())
        return failed();
    std::map<std::int64_t, QString> fileSha;
    {
        SqliteStatement st(db, "SELECT id, sha256 FROM source_file");
        while (st.step())
            fileSha[st.columnInt(0)] = st.columnText(1);
    }
    if (!file.write(exportfiles::csvLine({QStringLiteral("request_id"), QStringLiteral("account_id"), QStringLiteral("network"),
                                          QStringLiteral("timestamp"), QStringLiteral("source_sha256"), QStringLiteral("line")})))
        return failed();
    SqliteStatement st(db, "SELECT t.request_id, r.ts, r.source_file, r.line FROM request r JOIN request_text t ON t.id = r.id "
                           "WHERE r.account = ?1 ORDER BY r.ts, r.id");
    QByteArray buffer;
    for (const auto& a : findings.accounts) {
        st.reset();
        st.bind(1, a.account);
        while (st.step()) {
            if ((++rows & 0x3fff) == 0) {
                if (cancel.isCancelled())
                    throw Cancelled{}; // OutputFile discards the partial file
                if (!file.write(buffer))
                    return failed();
                buffer.clear();
            }
            buffer += exportfiles::csvLine({st.columnText(0), a.accountId, a.network, timestamp::toIso(st.columnInt(1)),
                                            fileSha[st.columnInt(2)], QString::number(st.columnInt(3))});
        }
    }
    if (!file.write(buffer) || !file.commit())
        return failed();
    return finish(path, rows, {});
}

QJsonObject caseJson(SqliteDb& db, const CaseFindings& findings)
{
    const CaseStore store(db);
    const CaseNotes notes = store.notes();
    QJsonObject root;
    root.insert(QStringLiteral("format"), QStringLiteral("distillscope-case"));
    root.insert(QStringLiteral("format_version"), 1);
    root.insert(QStringLiteral("distillscope_version"), QStringLiteral(DS_VERSION));
    QJsonObject n;
    for (int i = 0; i < kNoteFieldCount; ++i)
        n.insert(QString::fromLatin1(noteFieldKey(static_cast<NoteField>(i))), notes.value(static_cast<NoteField>(i)));
    n.insert(QStringLiteral("created_at"), isoOrNull(CaseDatabase::meta(db, "case_created_at").toLongLong()));
    root.insert(QStringLiteral("case"), n);

    QJsonArray sources;
    const auto pulls = loadRemotePulls(db);
    SqliteStatement sf(db, "SELECT path, size, sha256, kind, format, compression, records, inserted, quarantined, first_ts, "
                           "last_ts, imported_at, id FROM source_file ORDER BY id");
    while (sf.step()) {
        QJsonObject remote;
        if (const auto it = pulls.find(sf.columnInt(12)); it != pulls.end()) {
            const RemotePullRecord& r = it->second;
            remote = QJsonObject{{QStringLiteral("kind"), r.kind},
                                 {QStringLiteral("address"), r.address},
                                 {QStringLiteral("server_version"), r.serverVersion},
                                 {QStringLiteral("database"), r.database},
                                 {QStringLiteral("table"), r.table},
                                 {QStringLiteral("table_engine"), r.tableEngine},
                                 {QStringLiteral("query"), r.query},
                                 {QStringLiteral("since"), r.sinceMs ? isoOrNull(*r.sinceMs) : QJsonValue(QJsonValue::Null)},
                                 {QStringLiteral("until"), r.untilMs ? isoOrNull(*r.untilMs) : QJsonValue(QJsonValue::Null)},
                                 {QStringLiteral("started_at"), isoOrNull(r.startedAt)},
                                 {QStringLiteral("finished_at"), isoOrNull(r.finishedAt)},
                                 {QStringLiteral("rows"), qint64(r.rows)},
                                 {QStringLiteral("bytes"), qint64(r.bytes)},
                                 {QStringLiteral("sha256"), r.sha256},
                                 {QStringLiteral("queries_sent"), r.queriesSent}};
        }
        QJsonObject source{{QStringLiteral("path"), sf.columnText(0)},
                                   {QStringLiteral("size"), qint64(sf.columnInt(1))},
                                   {QStringLiteral("sha256"), sf.columnText(2)},
                                   {QStringLiteral("kind"), sf.columnText(3)},
                                   {QStringLiteral("format"), sf.columnText(4)},
                                   {QStringLiteral("compression"), sf.columnText(5)},
                                   {QStringLiteral("records"), qint64(sf.columnInt(6))},
                                   {QStringLiteral("inserted"), qint64(sf.columnInt(7))},
                                   {QStringLiteral("quarantined"), qint64(sf.columnInt(8))},
                                   {QStringLiteral("first"), isoOrNull(sf.isNull(9) ? 0 : sf.columnInt(9))},
                                   {QStringLiteral("last"), isoOrNull(sf.isNull(10) ? 0 : sf.columnInt(10))},
                                   {QStringLiteral("imported_at"), isoOrNull(sf.columnInt(11))}};
        if (!remote.isEmpty())
            source.insert(QStringLiteral("remote"), remote);
        sources.append(source);
    }
    root.insert(QStringLiteral("sources"), sources);

    if (findings.run) {
        const DetectionResults results(db, *findings.run);
        const auto run = results.run();
        root.insert(QStringLiteral("detection_run"),
                    QJsonObject{{QStringLiteral("id"), qint64(run.id)},
                                {QStringLiteral("started_at"), isoOrNull(run.startedAt)},
                                {QStringLiteral("finished_at"), isoOrNull(run.finishedAt)},
                                {QStringLiteral("status"), run.status},
                                {QStringLiteral("settings"), run.settings},
                                {QStringLiteral("accounts"), qint64(run.accounts)},
                                {QStringLiteral("requests"), qint64(run.requests)}});
        QJsonArray networks;
        for (std::size_t i = 0; i < findings.flagged.size(); ++i) {
            const auto& c = findings.flagged[i];
            QJsonArray reasons, members;
            for (const auto& r : results.clusterReasons(c.id))
                reasons.append(QJsonObject{{QStringLiteral("key"), r.key}, {QStringLiteral("text"), r.text},
                                           {QStringLiteral("weight"), r.weight}, {QStringLiteral("evidence"), r.evidence}});
            for (const auto& m : results.clusterMembers(c.id))
                members.append(m.accountId);
            networks.append(QJsonObject{{QStringLiteral("id"), qint64(c.id)},
                                        {QStringLiteral("label"), c.label},
                                        {QStringLiteral("score"), c.score},
                                        {QStringLiteral("review_state"), reviewStateKey(findings.flaggedStates[i])},
                                        {QStringLiteral("accounts"), members},
                                        {QStringLiteral("requests"), qint64(c.requests)},
                                        {QStringLiteral("output_tokens"), qint64(c.outputTokens)},
                                        {QStringLiteral("first"), isoOrNull(c.firstTs)},
                                        {QStringLiteral("last"), isoOrNull(c.lastTs)},
                                        {QStringLiteral("reasons"), reasons}});
        }
        root.insert(QStringLiteral("networks"), networks);
    }
    QJsonArray accounts;
    for (const auto& a : findings.accounts)
        accounts.append(QJsonObject{{QStringLiteral("account_id"), a.accountId},
                                    {QStringLiteral("network"), a.network.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(a.network)},
                                    {QStringLiteral("review_state"), reviewStateKey(a.state)},
                                    {QStringLiteral("score"), a.score},
                                    {QStringLiteral("requests"), qint64(a.requests)},
                                    {QStringLiteral("output_tokens"), qint64(a.outputTokens)},
                                    {QStringLiteral("first"), isoOrNull(a.firstTs)},
                                    {QStringLiteral("last"), isoOrNull(a.lastTs)}});
    root.insert(QStringLiteral("confirmed_accounts"), accounts);

    QJsonArray reviewed;
    for (const auto& [account, state] : store.accountStates()) {
        SqliteStatement st(db, "SELECT account_id FROM account WHERE id = ?1");
        st.bind(1, account);
        reviewed.append(QJsonObject{{QStringLiteral("account_id"), st.step() ? st.columnText(0) : QString()},
                                    {QStringLiteral("review_state"), reviewStateKey(state)}});
    }
    root.insert(QStringLiteral("account_reviews"), reviewed);

    QJsonArray pins;
    for (const auto& p : store.pins()) {
        QJsonObject o{{QStringLiteral("id"), qint64(p.id)},
                      {QStringLiteral("kind"), pinKindKey(p.kind)},
                      {QStringLiteral("title"), p.title},
                      {QStringLiteral("note"), p.note},
                      {QStringLiteral("created_at"), isoOrNull(p.createdAt)},
                      {QStringLiteral("payload"), p.payload}};
        if (p.run)
            o.insert(QStringLiteral("network"), QJsonObject{{QStringLiteral("run"), qint64(*p.run)}, {QStringLiteral("id"), qint64(*p.cluster)}});
        if (!p.svg.isEmpty())
            o.insert(QStringLiteral("svg_base64"), QString::fromLatin1(p.svg.toBase64()));
        if (!p.picture.isEmpty())
            o.insert(QStringLiteral("qpicture_base64"), QString::fromLatin1(p.picture.toBase64()));
        if (!p.thumbnail.isEmpty())
            o.insert(QStringLiteral("thumbnail_png_base64"), QString::fromLatin1(p.thumbnail.toBase64()));
        pins.append(o);
    }
    root.insert(QStringLiteral("pins"), pins);

    QJsonArray log;
    for (const auto& e : audit::entries(db))
        log.append(QJsonObject{{QStringLiteral("id"), qint64(e.id)},
                               {QStringLiteral("at"), isoOrNull(e.at)},
                               {QStringLiteral("recorded_at"), isoOrNull(e.recordedAt)},
                               {QStringLiteral("user"), e.user},
                               {QStringLiteral("action"), e.action},
                               {QStringLiteral("subject"), e.subject},
                               {QStringLiteral("details"), e.details}});
    root.insert(QStringLiteral("audit_log"), log);
    return root;
}

ExportedFile writeCaseJson(SqliteDb& db, const CaseFindings& findings, const QString& path)
{
    const QJsonObject o = caseJson(db, findings);
    return finish(path, o.value(QStringLiteral("confirmed_accounts")).toArray().size(),
                  exportfiles::writeAll(path, QJsonDocument(o).toJson(QJsonDocument::Indented)));
}

ExportedFile writeStixBundle(SqliteDb& db, const CaseFindings& findings, const QString& path, const CancelToken& cancel)
{
    const auto infra = computeInfrastructure(db, findings, cancel);
    const CaseNotes notes = CaseStore(db).notes();
    const std::int64_t finished = findings.run ? DetectionResults(db, *findings.run).run().finishedAt : 0;
    const QJsonObject bundle = stix::buildBundle(notes.caseId, notes.analyst, finished, findings.networks, infra);
    return finish(path, bundle.value(QStringLiteral("objects")).toArray().size(),
                  exportfiles::writeAll(path, QJsonDocument(bundle).toJson(QJsonDocument::Indented)));
}

void auditExport(SqliteDb& db, const QString& kind, const ExportedFile& file)
{
    audit::append(db, QStringLiteral("export"), kind,
                  {{QStringLiteral("path"), file.path}, {QStringLiteral("sha256"), file.sha256}, {QStringLiteral("rows"), qint64(file.rows)}});
}

} // namespace ds::exports
