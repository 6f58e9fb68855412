#pragma once

#include "core/TextCodec.h"
#include "core/ZeroedTable.h"
#include "ingest/RecordBatch.h"

#include <QByteArray>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ds {

// Packs request text (core/TextCodec.h) on the parser side of an import, in the
// thread pool beside the prompt features, so the single writer thread only
// binds the bytes and steps. Packing was two thirds of the writer's CPU, and
// the writer is the one stage of the import that cannot be spread.
//
// The writer stays the authority: it publishes the dictionary it packs with
// (RequestTextWriter, once it has one) under a generation number, and takes a
// pre-packed value only when the batch was packed with that generation. The
// same dictionary and level give the same bytes on any thread, so a case is
// byte for byte what the writer alone would have written; rows parsed before a
// dictionary was published are packed by the writer as before.
//
// Prompts stored as references to an earlier row (a repeated prompt) are not
// worth packing: prepare() predicts them with a mirror of the writer's table of
// recent prompts, by hash in row order. A wrong guess costs a wasted pack, or a
// pack on the writer; never a different byte.
//
// Threads: publish() and retract() on the writer thread; prepare() on the
// parser thread; packRows() from the pool's threads, many at once.
class TextPackStage
{
public:
    TextPackStage();
    ~TextPackStage();
    TextPackStage(const TextPackStage&) = delete;
    TextPackStage& operator=(const TextPackStage&) = delete;

    // The writer packs with this dictionary from now on (id 0, empty: frames
    // without one). Returns the generation batches packed with it will carry.
    std::uint64_t publish(std::int64_t dictionaryId, const QByteArray& dictionary);
    // The writer has no dictionary yet (its rows are held back to train one): nothing is pre-packed.
    void retract();
    // The writer forgot what it wrote uncommitted (its table of recent prompts too): so does the mirror.
    void forgetUncommitted();

    // Before the pool pass over a batch: hashes each prompt, predicts which are
    // references, and stamps the batch with the generation it will be packed
    // with (0: none published).
    void prepare(RecordBatch& batch);
    // Packs the text of rows [begin, end) of a prepared batch into
    // batch.packedArenas[arena]. Rows whose `featuresDeferred` is set are left
    // to the writer (almost all are requests already in the case).
    void packRows(RecordBatch& batch, std::size_t begin, std::size_t end, std::size_t arena);

private:
    struct Publication
    {
        std::uint64_t generation = 0;
        std::int64_t dictionaryId = 0;
        QByteArray dictionary;
    };
    std::unique_ptr<textcodec::TextPacker> checkOut(const Publication& p);
    void checkIn(std::unique_ptr<textcodec::TextPacker> packer, std::uint64_t generation);

    std::mutex m_mutex;
    std::shared_ptr<const Publication> m_current;  // null: nothing to pack with
    std::shared_ptr<const Publication> m_batchPub; // what prepare() stamped last (parser thread)
    std::uint64_t m_nextGeneration = 1;
    std::vector<std::unique_ptr<textcodec::TextPacker>> m_idle; // packers of generation m_idleGeneration
    std::uint64_t m_idleGeneration = 0;
    // As RequestTextWriter's table of recent prompts: slot by the hash's low bits, holding
    // its high 64 (the slot stands for the low ones; a false match costs a pack on the writer).
    // 16 MB. Parser thread, under m_mutex.
    ZeroedTable<std::uint64_t> m_recent;
};

} // namespace ds
