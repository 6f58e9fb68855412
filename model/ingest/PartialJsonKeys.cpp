#include "ingest/PartialJsonKeys.h"

#include <vector>

namespace ds {

std::set<std::string> partialJsonKeys(std::string_view text, int maxDepth)
{
    struct Frame
    {
        bool object = false;
        bool inArray = false; // objects inside arrays are values, not the record's fields
        std::string path;
    };
    std::set<std::string> keys;
    std::vector<Frame> stack;
    std::string lastKey;     // path of the member whose value comes next
    bool expectKey = false;  // inside an object, before a member name
    std::size_t i = 0;
    auto readString = [&](std::string* out) {
        ++i; // opening quote
        while (i < text.size()) {
            const char c = text[i++];
            if (c == '"')
                return true;
            if (c == '\\') {
                if (i >= text.size())
                    return false;
                if (out)
                    *out += text[i];
                ++i;
            } else if (out) {
                *out += c;
            }
        }
        return false; // cut inside the string
    };
    while (i < text.size()) {
        const char c = text[i];
        if (c == '{' || c == '[') {
            const bool inArray = !stack.empty() && (stack.back().inArray || !stack.back().object);
            stack.push_back(Frame{c == '{', inArray, c == '{' ? lastKey : std::string()});
            expectKey = c == '{';
            lastKey.clear();
            ++i;
        } else if (c == '}' || c == ']') {
            if (!stack.empty())
                stack.pop_back();
            expectKey = false;
            ++i;
        } else if (c == ',') {
            expectKey = !stack.empty() && stack.back().object;
            lastKey.clear();
            ++i;
        } else if (c == '"') {
            const bool isKey = expectKey && !stack.empty() && stack.back().object;
            std::string name;
            if (!readString(isKey ? &name : nullptr))
                break;
            if (isKey) {
                const Frame& f = stack.back();
                lastKey = f.path.empty() ? name : f.path + "." + name;
                if (!f.inArray && static_cast<int>(stack.size()) <= maxDepth)
                    keys.insert(lastKey);
                expectKey = false;
            }
        } else {
            ++i; // ':' whitespace, numbers, true, false, null
        }
    }
    return keys;
}

} // namespace ds
