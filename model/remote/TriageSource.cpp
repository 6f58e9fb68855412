// ClickHouseSource's one triage member, kept with the triage so the source's own files stay the pull's.
#include "remote/ClickHouseSource.h"

namespace ds {

bool ClickHouseSource::restrictToAccounts(const QString& accountCondition, std::int64_t expectedRows,
                                          const QList<SentQuery>& triageQueries)
{
    // The pull query reads the same columns in the same order; only its WHERE gains the account list.
    const QString where = m_query.where.isEmpty() ? accountCondition
                                                  : QStringLiteral("(%1) AND %2").arg(m_query.where, accountCondition);
    const QString from = m_query.where.isEmpty() ? m_table.fromClause()
                                                 : m_table.fromClause() + QStringLiteral(" WHERE ") + m_query.where;
    const QString before = from + QLatin1Char(')');
    if (m_query.sql.count(before) != 1)
        return false; // not the query ClickHousePullQuery::build writes: pull nothing rather than everything
    m_query.sql.replace(before, m_table.fromClause() + QStringLiteral(" WHERE ") + where + QLatin1Char(')'));
    // The account list travels in the POSTed query: let the server read a query that long.
    const qsizetype bytes = m_query.sql.toUtf8().size() + 65536;
    if (bytes > 262144)
        m_options.client.settings.append({QStringLiteral("max_query_size"), QString::number(bytes)});
    m_expectedRows = expectedRows;
    m_sent += triageQueries;
    return true;
}

} // namespace ds
