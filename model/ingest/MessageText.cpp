#include "ingest/MessageText.h"

#include <string_view>

namespace ds::messagetext {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string_view stringMember(simdjson::dom::object o, std::string_view key)
{
    std::string_view s;
    if (o.at_key(key).get_string().get(s) != simdjson::SUCCESS)
        return {};
    return s;
}

void appendSeparated(std::string& out, std::string_view text, std::size_t start, const char* sep)
{
    if (text.empty())
        return;
    if (out.size() > start)
        out += sep;
    out.append(text);
}

// The content of a message: "content" (OpenAI, Anthropic, Converse) or "parts" (OpenTelemetry).
bool messageContent(simdjson::dom::object msg, element& content)
{
    if (msg.at_key("content").get(content) == simdjson::SUCCESS && !content.is_null())
        return true;
    return msg.at_key("parts").get(content) == simdjson::SUCCESS;
}

void appendBlock(element block, std::string& out, std::size_t start, int depth)
{
    if (block.is_string()) {
        appendSeparated(out, block.get_string().value_unsafe(), start, "\n");
        return;
    }
    simdjson::dom::object o;
    if (block.get_object().get(o) != simdjson::SUCCESS)
        return;
    const std::string_view type = stringMember(o, "type");
    if (const std::string_view text = stringMember(o, "text"); !text.empty()) {
        appendSeparated(out, text, start, "\n"); // OpenAI and Anthropic text parts, Converse {text}
        return;
    }
    if (type == "text") {
        appendSeparated(out, stringMember(o, "content"), start, "\n"); // OpenTelemetry text part
        return;
    }
    if (depth > 4)
        return; // tool results nest blocks; a hostile log could nest them without end
    element inner;
    if (type == "tool_result" && o.at_key("content").get(inner) == simdjson::SUCCESS) {
        std::string nested;
        appendContentText(inner, nested);
        appendSeparated(out, nested, start, "\n");
    } else if (type == "tool_call_response" && o.at_key("response").get(inner) == simdjson::SUCCESS && inner.is_string()) {
        appendSeparated(out, inner.get_string().value_unsafe(), start, "\n");
    } else if (o.at_key("toolResult").get(inner) == simdjson::SUCCESS && inner.is_object()) {
        element results;
        if (inner.get_object().value_unsafe().at_key("content").get(results) == simdjson::SUCCESS) {
            std::string nested;
            appendContentText(results, nested);
            appendSeparated(out, nested, start, "\n");
        }
    }
}

// A content whose text is one piece, as appendContentText() would write it: a string, or one block or part
// that is a string or has a non-empty "text" (or, as an OpenTelemetry text part, "content").
bool singlePiece(element content, std::string_view& text)
{
    if (content.is_array()) {
        const simdjson::dom::array blocks = content.get_array().value_unsafe();
        if (blocks.size() != 1)
            return false;
        content = *blocks.begin();
    }
    if (content.is_string()) {
        text = content.get_string().value_unsafe();
        return true;
    }
    simdjson::dom::object o;
    if (content.get_object().get(o) != simdjson::SUCCESS)
        return false;
    if (const std::string_view t = stringMember(o, "text"); !t.empty()) {
        text = t;
        return true;
    }
    if (stringMember(o, "type") == "text") {
        text = stringMember(o, "content");
        return true;
    }
    return false;
}

bool isRole(simdjson::dom::object msg, std::string_view a, std::string_view b = {})
{
    const std::string_view role = stringMember(msg, "role");
    return !role.empty() && (role == a || (!b.empty() && role == b));
}

} // namespace

void appendContentText(element content, std::string& out)
{
    const std::size_t start = out.size();
    if (content.is_array()) {
        const simdjson::dom::array blocks = content.get_array().value_unsafe();
        for (element block : blocks)
            appendBlock(block, out, start, 1);
    } else {
        appendBlock(content, out, start, 0);
    }
}

bool lastUserTurn(simdjson::dom::array messages, std::string& out, std::int64_t& earlierTurns)
{
    std::string_view text;
    std::string storage;
    if (!lastUserTurn(messages, text, storage, earlierTurns))
        return false;
    out.append(text);
    return true;
}

bool lastUserTurn(simdjson::dom::array messages, std::string_view& text, std::string& storage,
                  std::int64_t& earlierTurns)
{
    simdjson::dom::object last;
    bool found = false;
    std::int64_t turns = 0, before = 0;
    for (element m : messages) {
        simdjson::dom::object msg;
        if (m.get_object().get(msg) != simdjson::SUCCESS)
            continue;
        if (isRole(msg, "system", "developer"))
            continue;
        if (isRole(msg, "user")) {
            last = msg;
            found = true;
            before = turns;
        }
        ++turns;
    }
    if (!found)
        return false;
    element content;
    text = {};
    if (messageContent(last, content) && !singlePiece(content, text)) {
        storage.clear();
        appendContentText(content, storage);
        text = storage;
    }
    earlierTurns = before;
    return true;
}

void systemTurns(simdjson::dom::array messages, std::string& out)
{
    const std::size_t start = out.size();
    for (element m : messages) {
        simdjson::dom::object msg;
        if (m.get_object().get(msg) != simdjson::SUCCESS || !isRole(msg, "system", "developer"))
            continue;
        element content;
        if (!messageContent(msg, content))
            continue;
        std::string text;
        appendContentText(content, text);
        appendSeparated(out, text, start, "\n\n");
    }
}

} // namespace ds::messagetext
