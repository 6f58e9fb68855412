#pragma once

#include "ingest/FieldMapping.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace ds {

// The log formats Distillscope opens without a mapping file of the user's: each is a
// mapping file shipped in resources/formats/ (compiled in), printable with
// `import --print-format NAME` so a user can copy and change one. Any thread.
namespace logformats {

// "canonical", "litellm", "helicone", "langfuse", "bedrock", "otlp": the names --format takes.
QStringList presetNames();

// A preset's mapping file as shipped; empty for an unknown name.
QByteArray presetJson(const QString& name);

// A preset's mapping, compiled once; "canonical" is the identity mapping. Null for an unknown name.
std::shared_ptr<const FieldMapping> presetMapping(const QString& name);

// Which preset a log's first records look like (from their field paths: FieldMapping::detect),
// or an empty string when none does. "canonical" is never returned: it is what is left.
QString presetForKeys(const std::vector<std::string>& sortedKeys);

// The format a file would be imported as without --format or --mapping: a preset name,
// or an empty string with *why saying why the file is not a log. Reads at most 256 KiB.
QString detectFormat(const QString& path, QString* why = nullptr);

} // namespace logformats
} // namespace ds
