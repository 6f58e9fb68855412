#pragma once

#include "ingest/ImportPreview.h"

#include <QString>
#include <QStringList>

namespace ds {

class FieldMapping;

// What an import preview says about a log: the name of its format for people, and sentences
// on what the format (or this log's head) lacks and what detection then cannot see. Pure
// functions: any thread.
namespace previewwarnings {

// "LiteLLM", "AWS Bedrock", "OpenTelemetry", ...; "canonical" is "Canonical"; "mapping" is "Your mapping".
QString formatTitle(const QString& logFormat);

// The warnings of a preview whose head was read with `mapping` (the mapping the import uses).
// Log text quoted in them (a quarantine reason) is escaped with displaytext::embedded().
QStringList warningsFor(const FilePreview& preview, const FieldMapping& mapping);

} // namespace previewwarnings
} // namespace ds
