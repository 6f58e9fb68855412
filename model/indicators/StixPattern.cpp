#include "indicators/StixPattern.h"

#include <string>
#include <string_view>

namespace ds::stixpattern {

namespace {

// A parse error: carries its message up through the recursive descent.
struct Failure
{
    QString message;
};

bool isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '-'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Recursive descent over the pattern's UTF-8 bytes; the grammar is ASCII outside string literals.
class Parser
{
public:
    explicit Parser(std::string_view text)
        : m_s(text)
    {
    }

    ObservationNode pattern()
    {
        ObservationNode n = followedBy();
        skipSpace();
        if (m_i != m_s.size())
            fail(QStringLiteral("unexpected text"));
        return n;
    }

private:
    [[noreturn]] void fail(const QString& what) const
    {
        throw Failure{QStringLiteral("%1 at character %2").arg(what).arg(m_i + 1)};
    }

    void skipSpace()
    {
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r'))
            ++m_i;
    }

    bool peekChar(char c)
    {
        skipSpace();
        return m_i < m_s.size() && m_s[m_i] == c;
    }

    void expectChar(char c)
    {
        if (!peekChar(c))
            fail(QStringLiteral("expected '%1'").arg(QLatin1Char(c)));
        ++m_i;
    }

    // A keyword (case-insensitive) followed by something that cannot continue a word.
    bool peekKeyword(std::string_view kw)
    {
        skipSpace();
        if (m_s.size() - m_i < kw.size())
            return false;
        for (std::size_t k = 0; k < kw.size(); ++k) {
            char c = m_s[m_i + k];
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 'a' + 'A');
            if (c != kw[k])
                return false;
        }
        const std::size_t after = m_i + kw.size();
        return after == m_s.size() || !isIdentChar(m_s[after]);
    }

    bool acceptKeyword(std::string_view kw)
    {
        if (!peekKeyword(kw))
            return false;
        m_i += kw.size();
        return true;
    }

    struct DepthGuard
    {
        explicit DepthGuard(Parser& p)
            : m_p(p)
        {
            if (++m_p.m_depth > kMaxDepth)
                m_p.fail(QStringLiteral("nesting deeper than %1 levels").arg(kMaxDepth));
        }
        ~DepthGuard() { --m_p.m_depth; }
        Parser& m_p;
    };

    // Folds `first (KW next)*` into one node of `kind` when there is more than one operand.
    template<typename Node, typename Kind, typename Next>
    Node joined(std::string_view kw, Kind kind, Next next)
    {
        Node first = next();
        if (!peekKeyword(kw))
            return first;
        Node n;
        n.kind = kind;
        n.children.push_back(std::move(first));
        while (acceptKeyword(kw))
            n.children.push_back(next());
        return n;
    }

    ObservationNode followedBy()
    {
        DepthGuard g(*this);
        return joined<ObservationNode>("FOLLOWEDBY", ObservationNode::Kind::FollowedBy, [this] { return observationOr(); });
    }
    ObservationNode observationOr()
    {
        return joined<ObservationNode>("OR", ObservationNode::Kind::Or, [this] { return observationAnd(); });
    }
    ObservationNode observationAnd()
    {
        return joined<ObservationNode>("AND", ObservationNode::Kind::And, [this] { return qualified(); });
    }

    ObservationNode qualified()
    {
        ObservationNode n = observation();
        for (;;) {
            if (acceptKeyword("WITHIN")) {
                const Literal l = literal();
                if (l.kind != Literal::Kind::Integer && l.kind != Literal::Kind::Float)
                    fail(QStringLiteral("expected a number of seconds after WITHIN"));
                if (!acceptKeyword("SECONDS"))
                    fail(QStringLiteral("expected SECONDS"));
                n.qualifiers << QStringLiteral("WITHIN %1 SECONDS").arg(l.text);
            } else if (acceptKeyword("REPEATS")) {
                const Literal l = literal();
                if (l.kind != Literal::Kind::Integer)
                    fail(QStringLiteral("expected a whole number after REPEATS"));
                if (!acceptKeyword("TIMES"))
                    fail(QStringLiteral("expected TIMES"));
                n.qualifiers << QStringLiteral("REPEATS %1 TIMES").arg(l.text);
            } else if (acceptKeyword("START")) {
                const Literal a = literal();
                if (!acceptKeyword("STOP"))
                    fail(QStringLiteral("expected STOP"));
                const Literal b = literal();
                if (a.kind != Literal::Kind::Timestamp || b.kind != Literal::Kind::Timestamp)
                    fail(QStringLiteral("expected timestamps t'…' after START and STOP"));
                n.qualifiers << QStringLiteral("START t'%1' STOP t'%2'").arg(a.text, b.text);
            } else {
                return n;
            }
        }
    }

    ObservationNode observation()
    {
        if (peekChar('(')) {
            ++m_i;
            ObservationNode n = followedBy();
            expectChar(')');
            return n;
        }
        expectChar('[');
        ObservationNode n;
        n.kind = ObservationNode::Kind::Observation;
        n.comparisons = comparisonOr();
        expectChar(']');
        return n;
    }

    ComparisonNode comparisonOr()
    {
        DepthGuard g(*this);
        return joined<ComparisonNode>("OR", ComparisonNode::Kind::Or, [this] { return comparisonAnd(); });
    }
    ComparisonNode comparisonAnd()
    {
        return joined<ComparisonNode>("AND", ComparisonNode::Kind::And, [this] { return comparisonAtom(); });
    }

    ComparisonNode comparisonAtom()
    {
        if (peekChar('(')) {
            ++m_i;
            ComparisonNode n = comparisonOr();
            expectChar(')');
            return n;
        }
        if (++m_comparisons > kMaxComparisons)
            fail(QStringLiteral("more than %1 comparisons").arg(kMaxComparisons));
        ComparisonNode n;
        Comparison& c = n.leaf;
        if (acceptKeyword("EXISTS")) {
            objectPath(c);
            c.op = QStringLiteral("EXISTS");
            return n;
        }
        objectPath(c);
        c.negated = acceptKeyword("NOT");
        skipSpace();
        static constexpr std::string_view kSymbols[] = {"!=", "<=", ">=", "=", "<", ">"};
        for (std::string_view sym : kSymbols) {
            if (m_s.substr(m_i, sym.size()) == sym) {
                m_i += sym.size();
                c.op = QString::fromLatin1(sym.data(), static_cast<qsizetype>(sym.size()));
                c.values.push_back(literal());
                return n;
            }
        }
        for (std::string_view kw : {std::string_view("LIKE"), std::string_view("MATCHES"), std::string_view("ISSUBSET"),
                                    std::string_view("ISSUPERSET")}) {
            if (acceptKeyword(kw)) {
                c.op = QString::fromLatin1(kw.data(), static_cast<qsizetype>(kw.size()));
                c.values.push_back(literal());
                if (c.values.back().kind != Literal::Kind::String)
                    fail(QStringLiteral("%1 needs a string").arg(c.op));
                return n;
            }
        }
        if (acceptKeyword("IN")) {
            c.op = QStringLiteral("IN");
            expectChar('(');
            c.values.push_back(literal());
            while (peekChar(',')) {
                ++m_i;
                c.values.push_back(literal());
            }
            expectChar(')');
            return n;
        }
        fail(QStringLiteral("expected a comparison operator"));
    }

    QString quotedText()
    {
        // At the opening quote.
        ++m_i;
        std::string out;
        while (m_i < m_s.size() && m_s[m_i] != '\'') {
            if (m_s[m_i] == '\\') {
                if (m_i + 1 >= m_s.size() || (m_s[m_i + 1] != '\'' && m_s[m_i + 1] != '\\'))
                    fail(QStringLiteral("a string may escape only a quote or a backslash"));
                ++m_i;
            }
            out += m_s[m_i++];
        }
        if (m_i >= m_s.size())
            fail(QStringLiteral("unterminated string"));
        ++m_i;
        return QString::fromUtf8(out.data(), static_cast<qsizetype>(out.size()));
    }

    void objectPath(Comparison& c)
    {
        skipSpace();
        const std::size_t start = m_i;
        while (m_i < m_s.size() && isIdentChar(m_s[m_i]))
            ++m_i;
        if (m_i == start || !isIdentStart(m_s[start]) || m_i >= m_s.size() || m_s[m_i] != ':')
            fail(QStringLiteral("expected an object path such as ipv4-addr:value"));
        c.objectType = QString::fromLatin1(m_s.data() + start, static_cast<qsizetype>(m_i - start));
        ++m_i; // ':'
        c.path << component();
        for (;;) {
            if (m_i < m_s.size() && m_s[m_i] == '.') {
                ++m_i;
                c.path << component();
            } else if (m_i < m_s.size() && m_s[m_i] == '[') {
                const std::size_t open = m_i++;
                if (m_i < m_s.size() && m_s[m_i] == '*')
                    ++m_i;
                else
                    while (m_i < m_s.size() && isDigit(m_s[m_i]))
                        ++m_i;
                if (m_i >= m_s.size() || m_s[m_i] != ']' || m_i == open + 1)
                    fail(QStringLiteral("expected a list index such as [0] or [*]"));
                ++m_i;
                c.path << QString::fromLatin1(m_s.data() + open, static_cast<qsizetype>(m_i - open));
            } else {
                return;
            }
        }
    }

    QString component()
    {
        if (m_i < m_s.size() && m_s[m_i] == '\'')
            return quotedText();
        const std::size_t start = m_i;
        while (m_i < m_s.size() && isIdentChar(m_s[m_i]))
            ++m_i;
        if (m_i == start || !isIdentStart(m_s[start]))
            fail(QStringLiteral("expected a property name"));
        return QString::fromLatin1(m_s.data() + start, static_cast<qsizetype>(m_i - start));
    }

    Literal literal()
    {
        skipSpace();
        if (m_i >= m_s.size())
            fail(QStringLiteral("expected a value"));
        const char c = m_s[m_i];
        Literal l;
        if (c == '\'') {
            l.text = quotedText();
            return l;
        }
        if ((c == 'h' || c == 'b' || c == 't') && m_i + 1 < m_s.size() && m_s[m_i + 1] == '\'') {
            ++m_i;
            l.kind = c == 'h' ? Literal::Kind::Hex : c == 'b' ? Literal::Kind::Binary : Literal::Kind::Timestamp;
            l.text = quotedText();
            return l;
        }
        if (acceptKeyword("TRUE") || acceptKeyword("FALSE")) {
            l.kind = Literal::Kind::Boolean;
            l.text = (c == 't' || c == 'T') ? QStringLiteral("true") : QStringLiteral("false");
            return l;
        }
        const std::size_t start = m_i;
        if (c == '-' || c == '+')
            ++m_i;
        const std::size_t digits = m_i;
        while (m_i < m_s.size() && isDigit(m_s[m_i]))
            ++m_i;
        if (m_i == digits)
            fail(QStringLiteral("expected a value"));
        l.kind = Literal::Kind::Integer;
        if (m_i < m_s.size() && m_s[m_i] == '.') {
            ++m_i;
            const std::size_t frac = m_i;
            while (m_i < m_s.size() && isDigit(m_s[m_i]))
                ++m_i;
            if (m_i == frac)
                fail(QStringLiteral("expected digits after the decimal point"));
            l.kind = Literal::Kind::Float;
        }
        l.text = QString::fromLatin1(m_s.data() + start, static_cast<qsizetype>(m_i - start));
        return l;
    }

    std::string_view m_s;
    std::size_t m_i = 0;
    int m_depth = 0;
    int m_comparisons = 0;
};

} // namespace

QString Comparison::pathText() const
{
    QString out;
    for (const QString& p : path) {
        if (p.startsWith(QLatin1Char('['))) {
            out += p;
            continue;
        }
        if (!out.isEmpty())
            out += QLatin1Char('.');
        bool plain = !p.isEmpty() && (p[0].isLetter() || p[0] == QLatin1Char('_'));
        for (QChar ch : p)
            plain = plain && ch.unicode() < 128 && (ch.isLetterOrNumber() || ch == QLatin1Char('_'));
        out += plain ? p : QLatin1Char('\'') + p + QLatin1Char('\'');
    }
    return out;
}

ParseResult parse(const QString& pattern)
{
    ParseResult r;
    const QByteArray utf8 = pattern.toUtf8();
    if (utf8.size() > kMaxPatternBytes) {
        r.error = QStringLiteral("the pattern is longer than %1 bytes").arg(kMaxPatternBytes);
        return r;
    }
    if (utf8.trimmed().isEmpty()) {
        r.error = QStringLiteral("the pattern is empty");
        return r;
    }
    try {
        r.pattern = Parser(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size()))).pattern();
    } catch (const Failure& f) {
        r.error = f.message;
    }
    return r;
}

} // namespace ds::stixpattern
