#include "text/DisplayText.h"

#include <QLocale>

namespace ds::displaytext {

namespace {

constexpr QChar kOpenMark(0x2039); // ‹
constexpr QChar kCloseMark(0x203A); // ›
constexpr QChar kEllipsis(0x2026);
constexpr QChar kFsi(0x2068);
constexpr QChar kPdi(0x2069);
// Combining marks kept on one base character; Zalgo text stacks dozens.
constexpr int kMaxMarks = 4;

// Control characters by their ASCII / ISO 6429 names. (Not the control pictures
// ␀…␟: common fonts, DejaVu included, have no glyphs for them.)
constexpr const char* kC0[]
    = { "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "HT", "LF",  "VT",  "FF", "CR", "SO", "SI",
        "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US" };
constexpr const char* kC1[] = { "PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS",
                                "PLD", "PLU", "RI",  "SS2", "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW",
                                "SPA", "EPA", "SOS", "SGC", "SCI", "CSI", "ST",  "OSC", "PM",  "APC" };

// Short names for the invisible characters an analyst should recognise.
struct Named
{
    char32_t c;
    const char* name;
};
constexpr Named kInvisible[] = {
    { 0x202A, "LRE" }, { 0x202B, "RLE" }, { 0x202C, "PDF" },  { 0x202D, "LRO" },  { 0x202E, "RLO" },
    { 0x2066, "LRI" }, { 0x2067, "RLI" }, { 0x2068, "FSI" },  { 0x2069, "PDI" },  { 0x200E, "LRM" },
    { 0x200F, "RLM" }, { 0x061C, "ALM" }, { 0x200B, "ZWSP" }, { 0x200C, "ZWNJ" }, { 0x200D, "ZWJ" },
    { 0x2060, "WJ" },  { 0xFEFF, "BOM" }, { 0x00AD, "SHY" },  { 0x180E, "MVS" },  { 0x034F, "CGJ" },
};

const char* invisibleName(char32_t c)
{
    if (c < 0x20)
        return kC0[c];
    if (c == 0x7F)
        return "DEL";
    if (c >= 0x80 && c < 0xA0)
        return kC1[c - 0x80];
    for (const Named& n : kInvisible)
        if (n.c == c)
            return n.name;
    return nullptr;
}

bool isMark(char32_t c)
{
    const auto cat = QChar::category(c);
    return cat == QChar::Mark_NonSpacing || cat == QChar::Mark_Enclosing;
}

// Characters drawn as nothing (or drawn over others) that are not controls.
bool isInvisible(char32_t c)
{
    return invisibleName(c) || QChar::category(c) == QChar::Other_Format;
}

void appendMark(QString& out, char32_t c)
{
    out += kOpenMark;
    if (const char* name = invisibleName(c))
        out += QLatin1String(name);
    else
        out += QStringLiteral("U+%1").arg(static_cast<uint>(c), 4, 16, QLatin1Char('0')).toUpper();
    out += kCloseMark;
}

struct Decoded
{
    char32_t c;
    int units; // UTF-16 code units consumed
};

Decoded decode(const QString& text, qsizetype i)
{
    const QChar u = text[i];
    if (u.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
        return { QChar::surrogateToUcs4(u, text[i + 1]), 2 };
    if (u.isSurrogate())
        return { 0xFFFD, 1 }; // a lone half of a pair
    return { u.unicode(), 1 };
}

// Neutralises text[0, end): see the header. `lines` keeps line structure.
QString clean(const QString& text, qsizetype end, bool lines)
{
    QString out;
    out.reserve(end + 8);
    int marks = 0, dropped = 0;
    auto flushMarks = [&] {
        if (dropped > 0)
            out += kOpenMark + QStringLiteral("+%1 marks").arg(dropped) + kCloseMark;
        marks = dropped = 0;
    };
    for (qsizetype i = 0; i < end;) {
        const QChar u = text[i];
        if (u.unicode() >= 0x20 && u.unicode() < 0x7F) { // printable ASCII, most of any log: as it is
            if (marks)
                flushMarks();
            out += u;
            ++i;
            continue;
        }
        const auto [c, units] = decode(text, i);
        const qsizetype next = i + units;
        if (isMark(c) && c != 0x034F) {
            if (++marks > kMaxMarks)
                ++dropped;
            else
                out += QStringView(text).mid(i, units);
            i = next;
            continue;
        }
        flushMarks();
        if (c == '\n' || c == 0x2028 || c == 0x2029) {
            out += lines ? QChar(u'\n') : QChar(0x21B5); // ↵
        } else if (c == '\r' && next < end && text[next] == QLatin1Char('\n')) {
            // CR LF is one line break
        } else if (c == '\t') {
            out += lines ? QChar(u'\t') : QChar(0x2192); // →
        } else if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
            appendMark(out, c); // ‹ESC›, ‹NUL›, ‹NEL›
        } else if (isInvisible(c)) {
            // Joiners inside words and emoji sequences shape scripts (Persian, Indic) and emoji: a text box keeps them.
            const bool joiner = c == 0x200C || c == 0x200D;
            const bool between = i > 0 && next < end && !text[i - 1].isSpace() && !text[next].isSpace();
            if (lines && joiner && between)
                out += QChar(static_cast<char16_t>(c));
            else
                appendMark(out, c);
        } else if (c == 0xFFFD || QChar::isNonCharacter(c)) {
            out += QChar(0xFFFD);
        } else {
            out += QStringView(text).mid(i, units);
        }
        i = next;
    }
    flushMarks();
    return out;
}

// Where to cut `text` to keep about `maxChars` characters: never inside a surrogate pair.
qsizetype cutAt(const QString& text, qsizetype maxChars)
{
    if (maxChars < 0 || text.size() <= maxChars)
        return text.size();
    qsizetype cut = maxChars;
    if (cut > 0 && text[cut - 1].isHighSurrogate())
        --cut;
    return cut;
}

} // namespace

bool isBidiControl(char32_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}

QString cell(const QString& text, int maxChars)
{
    const qsizetype cut = cutAt(text, maxChars);
    QString out = clean(text, cut, false);
    if (cut < text.size())
        out += kEllipsis;
    return out;
}

QString embedded(const QString& text, int maxChars)
{
    return kFsi + cell(text, maxChars) + kPdi;
}

QString actionText(const QString& text, int maxChars)
{
    return embedded(text, maxChars).replace(QLatin1Char('&'), QStringLiteral("&&"));
}

QString multiline(const QString& text, qsizetype maxChars)
{
    qsizetype cut = cutAt(text, maxChars);
    if (cut < text.size()) {
        // Prefer a line break, then a space, in the last tenth before the limit.
        const qsizetype floor = cut - cut / 10;
        const qsizetype line = text.lastIndexOf(QLatin1Char('\n'), cut - 1);
        const qsizetype space = text.lastIndexOf(QLatin1Char(' '), cut - 1);
        if (line >= floor && line > 0)
            cut = line;
        else if (space >= floor && space > 0)
            cut = space;
    }
    QString out = clean(text, cut, true);
    if (cut < text.size())
        out += QStringLiteral("\n[%1 %2 more characters not shown]")
                   .arg(kEllipsis)
                   .arg(QLocale::c().toString(text.size() - cut));
    return out;
}

QString tooltip(const QString& text, int maxChars)
{
    QString escaped = multiline(text, maxChars).toHtmlEscaped();
    escaped.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return QStringLiteral("<p style=\"white-space:pre-wrap\">%1</p>").arg(escaped);
}

bool needsNeutralising(const QString& text)
{
    int marks = 0;
    for (qsizetype i = 0; i < text.size();) {
        const auto [c, units] = decode(text, i);
        if (text[i].isSurrogate() && units == 1)
            return true; // a lone half of a surrogate pair
        i += units;
        if (isMark(c) && c != 0x034F) {
            if (++marks > kMaxMarks)
                return true;
            continue;
        }
        marks = 0;
        if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029 || isInvisible(c)
            || QChar::isNonCharacter(c))
            return true;
    }
    return false;
}

} // namespace ds::displaytext
