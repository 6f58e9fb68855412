#include "indicators/IndicatorStore.h"

#include "core/Sqlite.h"

#include <QDateTime>

namespace ds::indicators {

namespace {

const char* const kSchema = R"SQL(
-- Partners' STIX 2.1 bundles imported into the case (indicators/IndicatorStore.h).
CREATE TABLE IF NOT EXISTS partner_bundle(
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,     -- the file's name, without its folder
    sha256 TEXT NOT NULL UNIQUE, -- of the file's bytes: the chain of custody
    stix_id TEXT NOT NULL,
    producer TEXT,               -- the identity (created_by_ref) most of its indicators name
    objects INTEGER NOT NULL,
    imported_at INTEGER NOT NULL -- epoch ms
);
CREATE TABLE IF NOT EXISTS partner_indicator(
    id INTEGER PRIMARY KEY,
    bundle INTEGER NOT NULL REFERENCES partner_bundle(id),
    stix_id TEXT NOT NULL,
    name TEXT,
    pattern TEXT NOT NULL,
    pattern_type TEXT NOT NULL,
    producer TEXT,               -- the name of its created_by_ref identity
    valid_from INTEGER NOT NULL, -- epoch ms; the window is shown beside hits, never used to drop them
    valid_until INTEGER,
    confidence INTEGER,          -- 0..100 as the producer gave it
    summary TEXT,                -- what it names, for people; NULL when unevaluable
    unevaluable TEXT             -- why Distillscope cannot evaluate it; NULL when it did
);
CREATE TABLE IF NOT EXISTS partner_indicator_hit(
    indicator INTEGER NOT NULL REFERENCES partner_indicator(id),
    account INTEGER NOT NULL REFERENCES account(id),
    requests INTEGER NOT NULL,   -- the account's requests that matched
    first_ts INTEGER, last_ts INTEGER,
    PRIMARY KEY(indicator, account)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS partner_indicator_hit_account ON partner_indicator_hit(account);
CREATE INDEX IF NOT EXISTS partner_indicator_bundle ON partner_indicator(bundle);
)SQL";

const char* const kIndicatorColumns =
    "SELECT i.id, i.stix_id, i.name, i.pattern, i.producer, i.summary, i.unevaluable, i.valid_from, i.valid_until, i.confidence, "
    "b.file_name, b.sha256, b.producer, count(h.account), coalesce(sum(h.requests), 0), min(h.first_ts), max(h.last_ts) "
    "FROM partner_indicator i JOIN partner_bundle b ON b.id = i.bundle "
    "LEFT JOIN partner_indicator_hit h ON h.indicator = i.id ";

void bindOptionalText(SqliteStatement& st, int i, const QString& text)
{
    if (text.isEmpty())
        st.bindNull(i);
    else
        st.bindText(i, text);
}

} // namespace

void ensureSchema(SqliteDb& db) { db.exec(kSchema); }

bool hasTables(SqliteDb& db)
{
    return db.queryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'partner_indicator_hit'") > 0;
}

std::int64_t storeBundle(SqliteDb& db, const QString& fileName, const Bundle& bundle, const std::vector<IndicatorPlan>& plans)
{
    ensureSchema(db);
    {
        SqliteStatement old(db, "SELECT id FROM partner_bundle WHERE sha256 = ?1");
        old.bindText(1, bundle.sha256);
        if (old.step()) {
            const std::int64_t id = old.columnInt(0);
            SqliteStatement dropHits(db, "DELETE FROM partner_indicator_hit WHERE indicator IN (SELECT id FROM partner_indicator WHERE bundle = ?1)");
            dropHits.bind(1, id);
            dropHits.run();
            SqliteStatement dropIndicators(db, "DELETE FROM partner_indicator WHERE bundle = ?1");
            dropIndicators.bind(1, id);
            dropIndicators.run();
            SqliteStatement dropBundle(db, "DELETE FROM partner_bundle WHERE id = ?1");
            dropBundle.bind(1, id);
            dropBundle.run();
        }
    }
    SqliteStatement b(db, "INSERT INTO partner_bundle(file_name, sha256, stix_id, producer, objects, imported_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    b.bindText(1, fileName);
    b.bindText(2, bundle.sha256);
    b.bindText(3, bundle.stixId);
    bindOptionalText(b, 4, bundle.producer);
    b.bind(5, static_cast<std::int64_t>(bundle.objects));
    b.bind(6, static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch()));
    b.run();
    const std::int64_t bundleId = db.lastInsertRowId();
    SqliteStatement ins(db, "INSERT INTO partner_indicator(bundle, stix_id, name, pattern, pattern_type, producer, valid_from, "
                            "valid_until, confidence, summary, unevaluable) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    for (std::size_t i = 0; i < bundle.indicators.size(); ++i) {
        const PartnerIndicator& ind = bundle.indicators[i];
        const IndicatorPlan& plan = plans[i];
        ins.reset();
        ins.bind(1, bundleId);
        ins.bindText(2, ind.stixId);
        bindOptionalText(ins, 3, ind.name);
        ins.bindText(4, ind.pattern);
        ins.bindText(5, ind.patternType);
        bindOptionalText(ins, 6, ind.producer);
        ins.bind(7, ind.validFrom);
        ins.bindOptional(8, ind.validUntil);
        ins.bindOptional(9, ind.confidence ? std::optional<std::int64_t>(*ind.confidence) : std::nullopt);
        bindOptionalText(ins, 10, plan.evaluable() ? plan.summary() : QString());
        bindOptionalText(ins, 11, plan.why);
        ins.run();
    }
    return bundleId;
}

std::vector<EvaluableIndicator> loadEvaluable(SqliteDb& db)
{
    std::vector<EvaluableIndicator> out;
    if (!hasTables(db))
        return out;
    SqliteStatement st(db, "SELECT id, pattern_type, pattern FROM partner_indicator WHERE unevaluable IS NULL ORDER BY id");
    while (st.step())
        out.push_back({st.columnInt(0), st.columnText(1), st.columnText(2)});
    return out;
}

void replaceHits(SqliteDb& db, const std::vector<EvaluableIndicator>& indicators,
                 const std::vector<std::map<std::int64_t, AccountHit>>& hits)
{
    ensureSchema(db);
    db.exec("DELETE FROM partner_indicator_hit");
    SqliteStatement hit(db, "INSERT INTO partner_indicator_hit(indicator, account, requests, first_ts, last_ts) VALUES(?1, ?2, ?3, ?4, ?5)");
    for (std::size_t i = 0; i < indicators.size() && i < hits.size(); ++i)
        for (const auto& [account, h] : hits[i]) {
            hit.bind(1, indicators[i].id);
            hit.bind(2, account);
            hit.bind(3, h.requests);
            h.requests ? hit.bind(4, h.firstTs) : hit.bindNull(4);
            h.requests ? hit.bind(5, h.lastTs) : hit.bindNull(5);
            hit.run();
        }
}

std::vector<StoredIndicator> loadIndicators(SqliteDb& db)
{
    std::vector<StoredIndicator> out;
    if (!hasTables(db))
        return out;
    SqliteStatement st(db, (std::string(kIndicatorColumns) + "GROUP BY i.id ORDER BY count(h.account) DESC, i.bundle, i.id").c_str());
    while (st.step()) {
        StoredIndicator s;
        s.id = st.columnInt(0);
        s.stixId = st.columnText(1);
        s.name = st.columnText(2);
        s.pattern = st.columnText(3);
        s.producer = st.columnText(4);
        s.summary = st.columnText(5);
        s.unevaluable = st.columnText(6);
        s.validFrom = st.columnInt(7);
        s.validUntil = st.optionalInt(8);
        if (const auto confidence = st.optionalInt(9))
            s.confidence = static_cast<int>(*confidence);
        s.bundleFile = st.columnText(10);
        s.bundleSha256 = st.columnText(11);
        s.bundleProducer = st.columnText(12);
        s.accounts = st.columnInt(13);
        s.requests = st.columnInt(14);
        s.firstTs = st.optionalInt(15).value_or(0);
        s.lastTs = st.optionalInt(16).value_or(0);
        out.push_back(std::move(s));
    }
    return out;
}

namespace {

std::vector<StoredHit> hitsOf(SqliteStatement& st)
{
    std::vector<StoredHit> out;
    while (st.step())
        out.push_back({st.columnInt(0), st.columnInt(1), st.columnText(2), st.columnInt(3), st.optionalInt(4).value_or(0),
                       st.optionalInt(5).value_or(0)});
    return out;
}

} // namespace

std::vector<StoredHit> loadHits(SqliteDb& db, std::int64_t indicator)
{
    if (!hasTables(db))
        return {};
    SqliteStatement st(db, "SELECT h.indicator, h.account, a.account_id, h.requests, h.first_ts, h.last_ts FROM partner_indicator_hit h "
                           "JOIN account a ON a.id = h.account WHERE h.indicator = ?1 ORDER BY h.requests DESC, a.account_id");
    st.bind(1, indicator);
    return hitsOf(st);
}

std::vector<StoredHit> loadAllHits(SqliteDb& db)
{
    if (!hasTables(db))
        return {};
    SqliteStatement st(db, "SELECT h.indicator, h.account, a.account_id, h.requests, h.first_ts, h.last_ts FROM partner_indicator_hit h "
                           "JOIN account a ON a.id = h.account ORDER BY h.account, h.indicator");
    return hitsOf(st);
}

} // namespace ds::indicators
