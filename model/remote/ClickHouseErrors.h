#pragma once

#include "remote/ClickHouseClient.h"

#include <QAbstractSocket>

namespace ds::clickhouseerrors {

// Turns what went wrong with a ClickHouse request into one ClickHouseError and one sentence
// for the analyst. The server's own text is quoted only where it adds something (a column
// name, an unusual refusal), shortened and made safe to print. Pure functions: any thread.

// `serverText` is the body of a refusal ("Code: 60, e.displayText() = DB::Exception: Table
// logs.x doesn't exist., e.what() = DB::Exception" on 18.16, "Code: 60. DB::Exception: ...
// (UNKNOWN_TABLE) (version 23.8 ...)" later), or an exception appended to a body under way.
ClickHouseResponse fromServer(ClickHouseResponse r, const ClickHouseUrl& url, const QByteArray& serverText);
ClickHouseResponse fromSocket(ClickHouseResponse r, const ClickHouseUrl& url, QAbstractSocket::SocketError error,
                              const QString& errorString);
ClickHouseResponse timedOut(ClickHouseResponse r, const ClickHouseUrl& url, int idleTimeoutMs);
ClickHouseResponse cancelled(ClickHouseResponse r);

// The exception code at the start of a ClickHouse error text, or 0.
int serverCode(const QByteArray& serverText);
// The message of a ClickHouse error text, without code, exception class and version.
QString serverMessage(const QByteArray& serverText);

} // namespace ds::clickhouseerrors
