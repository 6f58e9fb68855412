#pragma once

#include <QString>

namespace ds {

// Where the triage finds each canonical field in a remote table: one ClickHouse SQL expression per field, already
// reduced to a plain value (a Nullable column wrapped in ifNull, an absent column as a constant), plus the table
// reference and the row filter. The source (remote/ClickHouse*) fills it from the table's description and the
// format preset; the triage only pastes the expressions into its queries. Value type: any thread.
struct TriageColumns
{
    QString table;            // `db`.`table`, with FINAL appended by the source when the engine keeps row versions
    QString where;            // row filter (time range), empty: every row
    QString account;          // String
    QString timestampSeconds; // Int64 epoch seconds (see timestampSecondsExpr)
    QString ip;               // String, '' when unknown
    QString userAgent;        // String, '' when unknown
    QString systemPrompt;     // String
    QString prompt;           // String
    QString promptTokens;     // Int64, 0 when unknown
    QString completionTokens; // Int64, 0 when unknown
    QString stopReason;       // String
    QString toolsOffered;     // UInt8: 1 when the request offered tools
    bool templatesKnown = true; // the prompt is a column of its own (not inside a JSON body): fingerprint it

    // The canonical column names of docs/LOG_FORMAT.md, every column plain (not Nullable), `tools` an array.
    static TriageColumns canonical(const QString& table);
};

// How the timestamp column of a given ClickHouse type becomes epoch seconds: DateTime, DateTime64(n), String
// (RFC 3339 or 'YYYY-MM-DD hh:mm:ss', read with parseDateTimeBestEffort, UTC when no offset is written) or an integer
// of epoch milliseconds. Nullable types keep their inner rule. `column` must already be quoted.
QString timestampSecondsExpr(const QString& column, const QString& clickhouseType);

// A ClickHouse single-quoted string literal holding `text` (backslash and quote escaped). Any thread.
QString sqlString(const QString& text);

} // namespace ds
