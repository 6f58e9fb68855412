#pragma once

#include "core/Sqlite.h"
#include "core/TextCodec.h"
#include "core/ZeroedTable.h"
#include "ingest/RecordBatch.h"

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

class TextPackStage;

// What the parser side prepared for one row's text (ingest/TextPackStage.h):
// its values packed with dictionary generation `generation` (0: none), and the
// prompt's hash.
struct PrePackedText
{
    std::uint64_t generation = 0;
    std::string_view packed[3]; // prompt, tools, extra: the bytes of those in state Packed
    PackedRef::State state[3] = {PackedRef::NotPacked, PackedRef::NotPacked, PackedRef::NotPacked};
    bool promptHashed = false;
    std::uint64_t promptHashLow = 0, promptHashHigh = 0;
};

// Writes request_text rows, packing prompt, tools and extra with zstd and a
// dictionary trained on the case's own text (core/TextCodec.h).
//
// The first import of a case has no dictionary: it holds its first rows back
// (up to kSampleBytes of text), trains one on them, stores it in
// text_dictionary and writes them packed with it, then packs the rest of the
// file the same way. Training runs on a thread of its own while the writer
// goes on holding the rows that arrive (the sample stays the rows held when it
// started), and the held rows are then packed across the thread pool: the
// import's pipeline no longer stops for the second or so training takes. Later imports reuse the newest dictionary, unless it was
// trained on little text (a small first import) and this one offers at least
// twice as much: then they train a better one. Rows never wait past the end of
// their file, nor past flush(), which the CaseWriter calls before it looks a
// request up by its request_id. Same input, same bytes: training and packing
// are deterministic.
//
// A prompt equal to one a recent row of this writer stored in full (retries,
// scripted and templated traffic repeat prompts exactly) is stored as a
// reference to that row instead (core/TextCodec.h). "Recent" is a fixed-size
// table indexed by hash, so memory stays bounded and the choice deterministic.
//
// With a TextPackStage (the importer's), the parser side packs most values
// with the dictionary this writer publishes there, and write() only checks
// which dictionary they were packed with and binds them: the same bytes.
//
// Lives on the writer thread with the CaseWriter, inside the caller's
// transaction; after a rollback call forgetUncommitted().
class RequestTextWriter
{
public:
    // Prompts remembered for references: 2M slots of 24 bytes (48 MB),
    // direct-mapped by the low bits of the prompt's xxh3-128.
    static constexpr std::size_t kRecentSlots = std::size_t{1} << 21;
    // Text held back to train on, at most (about 1 MB of dictionary from it).
    static constexpr std::size_t kSampleBytes = 16 << 20;
    // Less than this trains nothing: the rows are packed without a dictionary.
    static constexpr std::size_t kMinTrainingBytes = 256 << 10;

    explicit RequestTextWriter(SqliteDb& db);
    ~RequestTextWriter();
    RequestTextWriter(const RequestTextWriter&) = delete;
    RequestTextWriter& operator=(const RequestTextWriter&) = delete;

    // The parser side packs where it can with the dictionary this writer publishes (null: the writer packs all).
    void setPackStage(TextPackStage* stage) { m_stage = stage; }
    // Before each file's first row: reads the newest dictionary of the case.
    void beginFile(std::int64_t fileId);
    // One request's text; `prompt`, `tools`, `extra` null (data() == nullptr) when absent.
    // `mayBeDropped`: the row may be deleted before the commit (a possible
    // duplicate of a bulk load): no later prompt refers to it. `pre`: what the
    // parser side prepared (null: nothing).
    void write(std::int64_t id, std::string_view requestId, std::string_view prompt, std::string_view tools,
               std::string_view extra, bool mayBeDropped = false, const PrePackedText* pre = nullptr);
    // Writes every held-back row (training on them first when they are enough).
    void flush();
    void forgetUncommitted();

    // The dictionary this file packs with so far (0: none yet, or none).
    std::int64_t dictionaryId() const;
    // Values written as the parser side packed them, and values this writer packed itself, since it was made.
    std::int64_t prePackedValues() const { return m_prePacked; }
    std::int64_t selfPackedValues() const { return m_selfPacked; }

private:
    struct Held
    {
        std::int64_t id;
        std::size_t at;              // offset of request_id in m_heldText
        std::uint32_t sizes[4];      // request_id, prompt, tools, extra
        bool present[3];             // prompt, tools, extra
        bool mayBeDropped;
    };
    // A prompt stored in full by an earlier row of this session (xxh3-128 of its bytes).
    struct Recent
    {
        std::uint64_t low = 0, high = 0;
        std::int64_t row = 0;
    };
    // `packedHere`: `pre` was packed with m_packer's arguments in this writer (any generation).
    // `earlierPrompt` >= 0: the prompt's reference, decided already (earlierRowWith() in row order).
    void insert(std::int64_t id, std::string_view requestId, const std::string_view* values, bool mayBeDropped,
                const PrePackedText* pre = nullptr, bool packedHere = false, std::int64_t earlierPrompt = -1);
    void hold(std::int64_t id, std::string_view requestId, const std::string_view* values, bool mayBeDropped);
    // Whether `prompt` was stored in full by a recent row; if not, it is remembered as stored by `id`.
    std::int64_t earlierRowWith(std::string_view prompt, std::int64_t id, bool mayBeDropped,
                                const PrePackedText* pre = nullptr);
    // Starts training on the rows held so far (on a thread of its own when
    // there is enough text); the rows held later are not part of the sample.
    void startTraining();
    // Waits for the training, stores the dictionary and writes every held row packed with it.
    void finishTraining();
    // Packs the held rows' values across the thread pool, deciding references
    // in row order first, then inserts them in row order: the bytes insert()
    // alone would write. m_packer was made with these arguments.
    void releaseHeld(std::int64_t dictionaryId, const QByteArray& dictionary);
    // m_packer was just made with these arguments: the parser side may pack with them too.
    void publish(std::int64_t dictionaryId, const QByteArray& dictionary);
    void markPackedLayout();

    SqliteDb& m_db;
    SqliteStatement m_insert;
    std::unique_ptr<textcodec::TextPacker> m_packer; // null while rows are held back
    TextPackStage* m_stage = nullptr;
    std::uint64_t m_generation = 0; // of m_packer's dictionary in m_stage (0: not published)
    std::int64_t m_prePacked = 0, m_selfPacked = 0;
    std::int64_t m_fileId = 0;
    std::int64_t m_caseSampleBytes = 0; // what the case's newest dictionary was trained on
    bool m_layoutMarked = false;
    std::string m_packed[3];
    ZeroedTable<Recent> m_recent; // direct-mapped by hash: deterministic, bounded

    std::vector<Held> m_held;
    std::string m_heldText;
    std::vector<std::size_t> m_sampleSizes; // of the held values long enough to pack, in order
    std::size_t m_sampleBytes = 0;
    // The dictionary being trained on the sample (valid once startTraining() ran with enough text).
    std::future<QByteArray> m_training;
    bool m_trainingStarted = false;
    std::size_t m_trainedSampleBytes = 0; // the sample it is trained on
};

} // namespace ds
