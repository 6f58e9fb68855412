#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// One step of a source path in a mapping file.
struct PathStep
{
    enum class Kind : std::uint8_t {
        Member,   // "name": a member of an object
        Index,    // "[3]": an element of an array
        Each,     // "[]": every element of an array (records paths only)
        KeyValue, // "{key}": the value of the {"key": ..., "value": ...} element of a list, as OpenTelemetry writes
                  // attributes; or the element {"name": key, ...} of a list of named ones (a span's events)
        Up,       // "^": the record's enclosing element (records paths with "[]" only)
    };
    Kind kind = Kind::Member;
    std::string name;
    std::size_t index = 0;
};

// A compiled source path: "user.id", "request_body.messages", "choices[0].finish_reason",
// "attributes{gen_ai.request.model}", "^^resource.attributes{user.id}". A step into a string
// that holds JSON reads that JSON. Immutable: any thread.
struct MappingPath
{
    std::vector<PathStep> steps;
    // True when every step is a plain member: the path can be read by the streaming reader.
    bool isPlainMembers() const;
    // Number of leading "^" steps.
    int ups() const;

    // Parses `text`; on failure returns nullopt and sets *error to one sentence. Paths are bounded
    // (kMaxLength characters, kMaxSteps steps) so a hostile mapping file cannot make them costly.
    static std::optional<MappingPath> parse(std::string_view text, QString* error);

    static constexpr std::size_t kMaxLength = 512;
    static constexpr std::size_t kMaxSteps = 32;
};

} // namespace ds
