#include "ingest/JsonRecordExtractor.h"

#include "core/JsonText.h"
#include "ingest/MessageText.h"
#include "ingest/OtelValues.h"

#include <algorithm>
#include <charconv>

#include <xxhash.h>

namespace ds {

namespace {

using simdjson::SUCCESS;
using simdjson::dom::element_type;

// Every JSON string a record may parse (bounded, so a hostile line cannot make one record parse thousands).
constexpr std::size_t kMaxParsedStringsPerRecord = 16;

using otel::unwrapAnyValue;

// The name a "{key}" step matches an element of a list by: its "key" (an OpenTelemetry attribute {key, value}), or,
// for an element without one, its "name" (a span event {name, attributes}). Empty when it has neither.
std::string_view listItemName(simdjson::dom::object item, bool& keyed)
{
    std::string_view name;
    keyed = item.at_key("key").get_string().get(name) == SUCCESS;
    if (!keyed && item.at_key("name").get_string().get(name) != SUCCESS)
        return {};
    return name;
}

// What a "{key}" step reaches in the element it matched: an attribute's value, unwrapped, or a named element itself.
bool listItemTarget(simdjson::dom::element item, bool keyed, simdjson::dom::element& out)
{
    simdjson::dom::object o = item.get_object().value_unsafe();
    if (!keyed) {
        out = item;
        return true;
    }
    simdjson::dom::element value;
    if (o.at_key("value").get(value) != SUCCESS)
        return false;
    out = unwrapAnyValue(value);
    return true;
}

std::string_view trimmedJson(std::string_view s)
{
    const std::size_t b = s.find_first_not_of(" \t\r\n");
    const std::size_t e = s.find_last_not_of(" \t\r\n");
    return b == std::string_view::npos ? std::string_view() : s.substr(b, e - b + 1);
}

bool looksLikeJson(std::string_view s)
{
    const std::size_t i = s.find_first_not_of(" \t\r\n");
    return i != std::string_view::npos && (s[i] == '{' || s[i] == '[');
}

} // namespace

JsonRecordExtractor::JsonRecordExtractor(const FieldMapping& mapping, RecordBuilder& builder)
    : m_mapping(mapping)
    , m_builder(builder)
{
    for (const auto& rule : mapping.rules())
        for (const auto& src : rule.sources)
            if (!src.constant && !src.compiled.steps.empty() && src.compiled.steps[0].kind == PathStep::Kind::Member)
                m_consumed.push_back(src.compiled.steps[0].name);
    if (mapping.where())
        for (const MappingPath& path : mapping.where()->paths)
            if (!path.steps.empty())
                m_consumed.push_back(path.steps[0].name);
    for (const auto& rule : mapping.rules()) {
        std::vector<Start> starts;
        for (const auto& src : rule.sources)
            starts.push_back(src.constant ? Start{} : startOf(src.compiled));
        m_sourceStarts.push_back(std::move(starts));
    }
    for (const auto& [name, path] : mapping.keep()) {
        m_keepStarts.push_back(startOf(path));
        appendJsonString(m_keepKeys.emplace_back(), name);
    }
    if (mapping.where())
        for (const MappingPath& path : mapping.where()->paths)
            m_whereStarts.push_back(startOf(path));
    m_rootValues.resize(m_rootNames.size());
    m_rootFound.resize(m_rootNames.size());
    m_kvIndexed.resize(m_rootNames.size());
    m_kvByOrdinal.resize(m_rootNames.size());
    m_prefixesOfRoot.resize(m_rootNames.size());
    m_prefixSeen.resize(m_rootNames.size());
    int bits = 0;
    for (std::size_t i = 0; i < mapping.rules().size(); ++i) {
        std::vector<int> ofSource;
        for (std::size_t k = 0; k < mapping.rules()[i].sources.size(); ++k) {
            const auto& src = mapping.rules()[i].sources[k];
            const Start st = m_sourceStarts[i][k];
            int bit = -1;
            if (!src.indexed.empty() && st.root >= 0 && src.compiled.steps.size() == 1) {
                auto& prefixes = m_prefixesOfRoot[static_cast<std::size_t>(st.root)];
                const auto it = std::find_if(prefixes.begin(), prefixes.end(),
                                             [&](const auto& p) { return p.first == src.indexed; });
                if (it != prefixes.end())
                    bit = it->second;
                else if (bits < 32)
                    prefixes.emplace_back(src.indexed, bit = bits++);
            }
            ofSource.push_back(bit);
        }
        m_sourcePrefixBit.push_back(std::move(ofSource));
    }
    m_kvItems.resize(m_kvKeys.size());
    m_kvFound.resize(m_kvKeys.size());
}

JsonRecordExtractor::Start JsonRecordExtractor::startOf(const MappingPath& path)
{
    Start start;
    if (path.steps.empty() || path.steps[0].kind != PathStep::Kind::Member)
        return start; // "^" paths start from an enclosing element, "[i]" and "{key}" from a list
    const std::string& name = path.steps[0].name;
    const auto it = std::find(m_rootNames.begin(), m_rootNames.end(), name);
    start.root = static_cast<int>(it - m_rootNames.begin());
    if (it == m_rootNames.end()) {
        m_rootNames.push_back(name);
        m_kvOfRoot.emplace_back();
    }
    if (path.steps.size() < 2 || path.steps[1].kind != PathStep::Kind::KeyValue)
        return start;
    const std::pair<int, std::string> kv{start.root, path.steps[1].name};
    const auto k = std::find(m_kvKeys.begin(), m_kvKeys.end(), kv);
    start.kv = static_cast<int>(k - m_kvKeys.begin());
    if (k == m_kvKeys.end()) {
        m_kvKeys.push_back(kv);
        m_kvOfRoot[static_cast<std::size_t>(start.root)].push_back(start.kv);
    }
    return start;
}

void JsonRecordExtractor::indexKeyValues(std::size_t root)
{
    const std::vector<int>& keys = m_kvOfRoot[root];
    const auto& prefixes = m_prefixesOfRoot[root];
    for (int k : keys)
        m_kvFound[static_cast<std::size_t>(k)] = 0;
    std::uint32_t& seen = m_prefixSeen[root];
    seen = 0;
    // A list as stepInto() reads "{key}" there: anything else (a string holding JSON) takes the general path.
    m_kvIndexed[root] = m_rootFound[root] && m_rootValues[root].is_array();
    if (!m_kvIndexed[root])
        return;
    constexpr std::size_t kMaxCachedItems = 256;
    auto& cache = m_kvByOrdinal[root];
    std::size_t ordinal = 0;
    const simdjson::dom::array items = m_rootValues[root].get_array().value_unsafe();
    for (Element item : items) {
        simdjson::dom::object kv;
        if (item.get_object().get(kv) != SUCCESS)
            continue;
        bool keyed = false;
        const std::string_view key = listItemName(kv, keyed);
        if (key.empty())
            continue;
        int slot = -1;
        std::uint32_t bits = 0;
        const std::size_t n = ordinal++;
        if (n < cache.size() && cache[n].key == key) {
            slot = cache[n].slot;
            bits = cache[n].prefixBits;
        } else {
            for (int k : keys)
                if (m_kvKeys[static_cast<std::size_t>(k)].second == key) {
                    slot = k;
                    break;
                }
            for (const auto& [prefix, bit] : prefixes)
                if (key.size() > prefix.size() && key[prefix.size()] == '.' && key.substr(0, prefix.size()) == prefix)
                    bits |= 1u << bit;
            if (n < cache.size())
                cache[n] = {std::string(key), slot, bits};
            else if (n == cache.size() && n < kMaxCachedItems)
                cache.push_back({std::string(key), slot, bits});
        }
        seen |= bits;
        // The first element with the key, as stepInto() finds it.
        if (slot >= 0 && !m_kvFound[static_cast<std::size_t>(slot)]) {
            m_kvFound[static_cast<std::size_t>(slot)] = keyed ? 2 : 1; // found; 2: by its "key"
            m_kvItems[static_cast<std::size_t>(slot)] = item;
        }
    }
}

void JsonRecordExtractor::indexRoot(Element record)
{
    std::fill(m_rootFound.begin(), m_rootFound.end(), 0);
    simdjson::dom::object obj;
    m_rootIndexed = !m_rootNames.empty() && record.get_object().get(obj) == SUCCESS;
    if (!m_rootIndexed)
        return;
    constexpr std::size_t kMaxCachedMembers = 256; // a hostile line may have millions
    std::size_t ordinal = 0;
    for (const auto [key, value] : obj) {
        int slot = -1;
        const std::size_t n = ordinal++;
        if (n < m_slotByOrdinal.size() && m_slotByOrdinal[n].first == key) {
            slot = m_slotByOrdinal[n].second;
        } else {
            const auto it = std::find(m_rootNames.begin(), m_rootNames.end(), key);
            slot = it == m_rootNames.end() ? -1 : static_cast<int>(it - m_rootNames.begin());
            if (n < m_slotByOrdinal.size())
                m_slotByOrdinal[n] = {std::string(key), slot};
            else if (n == m_slotByOrdinal.size() && n < kMaxCachedMembers)
                m_slotByOrdinal.emplace_back(std::string(key), slot);
        }
        // The first of duplicate members, as at_key() finds it.
        if (slot >= 0 && !m_rootFound[static_cast<std::size_t>(slot)]) {
            m_rootFound[static_cast<std::size_t>(slot)] = 1;
            m_rootValues[static_cast<std::size_t>(slot)] = value;
        }
    }
    for (std::size_t root = 0; root < m_kvOfRoot.size(); ++root)
        if (!m_kvOfRoot[root].empty() || !m_prefixesOfRoot[root].empty())
            indexKeyValues(root);
}

std::string& JsonRecordExtractor::scratch()
{
    if (m_scratchUsed == m_scratch.size())
        m_scratch.push_back(std::make_unique<std::string>());
    std::string& s = *m_scratch[m_scratchUsed++];
    s.clear();
    return s;
}

bool JsonRecordExtractor::parsedJson(std::string_view text, Element& out)
{
    for (const auto& [ptr, el] : m_parsedStrings)
        if (ptr == text.data()) {
            out = el;
            return true;
        }
    if (m_nestedUsed >= kMaxParsedStringsPerRecord || !looksLikeJson(text))
        return false;
    if (m_nestedUsed == m_nested.size())
        m_nested.push_back(std::make_unique<simdjson::dom::parser>());
    simdjson::dom::parser& parser = *m_nested[m_nestedUsed++];
    m_nestedText.assign(text);
    m_nestedText.append(simdjson::SIMDJSON_PADDING, '\0');
    if (parser.parse(m_nestedText.data(), text.size(), false).get(out) != SUCCESS)
        return false;
    m_parsedStrings.emplace_back(text.data(), out);
    return true;
}

const JsonRecordExtractor::Memo* JsonRecordExtractor::recall(MemoKind kind, std::string_view text, std::size_t& slot)
{
    slot = kMemoSlots;
    if (text.size() > kMaxMemoText)
        return nullptr;
    const std::uint64_t h = XXH3_64bits_withSeed(text.data(), text.size(), static_cast<std::uint64_t>(kind));
    slot = static_cast<std::size_t>(h % kMemoSlots);
    const Memo& m = m_memo[slot];
    return m.used && m.hash == h && m.kind == kind && m.text == text ? &m : nullptr;
}

void JsonRecordExtractor::remember(std::size_t slot, MemoKind kind, std::string_view text, std::int64_t count,
                                   std::string_view result)
{
    if (slot >= kMemoSlots)
        return;
    Memo& m = m_memo[slot];
    m.hash = XXH3_64bits_withSeed(text.data(), text.size(), static_cast<std::uint64_t>(kind));
    m.kind = kind;
    m.used = true;
    m.text.assign(text);
    m.count = count;
    m.result.assign(result);
}

bool JsonRecordExtractor::stepInto(Element& cur, const PathStep& step)
{
    if (cur.is_string()) {
        // A string holding JSON (Helicone's request_body, OpenTelemetry's gen_ai.input.messages) is read as that JSON.
        Element parsed;
        if (!parsedJson(cur.get_string().value_unsafe(), parsed))
            return false;
        cur = parsed;
    }
    switch (step.kind) {
    case PathStep::Kind::Member:
        return cur.is_object() && cur.get_object().value_unsafe().at_key(step.name).get(cur) == SUCCESS;
    case PathStep::Kind::Index:
        return cur.is_array() && cur.get_array().value_unsafe().at(step.index).get(cur) == SUCCESS;
    case PathStep::Kind::KeyValue: {
        if (!cur.is_array())
            return false;
        const simdjson::dom::array items = cur.get_array().value_unsafe();
        for (Element item : items) {
            simdjson::dom::object kv;
            bool keyed = false;
            if (item.get_object().get(kv) == SUCCESS && listItemName(kv, keyed) == step.name)
                return listItemTarget(item, keyed, cur);
        }
        return false;
    }
    case PathStep::Kind::Each:
    case PathStep::Kind::Up:
        return false;
    }
    return false;
}

bool JsonRecordExtractor::resolve(const MappingPath& path, const Record& rec, Element& out, Start start)
{
    if (start.root >= 0 && m_rootIndexed) {
        const auto root = static_cast<std::size_t>(start.root);
        if (!m_rootFound[root])
            return false;
        Element cur = m_rootValues[root];
        std::size_t from = 1;
        if (start.kv >= 0 && m_kvIndexed[root]) {
            // stepInto()'s KeyValue step, from the index.
            const auto kv = static_cast<std::size_t>(start.kv);
            if (!m_kvFound[kv] || !listItemTarget(m_kvItems[kv], m_kvFound[kv] == 2, cur))
                return false;
            from = 2;
        }
        for (std::size_t i = from; i < path.steps.size(); ++i)
            if (!stepInto(cur, path.steps[i]))
                return false;
        out = cur;
        return true;
    }
    const int ups = path.ups();
    Element cur = rec.value;
    if (ups > 0) {
        if (static_cast<std::uint32_t>(ups) > rec.enclosingCount)
            return false;
        cur = m_enclosingPool[rec.enclosingAt + rec.enclosingCount - static_cast<std::uint32_t>(ups)];
    }
    for (std::size_t i = static_cast<std::size_t>(ups); i < path.steps.size(); ++i)
        if (!stepInto(cur, path.steps[i]))
            return false;
    out = cur;
    return true;
}

bool JsonRecordExtractor::deliver(int ruleIndex, Field target, Element v, int depth)
{
    switch (v.type()) {
    case element_type::STRING: {
        const std::string_view s = v.get_string().value_unsafe();
        if (s.empty())
            return false;
        if (target == Field::Tools && depth == 0) {
            // Tools written as a JSON string (OpenTelemetry's gen_ai.tool.definitions): kept as written, as the
            // canonical reader keeps a tools array's own text, not printed again from the parsed document.
            std::size_t slot = 0;
            std::int64_t count = -1;
            if (const Memo* m = m_nestedUsed < kMaxParsedStringsPerRecord ? recall(MemoKind::ToolCount, s, slot) : nullptr) {
                m_nestedUsed += looksLikeJson(s); // as the parse it stands for
                count = m->count;
            } else {
                Element parsed;
                const bool parsedOk = parsedJson(s, parsed); // false past the record's limit: not remembered
                if (parsedOk && parsed.is_array())
                    count = static_cast<std::int64_t>(parsed.get_array().value_unsafe().size());
                if (parsedOk || !looksLikeJson(s))
                    remember(slot, MemoKind::ToolCount, s, count, {});
            }
            if (count >= 0) {
                m_builder.setStructured(ruleIndex, trimmedJson(s), count);
                return true;
            }
        }
        m_builder.setText(ruleIndex, s);
        return true;
    }
    case element_type::INT64: {
        std::string& raw = scratch();
        raw = std::to_string(v.get_int64().value_unsafe());
        m_builder.setNumber(ruleIndex, static_cast<double>(v.get_int64().value_unsafe()), true, v.get_int64().value_unsafe(), raw);
        return true;
    }
    case element_type::UINT64: {
        std::string& raw = scratch();
        raw = std::to_string(v.get_uint64().value_unsafe());
        m_builder.setNumber(ruleIndex, static_cast<double>(v.get_uint64().value_unsafe()), false, 0, raw);
        return true;
    }
    case element_type::DOUBLE: {
        std::string& raw = scratch();
        raw = simdjson::minify(v);
        m_builder.setNumber(ruleIndex, v.get_double().value_unsafe(), false, 0, raw);
        return true;
    }
    case element_type::BOOL:
        m_builder.setBool(ruleIndex, v.get_bool().value_unsafe());
        return true;
    case element_type::NULL_VALUE:
        return false;
    case element_type::ARRAY: {
        simdjson::dom::array arr = v.get_array().value_unsafe();
        if (target == Field::Tools) {
            std::string& raw = scratch();
            raw = simdjson::minify(v);
            m_builder.setStructured(ruleIndex, raw, static_cast<std::int64_t>(arr.size()));
            return true;
        }
        // One value where the log has a list (OpenTelemetry's finish_reasons): its first.
        Element first;
        if (depth > 0 || arr.at(0).get(first) != SUCCESS)
            return false;
        return deliver(ruleIndex, target, unwrapAnyValue(first), depth + 1);
    }
    case element_type::OBJECT: {
        std::string& raw = scratch();
        raw = simdjson::minify(v);
        m_builder.setStructured(ruleIndex, raw, -1);
        return true;
    }
    }
    return false;
}

bool JsonRecordExtractor::applySource(int ruleIndex, Field target, const FieldMapping::Source& src, Start start,
                                      const Record& rec)
{
    if (src.constant) {
        m_builder.setText(ruleIndex, *src.constant);
        return true;
    }
    Element v;
    if (!resolve(src.compiled, rec, v, start))
        return false;
    std::size_t memoSlot = kMemoSlots;
    std::string_view memoKey; // a JSON string whose text is the pick's alone (OpenTelemetry's system instructions)
    if (src.parseJson && src.pick == Pick::Text && src.indexed.empty() && v.is_string()) {
        memoKey = v.get_string().value_unsafe();
        if (const Memo* m = m_nestedUsed < kMaxParsedStringsPerRecord ? recall(MemoKind::ContentText, memoKey, memoSlot)
                                                                      : nullptr) {
            m_nestedUsed += looksLikeJson(memoKey); // as the parse it stands for
            if (m->result.empty())
                return false;
            std::string& storage = scratch(); // the builder keeps a view until finish(): not of the memo, which may change
            storage = m->result;
            m_builder.setText(ruleIndex, storage);
            return true;
        }
    }
    if (src.parseJson && v.is_string()) {
        Element parsed;
        if (parsedJson(v.get_string().value_unsafe(), parsed))
            v = parsed;
    }
    if (!src.prefix.empty()) {
        // A fallback that says where it came from: the prefix, then the value's text (a string or a number).
        std::string& text = scratch();
        if (v.is_string())
            text = v.get_string().value_unsafe();
        else if (v.is_number())
            text = simdjson::minify(v);
        if (text.empty())
            return false;
        text.insert(0, src.prefix);
        m_builder.setText(ruleIndex, text);
        return true;
    }
    if (!src.indexed.empty())
        return applyIndexed(ruleIndex, src, v);
    if (src.pick == Pick::Value)
        return deliver(ruleIndex, target, v, 0);
    if (src.pick != Pick::Text && v.is_string()) {
        Element parsed; // a message array written as a JSON string
        if (!parsedJson(v.get_string().value_unsafe(), parsed))
            return false;
        v = parsed;
    }
    std::string& storage = scratch();
    std::string_view text; // the document's own string when the text is one piece, else `storage`
    switch (src.pick) {
    case Pick::Text:
        messagetext::appendContentText(v, storage);
        text = storage;
        if (!memoKey.empty() && (!v.is_string() || !looksLikeJson(memoKey)))
            remember(memoSlot, MemoKind::ContentText, memoKey, -1, text); // parsed, or text that is no JSON
        break;
    case Pick::LastUser: {
        simdjson::dom::array messages;
        std::int64_t turns = 0;
        if (v.get_array().get(messages) != SUCCESS || !messagetext::lastUserTurn(messages, text, storage, turns))
            return false;
        m_turns = turns;
        break;
    }
    case Pick::System: {
        simdjson::dom::array messages;
        if (v.get_array().get(messages) != SUCCESS)
            return false;
        messagetext::systemTurns(messages, storage);
        text = storage;
        break;
    }
    case Pick::Value:
        break;
    }
    if (text.empty())
        return false;
    m_builder.setText(ruleIndex, text);
    return true;
}

bool JsonRecordExtractor::indexedContent(const otel::IndexedMessage& m, std::string& out)
{
    if (!m.hasContent)
        return false;
    const std::size_t before = out.size();
    // OpenLLMetry writes a content of parts (text and images) as a JSON string of the list; a prompt that is JSON
    // text of another shape ("[1, 2]", "{\"task\": ...}") is the user's text as it stands.
    Element parsed;
    if (m.content.is_string() && looksLikeJson(m.content.get_string().value_unsafe())
        && parsedJson(m.content.get_string().value_unsafe(), parsed) && parsed.is_array()
        && parsed.get_array().value_unsafe().at(0).is_object()) {
        messagetext::appendContentText(parsed, out);
        if (out.size() > before)
            return true;
    }
    messagetext::appendContentText(m.content, out);
    return out.size() > before;
}

bool JsonRecordExtractor::indexedObjects(int ruleIndex, const FieldMapping::Source& src, simdjson::dom::array list)
{
    const std::size_t count = otel::indexedFields(list, src.indexed, m_indexedFields);
    if (count == 0)
        return false;
    // [{FIELD: value, ...}, ...], one object per N: what a tools array holds. A string holding JSON (the
    // parameters' schema, json.dumps'ed) is written as that JSON, as the request sent it.
    std::string& out = scratch();
    out += '[';
    for (std::size_t i = 0; i < m_indexedFields.size(); ++i) {
        const otel::IndexedField& f = m_indexedFields[i];
        const bool first = i == 0 || m_indexedFields[i - 1].index != f.index;
        if (first && i > 0)
            out += "},";
        out += first ? "{" : ",";
        appendJsonString(out, f.field);
        out += ':';
        Element parsed;
        std::string_view s;
        if (f.value.get_string().get(s) == SUCCESS) {
            if (looksLikeJson(s)) {
                m_fieldText.assign(s);
                m_fieldText.append(simdjson::SIMDJSON_PADDING, '\0');
                if (m_fieldParser.parse(m_fieldText.data(), s.size(), false).get(parsed) == SUCCESS) {
                    out += simdjson::minify(parsed);
                    continue;
                }
            }
            appendJsonString(out, s);
        } else {
            out += simdjson::minify(f.value);
        }
    }
    out += "}]";
    m_builder.setStructured(ruleIndex, out, static_cast<std::int64_t>(count));
    return true;
}

bool JsonRecordExtractor::applyIndexed(int ruleIndex, const FieldMapping::Source& src, Element attributes)
{
    simdjson::dom::array list;
    if (attributes.get_array().get(list) != SUCCESS)
        return false;
    if (src.pick == Pick::Value)
        return indexedObjects(ruleIndex, src, list);
    otel::indexedMessages(list, src.indexed, m_indexed);
    auto isSystem = [](std::string_view role) { return role == "system" || role == "developer"; };
    std::string& text = scratch();
    if (src.pick == Pick::LastUser) {
        const otel::IndexedMessage* last = nullptr;
        std::int64_t turns = 0, before = 0;
        for (const otel::IndexedMessage& m : m_indexed) {
            if (isSystem(m.role))
                continue;
            if (m.role == "user") {
                last = &m;
                before = turns;
            }
            ++turns;
        }
        if (!last || !indexedContent(*last, text))
            return false;
        m_turns = before;
    } else {
        std::string turn;
        for (const otel::IndexedMessage& m : m_indexed) {
            turn.clear();
            if (!isSystem(m.role) || !indexedContent(m, turn))
                continue;
            if (!text.empty())
                text += "\n\n";
            text += turn;
        }
    }
    if (text.empty())
        return false;
    m_builder.setText(ruleIndex, text);
    return true;
}

void JsonRecordExtractor::collectRecords(Element at, std::size_t step, bool& pathFound)
{
    auto chain = [&] { // the current chain, in the pool, for the records found under it
        const auto offset = static_cast<std::uint32_t>(m_enclosingPool.size());
        m_enclosingPool.insert(m_enclosingPool.end(), m_enclosing.begin(), m_enclosing.end());
        return Record{Element(), offset, static_cast<std::uint32_t>(m_enclosing.size())};
    };
    const auto& steps = m_mapping.recordsPath().steps;
    for (; step < steps.size(); ++step) {
        if (steps[step].kind != PathStep::Kind::Each) {
            if (!stepInto(at, steps[step]))
                return;
            continue;
        }
        if (!at.is_array())
            return;
        pathFound = true;
        const bool last = step + 1 == steps.size();
        const simdjson::dom::array items = at.get_array().value_unsafe();
        const Record shared = last ? chain() : Record{};
        for (Element item : items) {
            if (last) {
                m_records.push_back(Record{item, shared.enclosingAt, shared.enclosingCount});
            } else {
                m_enclosing.push_back(item);
                collectRecords(item, step + 1, pathFound);
                m_enclosing.pop_back();
            }
        }
        return;
    }
    pathFound = true;
    Record r = chain();
    r.value = at;
    m_records.push_back(r);
}

std::string JsonRecordExtractor::extractLine(std::string_view line, std::int64_t lineNumber, RecordBatch& batch)
{
    Element root;
    if (auto err = m_lineParser.parse(line.data(), line.size(), false).get(root))
        return err == simdjson::UTF8_ERROR ? "invalid UTF-8" : std::string("broken JSON: ") + simdjson::error_message(err);
    if (!root.is_object())
        return "line is not a JSON object";
    m_records.clear();
    m_enclosing.clear();
    m_enclosingPool.clear();
    if (m_mapping.recordsPath().steps.empty()) {
        m_records.push_back(Record{root, 0, 0});
    } else {
        bool found = false;
        m_nestedUsed = 0;
        m_parsedStrings.clear();
        collectRecords(root, 0, found);
        if (!found)
            return "the line holds no records where the format puts them (" + m_mapping.recordsPathText() + ")";
    }
    for (std::size_t i = 0; i < m_records.size(); ++i)
        readRecord(m_records[i], lineNumber, i, m_records.size(), line, batch);
    return {};
}

void JsonRecordExtractor::readRecord(const Record& rec, std::int64_t lineNumber, std::size_t ordinal,
                                     std::size_t count, std::string_view line, RecordBatch& batch)
{
    m_nestedUsed = 0;
    m_parsedStrings.clear();
    m_scratchUsed = 0;
    m_turns = -1;
    indexRoot(rec.value);
    if (const auto& where = m_mapping.where()) {
        Element v;
        std::string_view s;
        bool present = false;
        for (std::size_t i = 0; i < where->paths.size() && !present; ++i)
            present = resolve(where->paths[i], rec, v, m_whereStarts[i]) && !v.is_null();
        const bool matches = present && (!where->equals || (v.get_string().get(s) == SUCCESS && s == *where->equals));
        if (!matches) {
            ++batch.skipped;
            return;
        }
    }
    m_builder.begin(lineNumber);
    const auto& rules = m_mapping.rules();
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (rules[i].constant)
            continue; // RecordBuilder applies constants
        if (rules[i].implicit && !m_mapping.keepAll())
            continue; // a mapping that lists what it keeps reads only the fields it names
        const auto& sources = rules[i].sources;
        for (std::size_t k = 0; k < sources.size(); ++k) {
            if (const int bit = m_sourcePrefixBit[i][k]; bit >= 0 && m_rootIndexed) {
                // Numbered attributes of a prefix no key of this record has: nothing to read (the list was indexed).
                const auto root = static_cast<std::size_t>(m_sourceStarts[i][k].root);
                if (!m_rootFound[root] || (m_kvIndexed[root] && !(m_prefixSeen[root] & (1u << bit))))
                    continue;
            }
            if (applySource(static_cast<int>(i), rules[i].target, sources[k], m_sourceStarts[i][k], rec))
                break;
        }
    }
    if (m_mapping.keepAll()) {
        simdjson::dom::object obj;
        if (rec.value.get_object().get(obj) == SUCCESS) {
            for (const auto [key, value] : obj) {
                if (std::find(m_consumed.begin(), m_consumed.end(), key) != m_consumed.end())
                    continue;
                if (value.is_string())
                    m_builder.addExtraText(key, value.get_string().value_unsafe());
                else
                    m_builder.addExtraJson(key, simdjson::minify(value));
            }
        }
    } else {
        const auto& keep = m_mapping.keep();
        for (std::size_t k = 0; k < keep.size(); ++k) {
            const auto& [name, path] = keep[k];
            Element v;
            if (!resolve(path, rec, v, m_keepStarts[k]) || v.is_null())
                continue;
            if (v.is_string())
                m_builder.addExtraTextQuotedKey(m_keepKeys[k], v.get_string().value_unsafe());
            else
                m_builder.addExtraJson(name, simdjson::minify(v));
        }
    }
    if (m_turns >= 0)
        m_builder.addExtraJson("turns", std::to_string(m_turns));
    const std::size_t quarantinedBefore = batch.quarantine.size();
    const bool wholeLine = count == 1 && m_mapping.recordsPath().steps.empty();
    m_builder.finish(batch, wholeLine ? line : std::string_view());
    if (!wholeLine && batch.quarantine.size() > quarantinedBefore) {
        // One bad record of a batch line: quarantined alone, with its own JSON.
        ParsedQuarantine& q = batch.quarantine.back();
        const std::string reason = "record " + std::to_string(ordinal + 1) + " of " + std::to_string(count)
                                 + " in the line: " + std::string(batch.view(q.reason));
        q.reason = batch.store(reason);
        q.raw = batch.store(simdjson::minify(rec.value));
    }
}

} // namespace ds
