#include "text/TemplateName.h"

#include "core/Sqlite.h"
#include "text/DisplayText.h"
#include "text/PromptSkeleton.h"
#include "text/TemplateFingerprint.h"

#include <vector>

namespace ds::templatename {

namespace {

bool isWordByte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 || c == '_' || c == '-' ||
           c == '\'';
}

// One skeleton word with its placeholders in words a reader understands. In a skeleton every letter is lower case
// except the 'N' and 'U' placeholders, and a '0' that does not continue a word stands for a number.
std::string readable(std::string_view word)
{
    std::string out;
    for (std::size_t i = 0; i < word.size(); ++i) {
        const std::string_view rest = word.substr(i);
        if (rest.starts_with("```_```")) {
            out += "[code]";
            i += 6;
        } else if (rest.starts_with("`_`")) {
            out += "[code]";
            i += 2;
        } else if (rest.starts_with("\"_\"")) {
            out += "\"…\"";
            i += 2;
        } else if (word[i] == 'N') {
            out += "[name]";
        } else if (word[i] == 'U') {
            out += "[link]";
        } else if (word[i] == '0' && (out.empty() || !isWordByte(static_cast<unsigned char>(out.back())))) {
            out += '#';
        } else {
            out += word[i];
        }
    }
    return out;
}

} // namespace

QString TemplateName::withFingerprint() const
{
    if (words.isEmpty())
        return fingerprint;
    return QStringLiteral("%1 (%2)").arg(words, fingerprint);
}

QString wordsOfSkeleton(std::string_view skeleton)
{
    std::vector<std::string_view> words;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= skeleton.size(); ++i)
        if (i == skeleton.size() || skeleton[i] == ' ' || skeleton[i] == '\n') {
            if (i > start)
                words.push_back(skeleton.substr(start, i - start));
            start = i + 1;
        }
    if (words.empty())
        return {};
    std::string text;
    auto append = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            if (!text.empty() && text.back() != ' ')
                text += ' ';
            text += readable(words[i]);
        }
    };
    const std::size_t n = words.size();
    if (n <= 2 * kEndWords + 1) {
        append(0, n);
    } else {
        append(0, kEndWords);
        text += " …";
        append(n - kEndWords, n);
    }
    // Words are attacker-controlled: control and direction characters become visible marks, one line, bounded.
    return QStringLiteral("“%1”").arg(displaytext::cell(QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())), 200));
}

namespace {

// Both skeletons go into the fingerprint, so words taken from them are the same for every request of it.
QString wordsOf(std::string_view systemPrompt, std::string_view prompt)
{
    QString words = wordsOfSkeleton(promptSkeleton(prompt));
    if (words.isEmpty())
        words = wordsOfSkeleton(promptSkeleton(systemPrompt));
    return words;
}

std::string_view view(const QByteArray& b) { return {b.constData(), static_cast<std::size_t>(b.size())}; }

} // namespace

TemplateName of(std::string_view systemPrompt, std::string_view prompt)
{
    TemplateName n;
    n.fingerprint = templatefingerprint::text(templatefingerprint::compute(systemPrompt, prompt));
    n.words = wordsOf(systemPrompt, prompt);
    return n;
}

TemplateName ofRequest(SqliteDb& db, std::int64_t requestId)
{
    SqliteStatement st(db, "SELECT r.skeleton_hash, (SELECT value FROM system_prompt WHERE id = r.system_prompt), "
                           "(SELECT ds_text(prompt) FROM request_text WHERE id = r.id) FROM request r WHERE r.id = ?1");
    st.bind(1, requestId);
    TemplateName n;
    if (!st.step())
        return n;
    // The stored fingerprint is the one the STIX export shares and the import matches: name by it.
    n.fingerprint = templatefingerprint::text(static_cast<std::uint64_t>(st.columnInt(0)));
    const QByteArray system = st.isNull(1) ? QByteArray() : st.columnText(1).toUtf8();
    const QByteArray prompt = st.isNull(2) ? QByteArray() : st.columnText(2).toUtf8();
    n.words = wordsOf(view(system), view(prompt));
    return n;
}

} // namespace ds::templatename
