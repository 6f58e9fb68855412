#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>

namespace ds {

// Kinds of evidence an analyst pins into the case. Stored by key: never rename.
enum class PinKind { Chart, RequestSet, Template, SharedValue, IndicatorTable };

QString pinKindKey(PinKind k);   // "chart", "requests", "template", "shared_value", "indicator_table"
QString pinKindLabel(PinKind k); // "Chart", "Requests", ...
bool parsePinKind(const QString& key, PinKind* out);

// One pinned evidence item with the analyst's note. Plain value: any thread.
// `payload` shapes, by kind (the report and the JSON export read these keys):
//   chart:           {"description": str}; the drawing is in `picture` (QPicture::data(), vector,
//                    replayed into the PDF) and/or `svg`; `thumbnail` is a PNG for lists.
//   requests:        {"request_ids": [str], "rows": [int] (request.id of each, same order), "description": str}
//   template:        {"fingerprint": str ("ds-skeleton-v1:…" of its first example, text/TemplateName.h; pins made
//                     before it: the hex template key), "skeleton": str, "requests": int,
//                     "accounts": int, "examples": [str]}   (examples are raw prompts, shown as plain text)
//   shared_value:    {"value_kind": "ip"|"network"|"user_agent"|"email_domain"|"payment_fingerprint"|..., "value": str,
//                     "accounts": [str]}
//   indicator_table: {"columns": [str], "rows": [[str]]}
struct PinnedItem
{
    std::int64_t id = 0; // pin.id; 0 until stored
    PinKind kind = PinKind::Chart;
    QString title;
    QString note;
    std::optional<std::int64_t> run, cluster; // the network it belongs to (both or neither)
    std::optional<std::int64_t> account;      // account.id it belongs to
    QJsonObject payload;
    QByteArray picture;   // QPicture data (vector), charts only
    QByteArray svg;       // SVG bytes (vector), charts only
    QByteArray thumbnail; // PNG
    std::int64_t createdAt = 0; // epoch ms
};

} // namespace ds
