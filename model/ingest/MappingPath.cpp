#include "ingest/MappingPath.h"

#include <algorithm>
#include <charconv>

namespace ds {

bool MappingPath::isPlainMembers() const
{
    return std::all_of(steps.begin(), steps.end(), [](const PathStep& s) { return s.kind == PathStep::Kind::Member; });
}

int MappingPath::ups() const
{
    int n = 0;
    while (n < static_cast<int>(steps.size()) && steps[static_cast<std::size_t>(n)].kind == PathStep::Kind::Up)
        ++n;
    return n;
}

std::optional<MappingPath> MappingPath::parse(std::string_view text, QString* error)
{
    const QString shown = QString::fromUtf8(text.data(), static_cast<qsizetype>(std::min<std::size_t>(text.size(), 80)));
    if (text.empty()) {
        *error = QStringLiteral("an empty source path");
        return std::nullopt;
    }
    if (text.size() > kMaxLength) {
        *error = QStringLiteral("the source path \"%1...\" is longer than %2 characters").arg(shown).arg(kMaxLength);
        return std::nullopt;
    }
    MappingPath p;
    std::size_t i = 0;
    while (i < text.size() && text[i] == '^') {
        p.steps.push_back({PathStep::Kind::Up, {}, 0});
        ++i;
    }
    bool expectName = true; // at the start and after a '.'
    while (i < text.size()) {
        const char c = text[i];
        if (c == '.') {
            if (expectName) {
                *error = QStringLiteral("the source path \"%1\" has an empty name before a '.'").arg(shown);
                return std::nullopt;
            }
            expectName = true;
            ++i;
        } else if (c == '[') {
            const std::size_t close = text.find(']', i);
            if (close == std::string_view::npos) {
                *error = QStringLiteral("the source path \"%1\" opens a '[' it does not close").arg(shown);
                return std::nullopt;
            }
            const std::string_view inside = text.substr(i + 1, close - i - 1);
            PathStep step;
            if (inside.empty()) {
                step.kind = PathStep::Kind::Each;
            } else {
                step.kind = PathStep::Kind::Index;
                auto [end, ec] = std::from_chars(inside.data(), inside.data() + inside.size(), step.index);
                if (ec != std::errc() || end != inside.data() + inside.size()) {
                    *error = QStringLiteral("in the source path \"%1\", [%2] is not an array index")
                                 .arg(shown, QString::fromUtf8(inside.data(), static_cast<qsizetype>(inside.size())));
                    return std::nullopt;
                }
            }
            p.steps.push_back(std::move(step));
            expectName = false;
            i = close + 1;
        } else if (c == '{') {
            const std::size_t close = text.find('}', i);
            if (close == std::string_view::npos || close == i + 1) {
                *error = QStringLiteral("the source path \"%1\" has a '{' without a key and a closing '}'").arg(shown);
                return std::nullopt;
            }
            p.steps.push_back({PathStep::Kind::KeyValue, std::string(text.substr(i + 1, close - i - 1)), 0});
            expectName = false;
            i = close + 1;
        } else if (c == ']' || c == '}' || c == '^') {
            *error = QStringLiteral("the source path \"%1\" has a stray '%2'").arg(shown, QChar::fromLatin1(c));
            return std::nullopt;
        } else {
            if (!expectName) {
                *error = QStringLiteral("the source path \"%1\" needs a '.' before a name").arg(shown);
                return std::nullopt;
            }
            const std::size_t end = text.find_first_of(".[{]}^", i);
            const std::size_t stop = end == std::string_view::npos ? text.size() : end;
            p.steps.push_back({PathStep::Kind::Member, std::string(text.substr(i, stop - i)), 0});
            expectName = false;
            i = stop;
        }
        if (p.steps.size() > kMaxSteps) {
            *error = QStringLiteral("the source path \"%1...\" has more than %2 steps").arg(shown).arg(kMaxSteps);
            return std::nullopt;
        }
    }
    if (expectName && !p.steps.empty() && p.steps.back().kind != PathStep::Kind::Up) {
        *error = QStringLiteral("the source path \"%1\" ends with a '.'").arg(shown);
        return std::nullopt;
    }
    if (p.steps.empty() || p.steps.back().kind == PathStep::Kind::Up) {
        *error = QStringLiteral("the source path \"%1\" names no field").arg(shown);
        return std::nullopt;
    }
    return p;
}

} // namespace ds
