#include "ingest/RequestTextWriter.h"

#include "core/CaseSchema.h"
#include "core/Logging.h"
#include "ingest/TextPackStage.h"

#include <QElapsedTimer>

#include <algorithm>

#include <xxhash.h>

namespace ds {

namespace {

// One huge prompt must not crowd the others out of the sample.
constexpr std::size_t kMaxSampleValue = 64 << 10;
// Rows held back at most, and their text at most, whatever the sample holds
// (values too short to pack are not samples).
constexpr std::size_t kMaxHeldRows = 200000;
constexpr std::size_t kMaxHeldText = 4 * RequestTextWriter::kSampleBytes;
// zstd's own advice: a dictionary of about a tenth to a hundredth of its samples.
constexpr std::size_t kMaxDictionaryBytes = 1 << 20;
constexpr std::size_t kSamplesPerDictionaryByte = 16;

} // namespace

RequestTextWriter::RequestTextWriter(SqliteDb& db)
    : m_db(db)
{
}

RequestTextWriter::~RequestTextWriter() = default;

std::int64_t RequestTextWriter::dictionaryId() const { return m_packer ? m_packer->dictionaryId() : 0; }

void RequestTextWriter::beginFile(std::int64_t fileId)
{
    if (!m_insert.handle())
        m_insert = SqliteStatement(m_db, "INSERT INTO request_text(id, request_id, prompt, tools, extra) VALUES(?1, ?2, ?3, ?4, ?5)");
    flush();
    m_fileId = fileId;
    SqliteStatement newest(m_db, "SELECT id, data, sample_bytes FROM text_dictionary ORDER BY id DESC LIMIT 1");
    std::int64_t id = 0;
    QByteArray dictionary;
    m_caseSampleBytes = 0;
    if (newest.step()) {
        id = newest.columnInt(0);
        dictionary = newest.columnBlob(1);
        m_caseSampleBytes = newest.columnInt(2);
    }
    // A dictionary trained on a full sample is kept for good; one from a small
    // import gives way to a better one when this file has twice the text.
    const bool couldTrainBetter = static_cast<std::size_t>(m_caseSampleBytes) * 2 <= kSampleBytes;
    m_packer.reset();
    m_generation = 0;
    if (m_stage)
        m_stage->retract();
    if (!couldTrainBetter) {
        m_packer = std::make_unique<textcodec::TextPacker>(id, dictionary);
        publish(id, dictionary);
    }
}

void RequestTextWriter::publish(std::int64_t dictionaryId, const QByteArray& dictionary)
{
    m_generation = m_stage ? m_stage->publish(dictionaryId, dictionary) : 0;
}

void RequestTextWriter::write(std::int64_t id, std::string_view requestId, std::string_view prompt,
                              std::string_view tools, std::string_view extra, bool mayBeDropped,
                              const PrePackedText* pre)
{
    const std::string_view values[3] = {prompt, tools, extra};
    if (m_packer) {
        insert(id, requestId, values, mayBeDropped, pre);
        return;
    }
    hold(id, requestId, values, mayBeDropped);
    if (m_sampleBytes >= kSampleBytes || m_held.size() >= kMaxHeldRows || m_heldText.size() >= kMaxHeldText)
        trainAndRelease();
}

void RequestTextWriter::flush()
{
    if (!m_packer && m_fileId)
        trainAndRelease();
}

void RequestTextWriter::forgetUncommitted()
{
    // What the rolled-back transaction wrote (a dictionary too) is gone.
    m_packer.reset();
    m_generation = 0;
    if (m_stage)
        m_stage->forgetUncommitted();
    m_fileId = 0;
    m_layoutMarked = false;
    m_held.clear();
    m_heldText.clear();
    m_sampleSizes.clear();
    m_sampleBytes = 0;
    m_recent.clear(); // the rows they name may be gone
}

void RequestTextWriter::hold(std::int64_t id, std::string_view requestId, const std::string_view* values,
                             bool mayBeDropped)
{
    Held h{id, m_heldText.size(), {static_cast<std::uint32_t>(requestId.size()), 0, 0, 0}, {false, false, false},
           mayBeDropped};
    m_heldText.append(requestId);
    for (int i = 0; i < 3; ++i) {
        h.present[i] = values[i].data() != nullptr;
        h.sizes[i + 1] = static_cast<std::uint32_t>(values[i].size());
        m_heldText.append(values[i]);
        if (values[i].size() >= textcodec::kMinPackedBytes) {
            const std::size_t n = std::min(values[i].size(), kMaxSampleValue);
            m_sampleSizes.push_back(n);
            m_sampleBytes += n;
        }
    }
    m_held.push_back(h);
}

void RequestTextWriter::trainAndRelease()
{
    QElapsedTimer timer;
    timer.start();
    // The samples, in row order: the held values long enough to pack, each cut at kMaxSampleValue.
    std::string samples;
    samples.reserve(m_sampleBytes);
    for (const Held& h : m_held) {
        std::size_t at = h.at + h.sizes[0];
        for (int i = 0; i < 3; ++i) {
            if (h.sizes[i + 1] >= textcodec::kMinPackedBytes)
                samples.append(m_heldText, at, std::min<std::size_t>(h.sizes[i + 1], kMaxSampleValue));
            at += h.sizes[i + 1];
        }
    }
    QByteArray dictionary;
    const bool better = m_sampleBytes >= kMinTrainingBytes
                        && m_sampleBytes >= 2 * static_cast<std::size_t>(m_caseSampleBytes);
    if (better)
        dictionary = textcodec::trainDictionary(
            samples, m_sampleSizes, std::min(kMaxDictionaryBytes, m_sampleBytes / kSamplesPerDictionaryByte));
    if (!dictionary.isEmpty()) {
        SqliteStatement st(m_db, "INSERT INTO text_dictionary(data, source_file, sample_bytes) VALUES(?1, ?2, ?3)");
        st.bindBlob(1, std::string_view(dictionary.constData(), static_cast<std::size_t>(dictionary.size())));
        st.bind(2, m_fileId);
        st.bind(3, static_cast<std::int64_t>(m_sampleBytes));
        st.run();
        m_packer = std::make_unique<textcodec::TextPacker>(m_db.lastInsertRowId(), dictionary);
        publish(m_db.lastInsertRowId(), dictionary);
        qCInfo(lcIngest) << "trained a" << dictionary.size() << "byte text dictionary on" << m_sampleBytes
                         << "bytes of" << m_sampleSizes.size() << "values in" << timer.elapsed() << "ms";
    } else {
        // Too little to learn from, or no better than the case's own: use that one (or none).
        SqliteStatement newest(m_db, "SELECT id, data FROM text_dictionary ORDER BY id DESC LIMIT 1");
        const bool found = newest.step();
        const std::int64_t id = found ? newest.columnInt(0) : 0;
        const QByteArray data = found ? newest.columnBlob(1) : QByteArray();
        m_packer = std::make_unique<textcodec::TextPacker>(id, data);
        publish(id, data);
    }
    for (const Held& h : m_held) {
        std::string_view parts[4];
        std::size_t at = h.at;
        for (int i = 0; i < 4; ++i) {
            parts[i] = std::string_view(m_heldText.data() + at, h.sizes[i]);
            at += h.sizes[i];
        }
        std::string_view values[3];
        for (int i = 0; i < 3; ++i)
            values[i] = h.present[i] ? (parts[i + 1].data() ? parts[i + 1] : std::string_view("", 0)) : std::string_view();
        insert(h.id, parts[0], values, h.mayBeDropped);
    }
    m_held = {};
    m_heldText = {};
    m_sampleSizes = {};
    m_sampleBytes = 0;
}

std::int64_t RequestTextWriter::earlierRowWith(std::string_view prompt, std::int64_t id, bool mayBeDropped,
                                               const PrePackedText* pre)
{
    if (m_recent.empty())
        m_recent.assign(kRecentSlots);
    XXH128_hash_t h;
    if (pre && pre->promptHashed) {
        h.low64 = pre->promptHashLow;
        h.high64 = pre->promptHashHigh;
    } else {
        h = XXH3_128bits(prompt.data(), prompt.size());
    }
    Recent& slot = m_recent[h.low64 & (kRecentSlots - 1)];
    if (slot.row && slot.low == h.low64 && slot.high == h.high64)
        return slot.row;
    // A row that may be deleted after the load must not be referred to.
    if (!mayBeDropped)
        slot = Recent{h.low64, h.high64, id};
    return 0;
}

void RequestTextWriter::insert(std::int64_t id, std::string_view requestId, const std::string_view* values,
                               bool mayBeDropped, const PrePackedText* pre)
{
    // Packed by the parser side with the dictionary m_packer has: the same bytes it would give.
    const bool prePacked = pre && m_generation && pre->generation == m_generation;
    SqliteStatement& st = m_insert;
    st.bind(1, id);
    st.bindText(2, requestId, true);
    for (int i = 0; i < 3; ++i) {
        const std::int64_t earlier = i == 0 && values[0].size() >= textcodec::kMinPackedBytes
                                         ? earlierRowWith(values[0], id, mayBeDropped, pre)
                                         : 0;
        const PackedRef::State done = prePacked ? pre->state[i] : PackedRef::NotPacked;
        if (!values[i].data()) {
            st.bindNull(3 + i);
        } else if (earlier) {
            markPackedLayout();
            m_packed[i] = textcodec::promptReference(earlier);
            st.bindBlob(3 + i, m_packed[i]);
        } else if (done == PackedRef::Packed) {
            markPackedLayout();
            st.bindBlob(3 + i, pre->packed[i], true);
            ++m_prePacked;
        } else if (done == PackedRef::AsText) {
            st.bindText(3 + i, values[i], true);
            ++m_prePacked;
        } else {
            ++m_selfPacked;
            if (m_packer->pack(values[i], m_packed[i])) {
                markPackedLayout();
                st.bindBlob(3 + i, m_packed[i]);
            } else {
                st.bindText(3 + i, values[i], true);
            }
        }
    }
    st.run();
}

void RequestTextWriter::markPackedLayout()
{
    // A case with packed text is one that older versions cannot read: say so in
    // its version, inside the same transaction as the rows.
    if (m_layoutMarked)
        return;
    if (m_db.queryInt("PRAGMA user_version") < schema::kSchemaVersion)
        m_db.exec("PRAGMA user_version=" + std::to_string(schema::kSchemaVersion));
    m_layoutMarked = true;
}

} // namespace ds
