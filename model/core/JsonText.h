#pragma once

#include <string>
#include <string_view>

namespace ds {

// Appends `text` to `out` as a JSON string literal (quotes included), with the
// escapes RFC 8259 requires; UTF-8 passes through unchanged. Used wherever the
// core writes JSON by hand for speed (import `extra` fields, simulated logs).
// Pure function: any thread.
void appendJsonString(std::string& out, std::string_view text);

} // namespace ds
