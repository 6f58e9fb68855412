#include "ingest/TextPackStage.h"

#include "ingest/RequestTextWriter.h"

#include <xxhash.h>

namespace ds {

TextPackStage::TextPackStage() = default;
TextPackStage::~TextPackStage() = default;

std::uint64_t TextPackStage::publish(std::int64_t dictionaryId, const QByteArray& dictionary)
{
    auto p = std::make_shared<Publication>();
    p->dictionaryId = dictionaryId;
    p->dictionary = dictionary;
    std::lock_guard lock(m_mutex);
    p->generation = m_nextGeneration++;
    m_current = std::move(p);
    return m_current->generation;
}

void TextPackStage::retract()
{
    std::lock_guard lock(m_mutex);
    m_current.reset();
}

void TextPackStage::forgetUncommitted()
{
    std::lock_guard lock(m_mutex);
    m_current.reset();
    m_recent.clear();
}

void TextPackStage::prepare(RecordBatch& batch)
{
    constexpr std::size_t kSlots = RequestTextWriter::kRecentSlots;
    std::lock_guard lock(m_mutex);
    m_batchPub = m_current;
    batch.packGeneration = m_batchPub ? m_batchPub->generation : 0;
    if (m_recent.empty())
        m_recent.assign(kSlots);
    for (ParsedRequest& r : batch.requests) {
        for (PackedRef& p : r.packed)
            p = PackedRef{};
        r.promptHashed = false;
        const std::string_view prompt = batch.view(r.prompt);
        if (prompt.size() < textcodec::kMinPackedBytes)
            continue;
        const XXH128_hash_t h = XXH3_128bits(prompt.data(), prompt.size());
        r.promptHashed = true;
        r.promptHashLow = h.low64;
        r.promptHashHigh = h.high64;
        // As the writer's table: a slot holds the last prompt stored in full
        // there. Rows already in the case are (almost all) never written.
        if (r.featuresDeferred)
            continue;
        const std::size_t slot = h.low64 & (kSlots - 1);
        if (m_recent[slot] == h.high64) {
            r.packed[0].state = PackedRef::PredictedReference;
            continue;
        }
        m_recent[slot] = h.high64;
    }
}

void TextPackStage::packRows(RecordBatch& batch, std::size_t begin, std::size_t end, std::size_t arena)
{
    const std::shared_ptr<const Publication> pub = m_batchPub; // set by prepare() before the pool pass
    if (!pub || batch.packGeneration != pub->generation)
        return;
    std::unique_ptr<textcodec::TextPacker> packer = checkOut(*pub);
    std::string& out = batch.packedArenas[arena];
    std::string scratch;
    for (std::size_t i = begin; i < end; ++i) {
        ParsedRequest& r = batch.requests[i];
        if (r.featuresDeferred)
            continue;
        const TextRef* values[3] = {&r.prompt, &r.tools, &r.extra};
        for (int v = 0; v < 3; ++v) {
            PackedRef& p = r.packed[v];
            const bool predictedReference = p.state == PackedRef::PredictedReference;
            p = PackedRef{};
            if (!values[v]->present || predictedReference)
                continue;
            const std::string_view text = batch.view(*values[v]);
            if (!packer->pack(text, scratch)) {
                p.state = PackedRef::AsText;
                continue;
            }
            p.arena = static_cast<std::uint32_t>(arena);
            p.offset = out.size();
            p.length = static_cast<std::uint32_t>(scratch.size());
            p.state = PackedRef::Packed;
            out.append(scratch);
        }
    }
    checkIn(std::move(packer), pub->generation);
}

std::unique_ptr<textcodec::TextPacker> TextPackStage::checkOut(const Publication& p)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_idleGeneration != p.generation) {
            m_idle.clear();
            m_idleGeneration = p.generation;
        }
        if (!m_idle.empty()) {
            std::unique_ptr<textcodec::TextPacker> packer = std::move(m_idle.back());
            m_idle.pop_back();
            return packer;
        }
    }
    // The same constructor arguments as the writer's packer: the same bytes.
    return std::make_unique<textcodec::TextPacker>(p.dictionaryId, p.dictionary);
}

void TextPackStage::checkIn(std::unique_ptr<textcodec::TextPacker> packer, std::uint64_t generation)
{
    std::lock_guard lock(m_mutex);
    if (generation == m_idleGeneration)
        m_idle.push_back(std::move(packer));
}

} // namespace ds
