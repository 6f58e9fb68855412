#include "CliCommand.h"

#include "text/DisplayText.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cstdio>

QTextStream& cliOut()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream& cliErr()
{
    static QTextStream s(stderr);
    return s;
}

namespace {

// "distillscope-cli import": what a user types to run the command being parsed.
QString& commandLineName()
{
    static QString name;
    return name;
}

} // namespace

std::optional<int> parseCommandLine(QCommandLineParser& parser, const QStringList& args)
{
    // args[0] is "PROGRAM COMMAND" (main.cpp); the command is its last word.
    commandLineName() = QStringLiteral("distillscope-cli ") + args.value(0).section(QLatin1Char(' '), -1);
    if (!parser.parse(args)) {
        cliErr() << parser.errorText() << "\n\n" << commandHelp(parser);
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.optionNames().contains(QStringLiteral("help-all"))) {
        cliOut() << commandHelp(parser);
        return 0;
    }
    return std::nullopt;
}

QString commandHelp(const QCommandLineParser& parser)
{
    QString text = parser.helpText();
    // Qt names the executable as it was started (often a long path) and never the
    // sub-command, so the usage line read "Usage: /opt/x/distillscope-cli [options]
    // FILES...": it did not say to type "import".
    const QString asStarted = QStringLiteral("Usage: ") + QCoreApplication::arguments().value(0);
    if (!commandLineName().isEmpty() && text.startsWith(asStarted))
        text.replace(0, asStarted.size(), QStringLiteral("Usage: ") + commandLineName());
    return text;
}

std::optional<std::uint64_t> parseByteSize(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d{1,15})\\s*(?:([kKmMgG])(?:i?[bB])?|[bB])?\\s*$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    std::uint64_t n = m.captured(1).toULongLong();
    const QString unit = m.captured(2).toLower();
    const int shift = unit == QLatin1String("k") ? 10 : unit == QLatin1String("m") ? 20 : unit == QLatin1String("g") ? 30 : 0;
    if (shift > 0 && n > (std::uint64_t{1} << (63 - shift)))
        return std::nullopt;
    return n << shift;
}

bool maxRecordSizeOption(const QCommandLineParser& parser, const QCommandLineOption& option, const char* command,
                         std::size_t& bytes)
{
    if (!parser.isSet(option))
        return true;
    const std::optional<std::uint64_t> n = parseByteSize(parser.value(option));
    if (!n || *n < (std::uint64_t{1} << 10) || *n > (std::uint64_t{512} << 20)) {
        cliErr() << command << ": --max-record-size takes a size from 1k to 512M (e.g. 64M), not \""
                 << ds::displaytext::embedded(parser.value(option).left(40)) << "\"\n";
        return false;
    }
    bytes = static_cast<std::size_t>(*n);
    return true;
}
