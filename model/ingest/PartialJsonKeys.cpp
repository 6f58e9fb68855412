#include "ingest/PartialJsonKeys.h"

#include <vector>

namespace ds {

namespace {
// Bounds that keep the work linear in the text whatever its shape: a path is
// only built while it could be recorded, so deep nesting or a huge member name
// cannot make every nested frame copy a long prefix (1.3 MB of such text once
// needed 2.2 GB). No log's field names come near these.
constexpr std::size_t kMaxNameBytes = 256;
constexpr std::size_t kMaxKeys = 4096;
} // namespace

std::set<std::string> partialJsonKeys(std::string_view text, int maxDepth)
{
    struct Frame
    {
        bool object = false;
        bool inArray = false; // objects inside arrays are values, not the record's fields
        bool recordable = true; // its members' paths may still be recorded
        std::string path;
    };
    std::set<std::string> keys;
    std::vector<Frame> stack;
    std::string lastKey;     // path of the member whose value comes next
    bool lastKeyRecordable = true;
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
                if (out && out->size() <= kMaxNameBytes)
                    *out += text[i];
                ++i;
            } else if (out && out->size() <= kMaxNameBytes) {
                *out += c;
            }
        }
        return false; // cut inside the string
    };
    while (i < text.size()) {
        const char c = text[i];
        if (c == '{' || c == '[') {
            const bool inArray = !stack.empty() && (stack.back().inArray || !stack.back().object);
            const bool recordable = c == '{' && lastKeyRecordable && !inArray && static_cast<int>(stack.size()) < maxDepth;
            stack.push_back(Frame{c == '{', inArray, recordable, recordable ? lastKey : std::string()});
            expectKey = c == '{';
            lastKey.clear();
            lastKeyRecordable = true;
            ++i;
        } else if (c == '}' || c == ']') {
            if (!stack.empty())
                stack.pop_back();
            expectKey = false;
            ++i;
        } else if (c == ',') {
            expectKey = !stack.empty() && stack.back().object;
            lastKey.clear();
            lastKeyRecordable = true;
            ++i;
        } else if (c == '"') {
            const bool isKey = expectKey && !stack.empty() && stack.back().object;
            const bool wanted = isKey && stack.back().recordable;
            std::string name;
            if (!readString(wanted ? &name : nullptr))
                break;
            if (isKey) {
                lastKeyRecordable = wanted && name.size() <= kMaxNameBytes;
                lastKey.clear();
                if (lastKeyRecordable) {
                    const Frame& f = stack.back();
                    lastKey = f.path.empty() ? name : f.path + "." + name;
                    if (keys.size() < kMaxKeys)
                        keys.insert(lastKey);
                }
                expectKey = false;
            }
        } else {
            ++i; // ':' whitespace, numbers, true, false, null
        }
    }
    return keys;
}

} // namespace ds
