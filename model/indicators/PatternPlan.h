#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <vector>

// What Distillscope can evaluate of a partner's indicator pattern: each comparison turned into a test of one
// field the case keeps (a request's IP address, user agent and prompt-template fingerprint; an account's id,
// sign-up e-mail domain and payment fingerprint), or the reason it cannot be evaluated. The supported subset is
// what Distillscope's own export writes and the common observables partners send (docs/INDICATORS.md).
// Pure functions: any thread; a plan is read-only once made and may be shared by threads.
namespace ds::indicators {

enum class Field { Ip, UserAgent, Template, EmailDomain, Payment, AccountId };
// Request fields are tested per request; the others per account.
inline bool isRequestField(Field f) { return f == Field::Ip || f == Field::UserAgent || f == Field::Template; }

// An IPv4 or IPv6 network (a single address is a /32 or /128).
struct IpNetwork
{
    std::array<unsigned char, 16> bytes{};
    bool v6 = false;
    int prefix = 32;

    static bool parse(const QString& text, IpNetwork& out); // "203.0.113.7", "203.0.113.0/24", "2001:db8::/48"
    bool contains(const IpNetwork& address) const;
    bool isSingleAddress() const { return prefix == (v6 ? 128 : 32); }
};

// One comparison as a test of one field's value.
struct FieldTest
{
    enum class Kind { Equal, Networks, Pattern, Hashes };
    Field field = Field::Ip;
    Kind kind = Kind::Equal;
    QStringList values;              // Equal: any of them (e-mail domains compared without case)
    std::vector<IpNetwork> networks; // Networks: the address is in any of them
    QRegularExpression regex;        // Pattern: LIKE or MATCHES, as a regular expression
    std::vector<std::uint64_t> hashes; // Hashes: template fingerprints
    QString what;                    // what it names, for people: "IP range", "user agent", "e-mail domain"
    QString shownValue;              // the value as the pattern wrote it ("185.196.110.0/24"), or its first of several
    int valueCount = 1;

    bool matchesText(const QString& value) const;  // Equal and Pattern
    bool matchesAddress(const QString& ip) const;  // Ip field, any kind
};

// A tree over tests (comparisons inside one observation) or over observations (the pattern).
struct PlanNode
{
    enum class Kind { Leaf, And, Or };
    Kind kind = Kind::Leaf;
    int leaf = 0; // index into IndicatorPlan::tests or ::observations
    std::vector<PlanNode> children;

    template<typename Pred>
    bool eval(const Pred& leafTrue) const
    {
        switch (kind) {
        case Kind::Leaf: return leafTrue(leaf);
        case Kind::And:
            for (const PlanNode& c : children)
                if (!c.eval(leafTrue))
                    return false;
            return true;
        case Kind::Or:
            for (const PlanNode& c : children)
                if (c.eval(leafTrue))
                    return true;
            return false;
        }
        return false;
    }
};

struct ObservationPlan
{
    bool perRequest = true; // tested on each request, else on each account
    PlanNode tests;
};

struct IndicatorPlan
{
    std::vector<FieldTest> tests;
    std::vector<ObservationPlan> observations;
    PlanNode pattern; // over observations
    QString why;      // set when the indicator cannot be evaluated: "it names file hashes, which the case does not hold"

    bool evaluable() const { return why.isEmpty(); }
    // What it names, for a reason sentence: "IP range “185.196.110.0/24”", "user agent “…” and 2 more values".
    QString summary() const;
};

IndicatorPlan planFor(const QString& patternType, const QString& pattern);

} // namespace ds::indicators
