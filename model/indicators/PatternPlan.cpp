#include "indicators/PatternPlan.h"

#include "detect/ReasonText.h"
#include "indicators/StixPattern.h"
#include "text/TemplateFingerprint.h"

#include <arpa/inet.h>

namespace ds::indicators {

namespace {

using stixpattern::Comparison;
using stixpattern::ComparisonNode;
using stixpattern::Literal;
using stixpattern::ObservationNode;

// Why a pattern cannot be evaluated, carried out of the planning.
struct Unevaluable
{
    QString why;
};

constexpr int kMaxRegexChars = 2000;

QString shortText(const QString& s) { return s.size() > 60 ? s.left(60) + QStringLiteral("…") : s; }

bool pathIs(const Comparison& c, std::initializer_list<const char*> parts, Qt::CaseSensitivity lastCase = Qt::CaseSensitive)
{
    if (c.path.size() != static_cast<qsizetype>(parts.size()))
        return false;
    qsizetype i = 0;
    for (const char* p : parts) {
        const bool last = i + 1 == c.path.size();
        if (c.path[i++].compare(QLatin1String(p), last ? lastCase : Qt::CaseSensitive) != 0)
            return false;
    }
    return true;
}

// The field a comparison's object path names, or why the case holds nothing to compare it with.
Field fieldOf(const Comparison& c)
{
    const QString& t = c.objectType;
    if ((t == QLatin1String("ipv4-addr") || t == QLatin1String("ipv6-addr")) && pathIs(c, {"value"}))
        return Field::Ip;
    if (t == QLatin1String("network-traffic")) {
        if (pathIs(c, {"src_ref", "value"}))
            return Field::Ip;
        // HTTP header names are case-insensitive.
        if (pathIs(c, {"extensions", "http-request-ext", "request_header", "User-Agent"}, Qt::CaseInsensitive))
            return Field::UserAgent;
    }
    if (t == QLatin1String("x-llm-api-request") && pathIs(c, {"x_prompt_template_fingerprint"}))
        return Field::Template;
    if (t == QLatin1String("email-addr") && pathIs(c, {"value"}))
        return Field::EmailDomain; // narrowed to the domain by emailTest
    if (t == QLatin1String("domain-name") && pathIs(c, {"value"}))
        return Field::EmailDomain;
    if (t == QLatin1String("user-account")) {
        if (pathIs(c, {"account_login"}) || pathIs(c, {"user_id"}))
            return Field::AccountId;
        if (pathIs(c, {"x_payment_fingerprint"}))
            return Field::Payment;
    }
    static const QStringList known = {QStringLiteral("ipv4-addr"), QStringLiteral("ipv6-addr"), QStringLiteral("network-traffic"),
                                      QStringLiteral("email-addr"), QStringLiteral("domain-name"), QStringLiteral("user-account"),
                                      QStringLiteral("x-llm-api-request")};
    if (known.contains(t))
        throw Unevaluable{QStringLiteral("it compares %1:%2, which the case does not hold").arg(t, shortText(c.pathText()))};
    throw Unevaluable{QStringLiteral("it names %1 objects, which the case does not hold").arg(shortText(t))};
}

QString whatOf(Field f, bool range)
{
    switch (f) {
    case Field::Ip: return range ? QStringLiteral("IP range") : QStringLiteral("IP address");
    case Field::UserAgent: return QStringLiteral("user agent");
    case Field::Template: return QStringLiteral("prompt template");
    case Field::EmailDomain: return QStringLiteral("e-mail domain");
    case Field::Payment: return QStringLiteral("payment fingerprint");
    case Field::AccountId: return QStringLiteral("account");
    }
    return {};
}

// SQL LIKE ('%' any run, '_' one character) as an anchored regular expression.
QRegularExpression likeRegex(const QString& like, bool caseless)
{
    QString re = QStringLiteral("^");
    for (QChar ch : like) {
        if (ch == QLatin1Char('%'))
            re += QStringLiteral(".*");
        else if (ch == QLatin1Char('_'))
            re += QLatin1Char('.');
        else
            re += QRegularExpression::escape(QString(ch));
    }
    re += QLatin1Char('$');
    QRegularExpression::PatternOptions options = QRegularExpression::DotMatchesEverythingOption;
    if (caseless)
        options |= QRegularExpression::CaseInsensitiveOption;
    return QRegularExpression(re, options);
}

QStringList stringValues(const Comparison& c)
{
    QStringList out;
    for (const Literal& l : c.values) {
        if (l.kind != Literal::Kind::String)
            throw Unevaluable{QStringLiteral("it compares %1:%2 with a value that is not a string").arg(c.objectType, shortText(c.pathText()))};
        out << l.text;
    }
    return out;
}

// A sign-up address is kept only as its domain: "%@domain" patterns and domains can be tested, whole addresses not.
void narrowEmail(const Comparison& c, FieldTest& t, QStringList& values)
{
    if (c.objectType != QLatin1String("email-addr"))
        return;
    if (c.op == QLatin1String("LIKE") && values.size() == 1 && values[0].startsWith(QStringLiteral("%@")) && values[0].size() > 2) {
        values[0] = values[0].mid(2);
        t.what = QStringLiteral("e-mail domain");
        return;
    }
    throw Unevaluable{QStringLiteral("it compares whole e-mail addresses, and the case keeps only the domain of each sign-up address")};
}

FieldTest testFor(const Comparison& c)
{
    FieldTest t;
    t.field = fieldOf(c);
    if (c.negated || c.op == QLatin1String("!="))
        throw Unevaluable{QStringLiteral("it has a negated comparison (NOT or !=), which would match nearly everything in a case")};
    if (c.op == QLatin1String("EXISTS") || c.op == QLatin1String("ISSUPERSET") || c.op.startsWith(QLatin1Char('<'))
        || c.op.startsWith(QLatin1Char('>')))
        throw Unevaluable{QStringLiteral("it uses the %1 operator, which Distillscope does not evaluate").arg(c.op)};
    QStringList values = stringValues(c);
    t.what = whatOf(t.field, false);
    narrowEmail(c, t, values);
    t.valueCount = static_cast<int>(values.size());
    t.shownValue = values.value(0);
    const bool caseless = t.field == Field::EmailDomain;

    if (c.op == QLatin1String("LIKE") || c.op == QLatin1String("MATCHES")) {
        if (t.field == Field::Template)
            throw Unevaluable{QStringLiteral("it matches template fingerprints by %1, which has no meaning for a hash").arg(c.op)};
        if (values[0].size() > kMaxRegexChars)
            throw Unevaluable{QStringLiteral("its %1 expression is longer than %2 characters").arg(c.op).arg(kMaxRegexChars)};
        t.kind = FieldTest::Kind::Pattern;
        t.regex = c.op == QLatin1String("LIKE")
                      ? likeRegex(values[0], caseless)
                      : QRegularExpression(values[0], caseless ? QRegularExpression::CaseInsensitiveOption : QRegularExpression::NoPatternOption);
        if (!t.regex.isValid())
            throw Unevaluable{QStringLiteral("its regular expression does not compile (%1)").arg(t.regex.errorString())};
        t.regex.optimize();
        t.what += QStringLiteral(" matching");
        return t;
    }
    if (t.field == Field::Template) {
        if (c.op == QLatin1String("ISSUBSET"))
            throw Unevaluable{QStringLiteral("it uses ISSUBSET on template fingerprints")};
        t.kind = FieldTest::Kind::Hashes;
        for (const QString& v : values) {
            const auto parsed = templatefingerprint::parse(v);
            if (!parsed.hash)
                throw Unevaluable{QStringLiteral("it names %1").arg(parsed.why)};
            t.hashes.push_back(*parsed.hash);
        }
        return t;
    }
    if (t.field == Field::Ip) {
        // '=' on an address object may name a whole network ("198.51.100.0/24"), as ISSUBSET does.
        t.kind = FieldTest::Kind::Networks;
        bool range = false;
        for (const QString& v : values) {
            IpNetwork n;
            if (!IpNetwork::parse(v, n))
                throw Unevaluable{QStringLiteral("it names “%1”, which is not an IP address or network").arg(shortText(v))};
            if (c.objectType == QLatin1String("ipv4-addr") && n.v6)
                throw Unevaluable{QStringLiteral("it names an IPv6 value on an ipv4-addr object")};
            if (c.objectType == QLatin1String("ipv6-addr") && !n.v6)
                throw Unevaluable{QStringLiteral("it names an IPv4 value on an ipv6-addr object")};
            range = range || !n.isSingleAddress();
            t.networks.push_back(n);
        }
        t.what = whatOf(Field::Ip, range);
        return t;
    }
    if (c.op == QLatin1String("ISSUBSET"))
        throw Unevaluable{QStringLiteral("it uses ISSUBSET on a value that is not an address")};
    t.kind = FieldTest::Kind::Equal;
    t.values = values;
    return t;
}

class Planner
{
public:
    explicit Planner(IndicatorPlan& plan)
        : m_plan(plan)
    {
    }

    PlanNode observations(const ObservationNode& n)
    {
        if (!n.qualifiers.isEmpty())
            throw Unevaluable{QStringLiteral("it has qualifiers (%1), which Distillscope does not evaluate").arg(shortText(n.qualifiers.join(QLatin1Char(' '))))};
        PlanNode out;
        switch (n.kind) {
        case ObservationNode::Kind::FollowedBy:
            throw Unevaluable{QStringLiteral("it orders observations in time (FOLLOWEDBY), which Distillscope does not evaluate")};
        case ObservationNode::Kind::And:
        case ObservationNode::Kind::Or:
            out.kind = n.kind == ObservationNode::Kind::And ? PlanNode::Kind::And : PlanNode::Kind::Or;
            for (const ObservationNode& c : n.children)
                out.children.push_back(observations(c));
            return out;
        case ObservationNode::Kind::Observation: break;
        }
        return observation(n.comparisons);
    }

private:
    // One observation; an OR of request and account properties becomes one observation per level.
    PlanNode observation(const ComparisonNode& n)
    {
        int requestLeaves = 0, accountLeaves = 0;
        m_top = &n;
        PlanNode tests = comparisons(n, requestLeaves, accountLeaves);
        if (requestLeaves == 0 || accountLeaves == 0)
            return addObservation(requestLeaves > 0, std::move(tests));
        if (tests.kind != PlanNode::Kind::Or)
            throw Unevaluable{QStringLiteral("it joins properties of requests and of accounts with AND in one observation")};
        PlanNode perRequest{PlanNode::Kind::Or, 0, {}}, perAccount{PlanNode::Kind::Or, 0, {}};
        for (PlanNode& c : tests.children)
            (levelOf(c) ? perRequest : perAccount).children.push_back(std::move(c));
        PlanNode out{PlanNode::Kind::Or, 0, {}};
        out.children.push_back(addObservation(true, std::move(perRequest)));
        out.children.push_back(addObservation(false, std::move(perAccount)));
        return out;
    }

    PlanNode addObservation(bool perRequest, PlanNode tests)
    {
        m_plan.observations.push_back({perRequest, std::move(tests)});
        return PlanNode{PlanNode::Kind::Leaf, static_cast<int>(m_plan.observations.size() - 1), {}};
    }

    // True when every test under `n` is a request field; mixed subtrees were refused already.
    bool levelOf(const PlanNode& n) const
    {
        if (n.kind == PlanNode::Kind::Leaf)
            return isRequestField(m_plan.tests[static_cast<std::size_t>(n.leaf)].field);
        return levelOf(n.children.front());
    }

    PlanNode comparisons(const ComparisonNode& n, int& requestLeaves, int& accountLeaves)
    {
        PlanNode out;
        if (n.kind == ComparisonNode::Kind::Leaf) {
            m_plan.tests.push_back(testFor(n.leaf));
            (isRequestField(m_plan.tests.back().field) ? requestLeaves : accountLeaves)++;
            out.leaf = static_cast<int>(m_plan.tests.size() - 1);
            return out;
        }
        out.kind = n.kind == ComparisonNode::Kind::And ? PlanNode::Kind::And : PlanNode::Kind::Or;
        for (const ComparisonNode& c : n.children) {
            int r = 0, a = 0;
            out.children.push_back(comparisons(c, r, a));
            if (r && a && out.kind == PlanNode::Kind::And)
                throw Unevaluable{QStringLiteral("it joins properties of requests and of accounts with AND in one observation")};
            if (r && a && out.kind == PlanNode::Kind::Or && &n != m_top)
                throw Unevaluable{QStringLiteral("it mixes properties of requests and of accounts deep inside one observation")};
            requestLeaves += r;
            accountLeaves += a;
        }
        if (out.kind == PlanNode::Kind::And && requestLeaves && accountLeaves)
            throw Unevaluable{QStringLiteral("it joins properties of requests and of accounts with AND in one observation")};
        return out;
    }

    IndicatorPlan& m_plan;
    const ComparisonNode* m_top = nullptr; // the observation's outermost node: the only place levels may mix (by OR)
};

} // namespace

bool IpNetwork::parse(const QString& text, IpNetwork& out)
{
    const QString t = text.trimmed();
    const qsizetype slash = t.indexOf(QLatin1Char('/'));
    const QByteArray addr = (slash < 0 ? t : t.left(slash)).toLatin1();
    out = IpNetwork{};
    if (inet_pton(AF_INET, addr.constData(), out.bytes.data()) == 1) {
        out.prefix = 32;
    } else if (inet_pton(AF_INET6, addr.constData(), out.bytes.data()) == 1) {
        out.v6 = true;
        out.prefix = 128;
    } else {
        return false;
    }
    if (slash >= 0) {
        bool ok = false;
        const int p = t.mid(slash + 1).toInt(&ok);
        if (!ok || p < 0 || p > out.prefix)
            return false;
        out.prefix = p;
    }
    return true;
}

bool IpNetwork::contains(const IpNetwork& a) const
{
    if (a.v6 != v6)
        return false;
    const int full = prefix / 8, rest = prefix % 8;
    for (int i = 0; i < full; ++i)
        if (bytes[static_cast<std::size_t>(i)] != a.bytes[static_cast<std::size_t>(i)])
            return false;
    if (rest == 0)
        return true;
    const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (bytes[static_cast<std::size_t>(full)] & mask) == (a.bytes[static_cast<std::size_t>(full)] & mask);
}

bool FieldTest::matchesText(const QString& value) const
{
    if (kind == Kind::Pattern)
        return regex.match(value).hasMatch();
    const Qt::CaseSensitivity cs = field == Field::EmailDomain ? Qt::CaseInsensitive : Qt::CaseSensitive;
    for (const QString& v : values)
        if (v.compare(value, cs) == 0)
            return true;
    return false;
}

bool FieldTest::matchesAddress(const QString& ip) const
{
    if (kind != Kind::Networks)
        return matchesText(ip);
    IpNetwork a;
    if (!IpNetwork::parse(ip, a) || !a.isSingleAddress())
        return false;
    for (const IpNetwork& n : networks)
        if (n.contains(a))
            return true;
    return false;
}

QString IndicatorPlan::summary() const
{
    if (tests.empty())
        return {};
    const FieldTest& t = tests.front();
    QString s = t.what + QLatin1Char(' ') + reasontext::quoted(t.shownValue, 60);
    int more = t.valueCount - 1;
    for (std::size_t i = 1; i < tests.size(); ++i)
        more += tests[i].valueCount;
    if (more > 0)
        s += QStringLiteral(" and ") + reasontext::count(more, QStringLiteral("more value"), QStringLiteral("more values"));
    return s;
}

IndicatorPlan planFor(const QString& patternType, const QString& pattern)
{
    IndicatorPlan plan;
    if (patternType != QLatin1String("stix")) {
        plan.why = QStringLiteral("its pattern is written in %1, not in STIX patterning").arg(shortText(patternType));
        return plan;
    }
    const stixpattern::ParseResult parsed = stixpattern::parse(pattern);
    if (!parsed.pattern) {
        plan.why = QStringLiteral("its pattern does not parse (%1)").arg(parsed.error);
        return plan;
    }
    try {
        Planner planner(plan);
        plan.pattern = planner.observations(*parsed.pattern);
    } catch (const Unevaluable& u) {
        plan = IndicatorPlan{};
        plan.why = u.why;
    }
    return plan;
}

} // namespace ds::indicators
