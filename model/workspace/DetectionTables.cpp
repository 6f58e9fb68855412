#include "workspace/DetectionTables.h"

#include "core/Sqlite.h"
#include "detect/DetectionResults.h"
#include "workspace/WorkspaceTables.h"

namespace ds::detectiontables {

std::optional<std::int64_t> latestRun(SqliteDb& db) { return DetectionResults::latestRun(db); }

void appendAccountColumns(SqliteDb& db, std::int64_t run, TableSpec& t)
{
    const QString r = QString::number(run);
    auto result = [&](const char* col) {
        return QStringLiteral("(SELECT %1 FROM account_result WHERE run = %2 AND account = a.id)").arg(QLatin1String(col), r);
    };
    const QList<ColumnSpec> main = {
        {QStringLiteral("Score"), result("score"), QStringLiteral("COALESCE(%1, -1)").arg(result("score")), ColumnRole::Real,
         QStringLiteral("Detection score from 0 to 1; 0.5 and above is flagged.")},
        {QStringLiteral("Flagged"), result("flagged"), QStringLiteral("COALESCE(%1, -1)").arg(result("flagged")),
         ColumnRole::Bool, QStringLiteral("Whether detection flagged the account, in a network or on its own.")},
        {QStringLiteral("Cluster"),
         QStringLiteral("(SELECT c.label FROM account_result ar JOIN cluster c ON c.run = ar.run AND c.id = ar.cluster "
                        "WHERE ar.run = %1 AND ar.account = a.id)")
             .arg(r),
         QStringLiteral("COALESCE(%1, 1e18)").arg(result("cluster")), ColumnRole::Text,
         QStringLiteral("The flagged network the account belongs to, if any.")},
        {QStringLiteral("Output tokens"), result("output_tokens"),
         QStringLiteral("COALESCE(%1, -1)").arg(result("output_tokens")), ColumnRole::Integer,
         QStringLiteral("Output tokens billed to the account over the whole case.")},
    };
    // Right after the account id, where the eye starts; indicators go to the end.
    for (qsizetype i = 0; i < main.size(); ++i)
        t.columns.insert(1 + i, main[i]);
    SqliteStatement st(db, "SELECT indicator, label, description, key FROM indicator_baseline WHERE run = ? ORDER BY indicator");
    st.bind(1, run);
    while (st.step()) {
        const QString value = QStringLiteral("(SELECT value FROM account_indicator WHERE run = %1 AND account = a.id AND "
                                             "indicator = %2)")
                                  .arg(r)
                                  .arg(st.columnInt(0));
        t.columns.append({st.columnText(1), value, QStringLiteral("COALESCE(%1, -1e300)").arg(value), ColumnRole::Real,
                          st.columnText(2) + QStringLiteral(" Filter key: %1.").arg(st.columnText(3))});
    }
    // Suspicious first: the analyst opens the table on the highest scores.
    t.defaultSortColumn = 1;
    t.defaultDescending = true;
}

TableSpec clustersTable(SqliteDb& db, const QString& filter)
{
    TableSpec t;
    const std::optional<std::int64_t> run = latestRun(db);
    t.from = QStringLiteral("cluster c");
    t.idKey = QStringLiteral("c.id");
    t.where = {QStringLiteral("c.run = ?"), {qint64(run.value_or(-1))}};
    if (!filter.isEmpty())
        t.where.andWith({QStringLiteral("c.label LIKE ?1x OR EXISTS (SELECT 1 FROM reason re WHERE re.run = c.run AND "
                                        "re.subject_kind = 'cluster' AND re.subject = c.id AND re.text LIKE ?1x) OR EXISTS "
                                        "(SELECT 1 FROM cluster_member m JOIN account a ON a.id = m.account WHERE m.run = "
                                        "c.run AND m.cluster = c.id AND a.account_id LIKE ?1x)")
                             .replace(QStringLiteral("?1x"), QStringLiteral("? ESCAPE '\\'")),
                         {}});
    if (!filter.isEmpty()) {
        const QString like = QLatin1Char('%') + scopesql::escapeLike(filter) + QLatin1Char('%');
        t.where.params << like << like << like;
    }
    const QString topReasons = QStringLiteral(
        "(SELECT group_concat(text, '  |  ') FROM (SELECT text FROM reason re WHERE re.run = c.run AND re.subject_kind = "
        "'cluster' AND re.subject = c.id ORDER BY rank LIMIT 3))");
    t.columns = {
        {QStringLiteral("Rank"), QStringLiteral("c.id"), QStringLiteral("c.id"), ColumnRole::Integer,
         QStringLiteral("Position by score: 1 is the strongest network.")},
        {QStringLiteral("Cluster"), QStringLiteral("c.label"), QStringLiteral("c.label"), ColumnRole::Text,
         QStringLiteral("Name of the flagged network.")},
        {QStringLiteral("Score"), QStringLiteral("c.score"), QStringLiteral("c.score"), ColumnRole::Real,
         QStringLiteral("How strongly the network looks like a coordinated distillation campaign, 0 to 1.")},
        {QStringLiteral("Accounts"), QStringLiteral("c.accounts"), QStringLiteral("c.accounts"), ColumnRole::Integer,
         QStringLiteral("Accounts in the network.")},
        {QStringLiteral("Requests"), QStringLiteral("c.requests"), QStringLiteral("c.requests"), ColumnRole::Integer,
         QStringLiteral("Requests sent by the network's accounts.")},
        {QStringLiteral("Output tokens"), QStringLiteral("c.output_tokens"), QStringLiteral("c.output_tokens"),
         ColumnRole::Integer, QStringLiteral("Output tokens harvested by the network.")},
        {QStringLiteral("First"), QStringLiteral("c.first_ts"), QStringLiteral("COALESCE(c.first_ts, 0)"), ColumnRole::Time,
         QStringLiteral("First request of the network (UTC).")},
        {QStringLiteral("Last"), QStringLiteral("c.last_ts"), QStringLiteral("COALESCE(c.last_ts, 0)"), ColumnRole::Time,
         QStringLiteral("Last request of the network (UTC).")},
        {QStringLiteral("Top reasons"), topReasons, QString(), ColumnRole::Text,
         QStringLiteral("The strongest reasons detection gives, most important first.")},
    };
    // Review states belong to the case (model/case); a case without that table has reviewed nothing.
    // A network a re-run left Needs review says which verdict it came from (case/ReviewCarry.h).
    const QString wasVerdict =
        workspace::tableExists(db, "review_carry")
            ? QStringLiteral("coalesce((SELECT ' (was ' || group_concat(CASE k.old_state WHEN 1 THEN 'Confirmed' WHEN 2 "
                             "THEN 'False positive' ELSE 'Needs review' END || ' as N-' || k.from_cluster || ' of run ' "
                             "|| k.from_run, '; ') || ')' FROM review_carry k WHERE k.run = c.run AND k.cluster = c.id "
                             "AND k.new_state = 3), '')")
            : QStringLiteral("''");
    const QString review = workspace::tableExists(db, "cluster_review")
                               ? QStringLiteral("CASE (SELECT state FROM cluster_review r WHERE r.run = c.run AND r.cluster = c.id) "
                                                "WHEN 1 THEN 'Confirmed' WHEN 2 THEN 'False positive' WHEN 3 THEN 'Needs review' || "
                                                "%1 ELSE 'Unreviewed' END")
                                     .arg(wasVerdict)
                               : QStringLiteral("'Unreviewed'");
    // Next to the score, so the triage columns (rank, name, score, verdict, size) fit the dock without scrolling.
    t.columns.insert(3, {QStringLiteral("Review"), review, QString(), ColumnRole::Text,
                         QStringLiteral("The analyst's verdict on the network: unreviewed, confirmed, false positive or needs review."),
                         true});
    return t;
}

std::vector<std::int64_t> clusterMembers(SqliteDb& db, std::int64_t run, std::int64_t cluster)
{
    std::vector<std::int64_t> out;
    SqliteStatement st(db, "SELECT account FROM cluster_member WHERE run = ? AND cluster = ? ORDER BY account");
    st.bind(1, run);
    st.bind(2, cluster);
    while (st.step())
        out.push_back(st.columnInt(0));
    return out;
}

} // namespace ds::detectiontables
