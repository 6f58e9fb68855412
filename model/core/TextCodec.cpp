#include "core/TextCodec.h"

#include <sqlite3.h>
#define ZDICT_STATIC_LINKING_ONLY // ZDICT_trainFromBuffer_fastCover: exported by every libzstd 1.4+
#include <zdict.h>
#include <zstd.h>

#include <cstring>
#include <map>
#include <vector>

namespace ds::textcodec {

namespace {

// Every zstd frame starts with these four bytes; packed values leave them out
// (4 bytes a row) and the reader puts them back.
constexpr unsigned char kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};

void appendVarint(std::string& out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

// Reads the header of a value of `format`: the varint after the format byte
// (a dictionary id, or a row id) and where the rest starts. False for anything
// that is not one.
bool readHeader(std::string_view packed, std::int64_t& dictId, std::size_t& frameAt,
                unsigned char format = kPackedTextFormat)
{
    if (packed.size() < 2 || static_cast<unsigned char>(packed[0]) != format)
        return false;
    std::uint64_t v = 0;
    std::size_t i = 1;
    for (int shift = 0; shift <= 56; shift += 7) {
        if (i >= packed.size())
            return false;
        const auto b = static_cast<unsigned char>(packed[i++]);
        v |= std::uint64_t{b & 0x7Fu} << shift;
        if (!(b & 0x80)) {
            if (v > static_cast<std::uint64_t>(INT64_MAX))
                return false;
            dictId = static_cast<std::int64_t>(v);
            frameAt = i;
            return true;
        }
    }
    return false;
}

// Decompresses the frame of a packed value. `limit` caps the declared size,
// so a damaged or hostile value cannot ask for unbounded memory.
bool decompressFrame(ZSTD_DCtx* dctx, const ZSTD_DDict* ddict, std::string_view frame, std::size_t limit,
                     std::string& scratch, std::string& out)
{
    scratch.assign(reinterpret_cast<const char*>(kZstdMagic), sizeof kZstdMagic);
    scratch.append(frame);
    const unsigned long long size = ZSTD_getFrameContentSize(scratch.data(), scratch.size());
    // No zstd block holds more than 128 KB nor takes fewer than 4 bytes, so a
    // frame that declares more than 32768 times its size is damaged: refused
    // before the allocation a hostile case would ask for.
    constexpr unsigned long long kMaxExpansion = 32768;
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > limit
        || size > frame.size() * kMaxExpansion)
        return false;
    out.resize(static_cast<std::size_t>(size));
    const std::size_t n = ddict ? ZSTD_decompress_usingDDict(dctx, out.data(), out.size(), scratch.data(), scratch.size(), ddict)
                                : ZSTD_decompressDCtx(dctx, out.data(), out.size(), scratch.data(), scratch.size());
    return !ZSTD_isError(n) && n == out.size();
}

// The state ds_text() keeps per connection: a decompression context and the
// dictionaries read so far (a case holds few; each is read once).
class ConnectionDecoder
{
public:
    ConnectionDecoder()
        : m_dctx(ZSTD_createDCtx())
    {
    }
    ~ConnectionDecoder()
    {
        sqlite3_finalize(m_promptOfRow);
        for (auto& [id, ddict] : m_dicts)
            ZSTD_freeDDict(ddict);
        ZSTD_freeDCtx(m_dctx);
    }

    // The statement that reads the prompt a reference names, prepared once:
    // preparing it per reference was a third of a search's time. Finalized
    // with the decoder, which unregisterSqlFunctions() destroys before the
    // connection closes (a statement left open would keep it from closing).
    sqlite3_stmt* promptOfRow(sqlite3* db)
    {
        if (!m_promptOfRow)
            sqlite3_prepare_v3(db, "SELECT prompt FROM main.request_text WHERE id = ?1", -1, SQLITE_PREPARE_PERSISTENT,
                               &m_promptOfRow, nullptr);
        return m_promptOfRow;
    }
    ConnectionDecoder(const ConnectionDecoder&) = delete;
    ConnectionDecoder& operator=(const ConnectionDecoder&) = delete;

    // The dictionary with `id` on this connection, loaded on first use; null
    // with `found` false when the case does not hold it.
    const ZSTD_DDict* dictionary(sqlite3* db, std::int64_t id, bool& found)
    {
        found = true;
        if (id == 0)
            return nullptr;
        if (const auto it = m_dicts.find(id); it != m_dicts.end())
            return it->second;
        sqlite3_stmt* st = nullptr;
        found = false;
        if (sqlite3_prepare_v2(db, "SELECT data FROM main.text_dictionary WHERE id = ?1", -1, &st, nullptr) != SQLITE_OK)
            return nullptr;
        sqlite3_bind_int64(st, 1, id);
        ZSTD_DDict* ddict = nullptr;
        if (sqlite3_step(st) == SQLITE_ROW) {
            const void* p = sqlite3_column_blob(st, 0);
            const int n = sqlite3_column_bytes(st, 0);
            if (p && n > 0)
                ddict = ZSTD_createDDict(p, static_cast<std::size_t>(n));
        }
        sqlite3_finalize(st);
        if (!ddict)
            return nullptr;
        found = true;
        m_dicts.emplace(id, ddict);
        return ddict;
    }

    // A rolled-back transaction may take dictionaries with it, and a later one
    // may store another under the same id: forget what was read.
    void forgetDictionaries()
    {
        for (auto& [id, ddict] : m_dicts)
            ZSTD_freeDDict(ddict);
        m_dicts.clear();
    }

    ZSTD_DCtx* context() const { return m_dctx; }
    std::string scratch;
    std::string out;

private:
    ZSTD_DCtx* m_dctx;
    std::map<std::int64_t, ZSTD_DDict*> m_dicts;
    sqlite3_stmt* m_promptOfRow = nullptr;
};

void unpackInto(sqlite3_context* ctx, std::string_view packed, std::int64_t dictId, std::size_t frameAt);

// The prompt of another row, for a reference.
void resolveReference(sqlite3_context* ctx, std::int64_t row)
{
    auto* decoder = static_cast<ConnectionDecoder*>(sqlite3_user_data(ctx));
    sqlite3_stmt* st = decoder->promptOfRow(sqlite3_context_db_handle(ctx));
    if (!st) {
        sqlite3_result_error(ctx, "damaged case: a prompt refers to a row that cannot be read", -1);
        return;
    }
    sqlite3_bind_int64(st, 1, row);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        sqlite3_result_error(ctx, "damaged case: a prompt refers to a row the case does not hold", -1);
        return;
    }
    sqlite3_value* target = sqlite3_column_value(st, 0);
    std::int64_t dictId = 0;
    std::size_t frameAt = 0;
    if (sqlite3_value_type(target) == SQLITE_TEXT) {
        sqlite3_result_value(ctx, target); // a copy: the statement is reset below
    } else if (sqlite3_value_type(target) == SQLITE_BLOB) {
        const auto* p = static_cast<const char*>(sqlite3_value_blob(target));
        const std::string_view packed(p ? p : "", static_cast<std::size_t>(sqlite3_value_bytes(target)));
        if (readHeader(packed, dictId, frameAt))
            unpackInto(ctx, packed, dictId, frameAt);
        else // another reference, or not ours: never written so
            sqlite3_result_error(ctx, "damaged case: a prompt refers to a row without text", -1);
    } else {
        sqlite3_result_error(ctx, "damaged case: a prompt refers to a row without text", -1);
    }
    sqlite3_reset(st);
}

void dsText(sqlite3_context* ctx, int, sqlite3_value** argv)
{
    sqlite3_value* v = argv[0];
    if (sqlite3_value_type(v) != SQLITE_BLOB) {
        sqlite3_result_value(ctx, v); // TEXT of older cases and short values, NULL: as they are
        return;
    }
    const auto* p = static_cast<const char*>(sqlite3_value_blob(v));
    const std::string_view packed(p ? p : "", static_cast<std::size_t>(sqlite3_value_bytes(v)));
    std::int64_t dictId = 0;
    std::size_t frameAt = 0;
    if (readHeader(packed, dictId, frameAt)) {
        unpackInto(ctx, packed, dictId, frameAt);
        return;
    }
    std::int64_t row = 0;
    if (readHeader(packed, row, frameAt, kPromptReferenceFormat) && frameAt == packed.size()) {
        resolveReference(ctx, row);
        return;
    }
    sqlite3_result_value(ctx, v); // not ours (a case never holds one): shown as stored
}

void unpackInto(sqlite3_context* ctx, std::string_view packed, std::int64_t dictId, std::size_t frameAt)
{
    auto* decoder = static_cast<ConnectionDecoder*>(sqlite3_user_data(ctx));
    sqlite3* db = sqlite3_context_db_handle(ctx);
    bool found = false;
    const ZSTD_DDict* ddict = decoder->dictionary(db, dictId, found);
    if (!found) {
        sqlite3_result_error(ctx, "damaged case: compressed text names a dictionary the case does not hold", -1);
        return;
    }
    const auto limit = static_cast<std::size_t>(sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1));
    if (!decompressFrame(decoder->context(), ddict, packed.substr(frameAt), limit, decoder->scratch, decoder->out)) {
        sqlite3_result_error(ctx, "damaged case: compressed text cannot be read", -1);
        return;
    }
    sqlite3_result_text64(ctx, decoder->out.data(), decoder->out.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

} // namespace

void registerSqlFunctions(sqlite3* db)
{
    auto* decoder = new ConnectionDecoder;
    // Deterministic (same value in, same text out, in a case whose rows are
    // never rewritten) and innocuous (reads only the case's own dictionaries and
    // prompts), so it may appear in any statement. Never in an index: a
    // reference's text lives in another row.
    sqlite3_create_function_v2(db, "ds_text", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, decoder, dsText,
                               nullptr, nullptr, [](void* d) { delete static_cast<ConnectionDecoder*>(d); });
    sqlite3_rollback_hook(db, [](void* d) { static_cast<ConnectionDecoder*>(d)->forgetDictionaries(); }, decoder);
}

void unregisterSqlFunctions(sqlite3* db)
{
    // Replacing the function with none destroys its decoder now (and the
    // statement it holds), unless a statement is running; then at the close.
    sqlite3_rollback_hook(db, nullptr, nullptr);
    sqlite3_create_function_v2(db, "ds_text", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                               nullptr, nullptr, nullptr, nullptr);
}

QByteArray trainDictionary(std::string_view samples, const std::vector<std::size_t>& sizes, std::size_t maxBytes)
{
    if (sizes.empty() || maxBytes == 0)
        return {};
    QByteArray dict(static_cast<qsizetype>(maxBytes), Qt::Uninitialized);
    // FastCover with fixed parameters instead of ZDICT_trainFromBuffer's search
    // over them: on 16 MB of prompts 0.4 s instead of 1.6 s of CPU (it runs on
    // the import's writer thread) for frames 1% larger. Single-threaded, so
    // deterministic.
    ZDICT_fastCover_params_t params{};
    params.k = 1000;
    params.d = 8;
    params.f = 20;
    params.accel = 1;
    params.splitPoint = 1.0;
    params.zParams.compressionLevel = 3;
    const std::size_t n = ZDICT_trainFromBuffer_fastCover(dict.data(), maxBytes, samples.data(), sizes.data(),
                                                          static_cast<unsigned>(sizes.size()), params);
    if (ZDICT_isError(n))
        return {};
    dict.truncate(static_cast<qsizetype>(n));
    return dict;
}

struct TextPacker::Zstd
{
    ZSTD_CCtx* cctx = nullptr;
    ZSTD_CDict* cdict = nullptr;
    ~Zstd()
    {
        ZSTD_freeCDict(cdict);
        ZSTD_freeCCtx(cctx);
    }
};

TextPacker::TextPacker(std::int64_t dictionaryId, const QByteArray& dictionary, int level)
    : m_zstd(std::make_unique<Zstd>())
    , m_dictionaryId(dictionary.isEmpty() ? 0 : dictionaryId)
{
    m_zstd->cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(m_zstd->cctx, ZSTD_c_compressionLevel, level);
    // The frame names no dictionary (the packed header does) and carries no
    // checksum (SQLite pages have their own integrity); it keeps its size, which
    // the reader needs to allocate once.
    ZSTD_CCtx_setParameter(m_zstd->cctx, ZSTD_c_dictIDFlag, 0);
    ZSTD_CCtx_setParameter(m_zstd->cctx, ZSTD_c_checksumFlag, 0);
    ZSTD_CCtx_setParameter(m_zstd->cctx, ZSTD_c_contentSizeFlag, 1);
    if (m_dictionaryId) {
        m_zstd->cdict = ZSTD_createCDict(dictionary.constData(), static_cast<std::size_t>(dictionary.size()), level);
        ZSTD_CCtx_refCDict(m_zstd->cctx, m_zstd->cdict);
    }
}

TextPacker::~TextPacker() = default;

bool TextPacker::pack(std::string_view text, std::string& out)
{
    if (text.size() < kMinPackedBytes)
        return false;
    // The frame goes to a buffer kept between calls (grown, never cleared), then
    // to `out` without its magic number: resizing `out` to zstd's bound zeroed
    // a kilobyte a value and the erase moved the frame again.
    const std::size_t bound = ZSTD_compressBound(text.size());
    if (m_frame.size() < bound)
        m_frame.resize(bound);
    const std::size_t n = ZSTD_compress2(m_zstd->cctx, m_frame.data(), bound, text.data(), text.size());
    if (ZSTD_isError(n) || n < sizeof kZstdMagic || std::memcmp(m_frame.data(), kZstdMagic, sizeof kZstdMagic) != 0)
        return false;
    out.clear();
    out.push_back(static_cast<char>(kPackedTextFormat));
    appendVarint(out, static_cast<std::uint64_t>(m_dictionaryId));
    // Drop the magic number: every packed value has the same.
    out.append(m_frame.data() + sizeof kZstdMagic, n - sizeof kZstdMagic);
    return out.size() < text.size();
}

std::string promptReference(std::int64_t row)
{
    std::string out(1, static_cast<char>(kPromptReferenceFormat));
    appendVarint(out, static_cast<std::uint64_t>(row));
    return out;
}

std::int64_t dictionaryIdOf(std::string_view packed)
{
    std::int64_t id = 0;
    std::size_t frameAt = 0;
    return readHeader(packed, id, frameAt) ? id : -1;
}

bool unpack(std::string_view packed, const QByteArray& dictionary, std::string& out)
{
    std::int64_t dictId = 0;
    std::size_t frameAt = 0;
    if (!readHeader(packed, dictId, frameAt) || (dictId != 0) == dictionary.isEmpty())
        return false;
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    ZSTD_DDict* ddict =
        dictId ? ZSTD_createDDict(dictionary.constData(), static_cast<std::size_t>(dictionary.size())) : nullptr;
    std::string scratch;
    const bool ok = decompressFrame(dctx, ddict, packed.substr(frameAt), std::size_t{1} << 31, scratch, out);
    ZSTD_freeDDict(ddict);
    ZSTD_freeDCtx(dctx);
    return ok;
}

} // namespace ds::textcodec
