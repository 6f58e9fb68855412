#include "RemoteOptions.h"

#include "CliCommand.h"
#include "core/Timestamp.h"
#include "text/DisplayText.h"

#include <QCommandLineParser>

void RemoteOptions::addTo(QCommandLineParser& parser) const
{
    parser.addOptions({from, since, until});
}

bool RemoteOptions::isSet(const QCommandLineParser& parser) const
{
    return parser.isSet(from);
}

std::optional<int> RemoteOptions::prepare(const QCommandLineParser& p, const char* command, const QString& format,
                                          std::vector<std::shared_ptr<ds::ClickHouseSource>>& sources) const
{
    if (!p.isSet(from)) {
        if (p.isSet(since) || p.isSet(until)) {
            cliErr() << command << ": --since and --until select rows of a --from table; files are imported whole\n";
            return 2;
        }
        return std::nullopt;
    }
    ds::ClickHouseSource::Options options;
    options.format = format.isEmpty() ? QStringLiteral("canonical") : format;
    for (const auto& [opt, target] : {std::pair{&since, &options.sinceMs}, std::pair{&until, &options.untilMs}}) {
        if (!p.isSet(*opt))
            continue;
        const QString text = p.value(*opt);
        const auto ms = ds::timestamp::parseRfc3339(text.toStdString());
        if (!ms) {
            cliErr() << command << ": --" << opt->names().constFirst() << " \"" << ds::displaytext::embedded(text)
                     << "\" is not an RFC 3339 time (2026-02-01T00:00:00Z)\n";
            return 2;
        }
        *target = *ms;
    }
    if (options.sinceMs && options.untilMs && *options.untilMs <= *options.sinceMs) {
        cliErr() << command << ": --until must be later than --since\n";
        return 2;
    }
    std::vector<ds::ClickHouseUrl> urls;
    for (const QString& text : p.values(from)) {
        QString error;
        const auto url = ds::ClickHouseUrl::parse(text, &error);
        if (!url) {
            cliErr() << command << ": --from: " << error << "\n";
            return 2;
        }
        urls.push_back(*url);
    }
    for (const ds::ClickHouseUrl& url : urls) {
        ds::ClickHouseResponse failure;
        auto source = ds::ClickHouseSource::prepare(url, options, nullptr, &failure);
        if (!source) {
            cliErr() << command << ": " << url.redacted() << ": " << failure.message << "\n";
            return 1;
        }
        cliErr() << "ClickHouse " << source->serverVersion() << " at " << url.server() << ": " << url.database << "."
                 << url.table << " (" << source->table().engine
                 << (source->table().needsFinal ? QStringLiteral(", read with FINAL") : QString()) << "), "
                 << source->expectedRows() << " rows to pull as " << options.format << "\n";
        sources.push_back(std::move(source));
    }
    return std::nullopt;
}

void printPullSummary(const std::vector<std::shared_ptr<ds::ClickHouseSource>>& sources)
{
    for (const auto& s : sources) {
        const qint64 ms = s->pullMilliseconds();
        const qint64 rows = s->rowsPulled();
        cliErr() << "pulled " << rows << " rows from " << s->url().redacted() << " in " << QString::number(ms / 1000.0, 'f', 1)
                 << " s";
        if (ms > 0)
            cliErr() << " (" << qint64(rows * 1000.0 / ms) << " rows/s)";
        const ds::ClickHouseResponse r = s->pullResponse();
        if (!r.ok())
            cliErr() << ": " << r.message;
        cliErr() << "\n";
    }
}
