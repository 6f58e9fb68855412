#pragma once

#include "core/Sqlite.h"
#include "ingest/FieldMapping.h"
#include "ingest/Interner.h"
#include "ingest/LogFields.h"

#include <QString>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <string>

namespace ds::fuzz {

// Runs one input through the import path up to the writer: the format sniffer,
// the JSON Lines or CSV parser, the record builder and the interner, against an
// empty case. The fuzzer's own thread only; one per process.
class ParseHarness
{
public:
    enum class Format { JsonLines, Csv };

    ParseHarness();
    // Writes `data` to a scratch file and parses it as `format` holding `kind` records.
    // Returns the number of records plus quarantine entries produced. With `recordsMember`, JSON is read as
    // pages wrapping the records in that member whatever the sniffer says (JsonArrayReader).
    std::size_t parse(const std::uint8_t* data, std::size_t size, Format format, RecordKind kind,
                      const FieldMapping& mapping, const std::string& recordsMember = {});

private:
    QTemporaryDir m_dir;
    QString m_input;
    SqliteDb m_db;
    Interner m_interner;
};

// The one harness of the process (created on first use; libFuzzer targets have no main of their own).
ParseHarness& harness();

} // namespace ds::fuzz
