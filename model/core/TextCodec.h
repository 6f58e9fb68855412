#pragma once

#include <QByteArray>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace ds {

// How the wide text of a case (request_text.prompt, tools, extra) is stored.
//
// A value is either plain TEXT (short values, values that do not shrink, and
// every value of cases written before compression) or a BLOB:
//     byte 0      kPackedTextFormat
//     varint      id of the zstd dictionary in text_dictionary (0: none)
//     rest        one zstd frame, magic-less, with its content size
// Each row is its own frame, so any row decompresses alone (random access for
// the views and the report); a dictionary trained on the case's own text gives
// small frames most of what compressing whole streams would.
//
// Readers never see BLOBs: every connection (SqliteDb) registers the SQL
// function ds_text(x), which returns a packed value unpacked and any other
// value as it is. Write `ds_text(prompt)` wherever SQL reads the text.
namespace textcodec {

constexpr unsigned char kPackedTextFormat = 0x01;
// A prompt seen before in the same import: byte 0 this, then the varint id of
// the request_text row whose prompt it is (stored there as TEXT or packed,
// never as another reference). Only prompt uses it.
constexpr unsigned char kPromptReferenceFormat = 0x02;
// Values this short stay TEXT: a frame's header would eat what it saves.
constexpr std::size_t kMinPackedBytes = 24;

// Registers ds_text() on a connection; its per-connection decoder (contexts,
// dictionaries loaded on first use) lives as long as the connection.
void registerSqlFunctions(sqlite3* db);
// Before the connection closes: releases what registerSqlFunctions() set up.
void unregisterSqlFunctions(sqlite3* db);

// Trains a dictionary of at most `maxBytes` from `samples` (concatenated) cut at
// `sizes`. Deterministic for the same input. Empty when zstd finds too little
// to learn from (too few or too small samples).
QByteArray trainDictionary(std::string_view samples, const std::vector<std::size_t>& sizes, std::size_t maxBytes);

// Packs values with one dictionary (or none). Owns zstd's compression context:
// one thread at a time.
class TextPacker
{
public:
    // `dictionaryId` 0 with an empty `dictionary`: frames without one.
    TextPacker(std::int64_t dictionaryId, const QByteArray& dictionary, int level = 3);
    ~TextPacker();
    TextPacker(const TextPacker&) = delete;
    TextPacker& operator=(const TextPacker&) = delete;

    std::int64_t dictionaryId() const noexcept { return m_dictionaryId; }
    // Packs `text` into `out` and returns true, or returns false when the value
    // is better stored as TEXT (short, or no smaller packed).
    bool pack(std::string_view text, std::string& out);

private:
    struct Zstd;
    std::unique_ptr<Zstd> m_zstd;
    std::int64_t m_dictionaryId;
    std::string m_frame; // zstd's output, reused
};

// The reference to the prompt of request_text row `row`.
std::string promptReference(std::int64_t row);

// Unpacks one packed value given its dictionary's bytes (tests and tools; SQL
// readers use ds_text()). Returns false for damaged or unknown input.
bool unpack(std::string_view packed, const QByteArray& dictionary, std::string& out);
// The dictionary id a packed value names, or -1 when it is not a packed value.
std::int64_t dictionaryIdOf(std::string_view packed);

} // namespace textcodec
} // namespace ds
