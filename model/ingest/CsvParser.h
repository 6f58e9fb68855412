#pragma once

#include "ingest/JsonlParser.h"

namespace ds {

// Reads CSV logs (RFC 4180, header row naming the fields) into canonical records
// or quarantine entries: wrong column counts, invalid UTF-8 and malformed quoting
// are quarantined, not fatal. Runs on the parser thread; returns an empty string
// or the I/O error that stopped it.
QString parseCsv(ParseJob& job);

} // namespace ds
