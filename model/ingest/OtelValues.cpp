#include "ingest/OtelValues.h"

#include <algorithm>
#include <charconv>

namespace ds::otel {

using simdjson::SUCCESS;

simdjson::dom::element unwrapAnyValue(simdjson::dom::element e)
{
    simdjson::dom::object o;
    if (e.get_object().get(o) != SUCCESS || o.size() != 1)
        return e;
    const auto [key, value] = *o.begin();
    if (key.size() < 6 || key.substr(key.size() - 5) != "Value")
        return e;
    if (key == "arrayValue" || key == "kvlistValue") {
        simdjson::dom::element values;
        if (value.at_key("values").get(values) == SUCCESS)
            return values;
    }
    return value;
}

namespace {

// "PREFIX.N.FIELD" -> N and FIELD (non-empty); false for any other key.
bool splitIndexedKey(std::string_view key, std::string_view prefix, std::uint32_t& index, std::string_view& field)
{
    if (key.size() < prefix.size() + 4 || key.substr(0, prefix.size()) != prefix || key[prefix.size()] != '.')
        return false;
    const std::string_view rest = key.substr(prefix.size() + 1);
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
    if (ec != std::errc() || end == rest.data() || end == rest.data() + rest.size() || *end != '.')
        return false;
    field = rest.substr(static_cast<std::size_t>(end - rest.data()) + 1);
    return !field.empty();
}

} // namespace

std::size_t indexedFields(simdjson::dom::array attributes, std::string_view prefix, std::vector<IndexedField>& out)
{
    out.clear();
    for (simdjson::dom::element item : attributes) {
        simdjson::dom::object kv;
        std::string_view key, field;
        std::uint32_t index = 0;
        simdjson::dom::element value;
        if (item.get_object().get(kv) != SUCCESS || kv.at_key("key").get_string().get(key) != SUCCESS
            || !splitIndexedKey(key, prefix, index, field) || kv.at_key("value").get(value) != SUCCESS)
            continue;
        out.push_back(IndexedField{index, field, unwrapAnyValue(value)});
    }
    // Sorted, a repeated (N, FIELD) follows its first: one pass keeps the first of each and the lowest N.
    std::stable_sort(out.begin(), out.end(), [](const IndexedField& a, const IndexedField& b) {
        return a.index != b.index ? a.index < b.index : a.field < b.field;
    });
    std::size_t kept = 0, distinct = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool newIndex = kept == 0 || out[kept - 1].index != out[i].index;
        if (!newIndex && out[kept - 1].field == out[i].field)
            continue;
        if (newIndex && distinct == kMaxMessages)
            break;
        distinct += newIndex;
        out[kept++] = out[i];
    }
    out.resize(kept);
    return distinct;
}

void indexedMessages(simdjson::dom::array attributes, std::string_view prefix, std::vector<IndexedMessage>& out)
{
    out.clear();
    for (simdjson::dom::element item : attributes) {
        simdjson::dom::object kv;
        std::string_view key;
        if (item.get_object().get(kv) != SUCCESS || kv.at_key("key").get_string().get(key) != SUCCESS)
            continue;
        // "N.role" or "N.content" after the prefix's dot.
        std::uint32_t index = 0;
        std::string_view field;
        if (!splitIndexedKey(key, prefix, index, field))
            continue;
        const bool isRole = field == "role";
        if (!isRole && field != "content")
            continue;
        simdjson::dom::element value;
        if (kv.at_key("value").get(value) != SUCCESS)
            continue;
        value = unwrapAnyValue(value);
        auto it = std::lower_bound(out.begin(), out.end(), index,
                                   [](const IndexedMessage& m, std::uint32_t i) { return m.index < i; });
        if (it == out.end() || it->index != index) {
            const auto at = it - out.begin();
            if (out.size() >= kMaxMessages) {
                if (it == out.end())
                    continue; // beyond the lowest kMaxMessages
                out.pop_back();
            }
            it = out.insert(out.begin() + at, IndexedMessage{index, {}, {}, false});
        }
        if (isRole) {
            std::string_view role;
            if (it->role.empty() && value.get_string().get(role) == SUCCESS)
                it->role = role;
        } else if (!it->hasContent) {
            it->content = value;
            it->hasContent = true;
        }
    }
}

} // namespace ds::otel
