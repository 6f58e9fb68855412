#pragma once

#include <set>
#include <string>
#include <string_view>

namespace ds {

// The member names of a JSON object whose text may be cut anywhere (the start
// of a record too long for the format sniff's sample), as dotted paths of
// nested objects up to `maxDepth` levels, like the sniffer's own key list of
// whole records: what the cut-off record says about its kind before the cut.
// Never reads past `text`; malformed text yields what was seen before it. Any thread.
std::set<std::string> partialJsonKeys(std::string_view text, int maxDepth = 5);

} // namespace ds
