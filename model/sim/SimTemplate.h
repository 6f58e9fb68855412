#pragma once

#include <string>
#include <string_view>

namespace ds {

// Appends `templ` to `out` with every {slot} (lower-case letters, digits and '_')
// replaced by what `slot(name, out)` appends. Anything else in braces ("\boxed{}",
// JSON) is copied as it is. Pure: any thread.
template<typename SlotFn>
void simFillTemplate(std::string& out, std::string_view templ, SlotFn&& slot)
{
    std::size_t i = 0;
    while (i < templ.size()) {
        const std::size_t open = templ.find('{', i);
        if (open == std::string_view::npos)
            break;
        std::size_t close = open + 1;
        while (close < templ.size() &&
               ((templ[close] >= 'a' && templ[close] <= 'z') || (templ[close] >= '0' && templ[close] <= '9') ||
                templ[close] == '_'))
            ++close;
        if (close < templ.size() && templ[close] == '}' && close > open + 1) {
            out.append(templ.data() + i, open - i);
            slot(templ.substr(open + 1, close - open - 1), out);
            i = close + 1;
        } else {
            out.append(templ.data() + i, open + 1 - i);
            i = open + 1;
        }
    }
    out.append(templ.data() + i, templ.size() - i);
}

inline bool simHasSlot(std::string_view templ, std::string_view name)
{
    std::string needle;
    needle.reserve(name.size() + 2);
    needle += '{';
    needle += name;
    needle += '}';
    return templ.find(needle) != std::string_view::npos;
}

} // namespace ds
