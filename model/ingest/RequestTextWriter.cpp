#include "ingest/RequestTextWriter.h"

#include "core/CaseSchema.h"
#include "core/Logging.h"
#include "ingest/TextPackStage.h"

#include <QElapsedTimer>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <chrono>
#include <mutex>

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
    if (!m_trainingStarted) {
        if (m_sampleBytes < kSampleBytes && m_held.size() < kMaxHeldRows && m_heldText.size() < kMaxHeldText)
            return;
        startTraining();
        if (!m_training.valid()) // nothing to train: the rows go out at once
            finishTraining();
        return;
    }
    // Training: the rows go on being held until it is done, up to about twice the sample's bounds.
    const bool full = m_held.size() >= 2 * kMaxHeldRows || m_heldText.size() >= 2 * kMaxHeldText;
    if (full || m_training.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        finishTraining();
}

void RequestTextWriter::flush()
{
    if (m_packer || !m_fileId)
        return;
    if (!m_trainingStarted)
        startTraining();
    finishTraining();
}

void RequestTextWriter::forgetUncommitted()
{
    // What the rolled-back transaction wrote (a dictionary too) is gone.
    if (m_training.valid())
        m_training.wait(); // its result is dropped with the rest (an error too)
    m_training = {};
    m_trainingStarted = false;
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
        // Rows held while the dictionary is trained are not part of its sample.
        if (!m_trainingStarted && values[i].size() >= textcodec::kMinPackedBytes) {
            const std::size_t n = std::min(values[i].size(), kMaxSampleValue);
            m_sampleSizes.push_back(n);
            m_sampleBytes += n;
        }
    }
    m_held.push_back(h);
}

void RequestTextWriter::startTraining()
{
    m_trainingStarted = true;
    m_trainedSampleBytes = m_sampleBytes;
    const bool better = m_sampleBytes >= kMinTrainingBytes && m_sampleBytes >= 2 * static_cast<std::size_t>(m_caseSampleBytes);
    if (!better) {
        m_sampleSizes = {};
        return; // too little to learn from, or no better than the case's own: that one is used (or none)
    }
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
    const std::size_t maxBytes = std::min(kMaxDictionaryBytes, m_sampleBytes / kSamplesPerDictionaryByte);
    // A thread of its own, not the pool: the parser's feature passes keep the pool busy meanwhile.
    m_training = std::async(std::launch::async,
                            [samples = std::move(samples), sizes = std::move(m_sampleSizes), maxBytes] {
                                QElapsedTimer timer;
                                timer.start();
                                QByteArray d = textcodec::trainDictionary(samples, sizes, maxBytes);
                                qCInfo(lcIngest) << "trained a" << d.size() << "byte text dictionary on"
                                                 << samples.size() << "bytes of" << sizes.size() << "values in"
                                                 << timer.elapsed() << "ms";
                                return d;
                            });
    m_sampleSizes = {};
}

void RequestTextWriter::finishTraining()
{
    QElapsedTimer timer;
    timer.start();
    QByteArray dictionary;
    if (m_training.valid())
        dictionary = m_training.get(); // an error in training (out of memory) fails the file here
    m_training = {};
    std::int64_t dictionaryId = 0;
    if (!dictionary.isEmpty()) {
        SqliteStatement st(m_db, "INSERT INTO text_dictionary(data, source_file, sample_bytes) VALUES(?1, ?2, ?3)");
        st.bindBlob(1, std::string_view(dictionary.constData(), static_cast<std::size_t>(dictionary.size())));
        st.bind(2, m_fileId);
        st.bind(3, static_cast<std::int64_t>(m_trainedSampleBytes));
        st.run();
        dictionaryId = m_db.lastInsertRowId();
    } else {
        // Too little to learn from, or no better than the case's own: use that one (or none).
        SqliteStatement newest(m_db, "SELECT id, data FROM text_dictionary ORDER BY id DESC LIMIT 1");
        if (newest.step()) {
            dictionaryId = newest.columnInt(0);
            dictionary = newest.columnBlob(1);
        }
    }
    m_packer = std::make_unique<textcodec::TextPacker>(dictionaryId, dictionary);
    publish(dictionaryId, dictionary);
    const qint64 waited = timer.restart();
    const std::size_t rows = m_held.size();
    releaseHeld(dictionaryId, dictionary);
    if (rows)
        qCInfo(lcIngest) << "text dictionary: waited" << waited << "ms for the training, then wrote" << rows
                         << "held rows in" << timer.elapsed() << "ms";
    m_trainingStarted = false;
    m_held = {};
    m_heldText = {};
    m_sampleSizes = {};
    m_sampleBytes = 0;
}

void RequestTextWriter::releaseHeld(std::int64_t dictionaryId, const QByteArray& dictionary)
{
    struct Row
    {
        std::string_view requestId;
        std::string_view values[3];
        std::int64_t earlier = 0; // the prompt's reference, or 0
    };
    std::vector<Row> rows(m_held.size());
    for (std::size_t r = 0; r < m_held.size(); ++r) {
        const Held& h = m_held[r];
        std::string_view parts[4];
        std::size_t at = h.at;
        for (int i = 0; i < 4; ++i) {
            parts[i] = std::string_view(m_heldText.data() + at, h.sizes[i]);
            at += h.sizes[i];
        }
        Row& row = rows[r];
        row.requestId = parts[0];
        for (int i = 0; i < 3; ++i)
            row.values[i] = h.present[i] ? (parts[i + 1].data() ? parts[i + 1] : std::string_view("", 0)) : std::string_view();
        // References in row order, as insert() would decide them: the table of recent prompts changes as it goes.
        if (row.values[0].size() >= textcodec::kMinPackedBytes)
            row.earlier = earlierRowWith(row.values[0], h.id, h.mayBeDropped);
    }

    // Packed across the pool, a packer per task at a time (made with m_packer's arguments: the same bytes).
    struct Out
    {
        std::size_t offset = 0;
        std::uint32_t length = 0;
        PackedRef::State state = PackedRef::NotPacked;
    };
    std::vector<Out> out(rows.size() * 3);
    constexpr std::size_t kChunk = 256;
    const std::size_t chunks = (rows.size() + kChunk - 1) / kChunk;
    std::vector<std::string> arenas(chunks);
    std::mutex poolMutex;
    std::vector<std::unique_ptr<textcodec::TextPacker>> packers;
    packers.push_back(std::move(m_packer));
    auto packChunk = [&](const std::size_t& c) {
        std::unique_ptr<textcodec::TextPacker> packer;
        {
            std::lock_guard lock(poolMutex);
            if (!packers.empty()) {
                packer = std::move(packers.back());
                packers.pop_back();
            }
        }
        if (!packer)
            packer = std::make_unique<textcodec::TextPacker>(dictionaryId, dictionary);
        std::string scratch;
        std::string& arena = arenas[c];
        for (std::size_t r = c * kChunk; r < std::min(rows.size(), (c + 1) * kChunk); ++r) {
            for (int i = 0; i < 3; ++i) {
                const std::string_view v = rows[r].values[i];
                if (!v.data() || (i == 0 && rows[r].earlier))
                    continue;
                Out& o = out[r * 3 + static_cast<std::size_t>(i)];
                if (!packer->pack(v, scratch)) {
                    o.state = PackedRef::AsText;
                    continue;
                }
                o.offset = arena.size();
                o.length = static_cast<std::uint32_t>(scratch.size());
                o.state = PackedRef::Packed;
                arena.append(scratch);
            }
        }
        std::lock_guard lock(poolMutex);
        packers.push_back(std::move(packer));
    };
    std::vector<std::size_t> order(chunks);
    for (std::size_t c = 0; c < chunks; ++c)
        order[c] = c;
    if (chunks <= 1)
        std::for_each(order.begin(), order.end(), packChunk);
    else
        QtConcurrent::blockingMap(order, packChunk);
    m_packer = std::move(packers.back());

    for (std::size_t r = 0; r < rows.size(); ++r) {
        PrePackedText pre;
        for (int i = 0; i < 3; ++i) {
            const Out& o = out[r * 3 + static_cast<std::size_t>(i)];
            pre.state[i] = o.state;
            if (o.state == PackedRef::Packed)
                pre.packed[i] = std::string_view(arenas[r / kChunk].data() + o.offset, o.length);
        }
        insert(m_held[r].id, rows[r].requestId, rows[r].values, m_held[r].mayBeDropped, &pre, true, rows[r].earlier);
    }
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
                               bool mayBeDropped, const PrePackedText* pre, bool packedHere, std::int64_t earlierPrompt)
{
    // Packed by the parser side with the dictionary m_packer has, or here with its arguments: the same bytes it would give.
    const bool prePacked = pre && (packedHere || (m_generation && pre->generation == m_generation));
    SqliteStatement& st = m_insert;
    st.bind(1, id);
    st.bindText(2, requestId, true);
    for (int i = 0; i < 3; ++i) {
        const std::int64_t earlier = i != 0                  ? 0
                                     : earlierPrompt >= 0    ? earlierPrompt
                                     : values[0].size() >= textcodec::kMinPackedBytes ? earlierRowWith(values[0], id, mayBeDropped, pre)
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
            ++(packedHere ? m_selfPacked : m_prePacked);
        } else if (done == PackedRef::AsText) {
            st.bindText(3 + i, values[i], true);
            ++(packedHere ? m_selfPacked : m_prePacked);
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
