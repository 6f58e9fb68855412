#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

// The STIX 2.1 patterning language (STIX 2.1 part 9) as a syntax tree: observation expressions in brackets,
// joined by AND, OR and FOLLOWEDBY, with qualifiers; inside each, comparisons of an object path with literals
// joined by AND and OR. Parsing says nothing about whether Distillscope can evaluate a pattern
// (indicators/PatternPlan.h decides that). Bounded for hostile input: length, nesting and comparison count.
// Pure functions: any thread.
namespace ds::stixpattern {

struct Literal
{
    enum class Kind { String, Integer, Float, Boolean, Hex, Binary, Timestamp };
    Kind kind = Kind::String;
    QString text; // the value: unescaped string, digits, "true", hex digits, base64, timestamp
};

// objectType:path op value(s), e.g. ipv4-addr:value ISSUBSET '203.0.113.0/24'.
struct Comparison
{
    QString objectType;   // "ipv4-addr", "x-llm-api-request"
    QStringList path;     // property path: {"extensions", "http-request-ext", "request_header", "User-Agent"}; list
                          // indexes as "[0]" or "[*]"
    QString op;           // "=", "!=", "<", "<=", ">", ">=", "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"
    bool negated = false; // NOT before the operator
    std::vector<Literal> values; // one; a set for IN; none for EXISTS

    QString pathText() const; // "extensions.'http-request-ext'.request_header.'User-Agent'"
};

// Comparisons joined by AND / OR inside one observation's brackets.
struct ComparisonNode
{
    enum class Kind { Leaf, And, Or };
    Kind kind = Kind::Leaf;
    Comparison leaf;
    std::vector<ComparisonNode> children;
};

// Observations joined by AND / OR / FOLLOWEDBY, with their qualifiers.
struct ObservationNode
{
    enum class Kind { Observation, And, Or, FollowedBy };
    Kind kind = Kind::Observation;
    ComparisonNode comparisons;          // Kind::Observation
    std::vector<ObservationNode> children;
    QStringList qualifiers;              // "WITHIN 600 SECONDS", "REPEATS 3 TIMES", "START t'…' STOP t'…'"
};

struct ParseResult
{
    std::optional<ObservationNode> pattern;
    QString error; // when pattern is unset: what is wrong and where, one phrase ("expected ']' at character 31")
};

// Limits a pattern must stay within.
constexpr int kMaxPatternBytes = 256 * 1024;
constexpr int kMaxDepth = 64;
constexpr int kMaxComparisons = 10000;

ParseResult parse(const QString& pattern);

} // namespace ds::stixpattern
