#pragma once

#include "ingest/ByteSource.h"
#include "ingest/LineReader.h"
#include "ingest/OversizedRecord.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// Splits a JSON document that is one array ("[{...}, {...}]", pretty-printed or not) into its elements, as
// the list endpoints of gateways return their logs (LiteLLM's GET /spend/logs). The same contract as
// LineReader, so the JSON Lines parser reads either: each element is a view into an internal buffer, valid
// until the next call, followed by at least LineReader::kPadding readable bytes, numbered from 1 (the
// number stands where a line number would). Text after the closing bracket comes back as one more element,
// which then fails to parse and is quarantined; an array cut short returns its last element unterminated.
//
// With a `recordsMember` the document is instead an object wrapping the records array, as paginated list
// APIs return a page ({"data": [...], "total": 240, "page": 1, ...}: LiteLLM's /spend/logs/ui and
// /spend/logs/v2): the elements of that member's array are the records, the other members are passed
// over unread, and several such pages may follow one another (one a line, or pretty-printed).
//
// Memory stays bounded: an element longer than `maxElementBytes` is skipped to its end, keeping only its
// first and last bytes (Status::Oversized). The split follows strings and nesting byte by byte, so this
// reader is for the lists APIs return, not for the gigabyte logs JSON Lines carry. One thread at a time.
class JsonArrayReader
{
public:
    using Status = LineReader::Status;

    explicit JsonArrayReader(ByteSource& source, std::size_t maxElementBytes = kDefaultMaxRecordBytes,
                             std::string recordsMember = {});

    Status next(std::string_view& element, std::int64_t& number);
    // False when the document ended inside the element just returned (a truncated download).
    bool lastLineTerminated() const { return m_terminated; }
    const OversizedRecord& oversized() const { return m_oversized; }
    std::size_t maxLineBytes() const { return m_max; }

    // The complete elements at the start of `text` (a sample of such a document), at most `max`.
    static std::vector<std::string_view> leadingElements(std::string_view text, std::size_t max);

    // The members of the object that starts `text` whose value is an array of objects (the records arrays it
    // may wrap), with the complete elements of each at the start of `text`, at most `max` a member.
    struct Member
    {
        std::string_view name;
        std::vector<std::string_view> elements;
    };
    static std::vector<Member> arrayMembers(std::string_view text, std::size_t max);

private:
    enum class Where : std::uint8_t {
        BeforeArray,   // before a document (with a records member: between pages)
        BeforeElement, // in an array, before an element
        InElement,
        AfterArray,
        // Inside a wrapping object (recordsMember set):
        BeforeMember, // before a member's name, or the object's end
        InName,       // in a member's name
        BeforeColon,  // after the name
        BeforeValue,  // after the colon
        InValue,      // passing over the value of a member that is not the records
        AfterRecords, // after the records array: more members or the object's end
    };
    // Where the element that starts at `from` ends in [from, end): the position of the ',' or ']' after it,
    // or `end` when it goes on; `closesArray` when that is the array's ']'.
    struct Scan
    {
        int depth = 0;
        bool inString = false;
        bool escape = false;
    };
    static std::size_t scanElement(const char* data, std::size_t from, std::size_t end, Scan& scan, bool& closesArray);
    // Where the member name that m_begin opens ends (its closing quote), or m_end.
    std::size_t scanName();
    // One step inside a wrapping object; false when it needs more bytes.
    bool stepInWrapper();
    // The state after an array's closing bracket.
    Where afterArray();
    bool fill();
    Status take(std::size_t len, bool terminated, std::string_view& element, std::int64_t& number);

    ByteSource& m_source;
    std::size_t m_max;
    std::string m_recordsMember; // empty: the document is an array
    bool m_nameMatches = false;  // the member being read is the records member
    bool m_nameEscape = false;   // InName: the previous byte was a backslash
    bool m_inWrapper = false;    // the array being read is the records member of a wrapping object
    bool m_elementInWrapper = false; // the element is stray text among a wrapper's members (quarantined)
    std::vector<char> m_buf;
    std::size_t m_begin = 0; // start of the element being read, or of unread data
    std::size_t m_end = 0;
    std::size_t m_scan = 0; // where scanning resumes
    Where m_where = Where::BeforeArray;
    Scan m_state;
    bool m_skipping = false; // the element passed the limit: only its ends are kept
    bool m_eof = false;
    bool m_atStart = true;
    bool m_terminated = true;
    std::int64_t m_count = 0;
    OversizedRecord m_oversized;
};

} // namespace ds
