#include "ingest/MessageText.h"

#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string>

// libFuzzer entry: the message readers of ingest/MessageText.h on any JSON value, as a mapping's "pick" hands them
// one: the content text of a value, and the last user turn and the system turns of an array. Whatever the input,
// the readers return text that came from the document (never more bytes than it holds) and a turn count that
// fits the array.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(reinterpret_cast<const char*>(data), size, true).get(root) != simdjson::SUCCESS)
        return 0;
    std::string text;
    ds::messagetext::appendContentText(root, text);
    if (text.size() > 2 * size + 16) // separators are added only between non-empty texts the input holds
        std::abort();
    simdjson::dom::array messages;
    if (root.get_array().get(messages) != simdjson::SUCCESS)
        return 0;
    std::string last;
    std::int64_t turns = -1;
    if (ds::messagetext::lastUserTurn(messages, last, turns)) {
        if (turns < 0 || static_cast<std::size_t>(turns) >= messages.size())
            std::abort();
    } else if (!last.empty()) {
        std::abort(); // no user turn: nothing written
    }
    std::string system;
    ds::messagetext::systemTurns(messages, system);
    if (last.size() > 2 * size + 16 || system.size() > 2 * size + 16)
        std::abort();
    return 0;
}
