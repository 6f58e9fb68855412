#include "ParseHarness.h"

#include "ingest/MappingPath.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdlib>
#include <string_view>

// libFuzzer entry: source paths of mapping files (ingest/MappingPath.h). A path that compiles must keep the parser's
// promises (bounded, ends on a field, "^" only in front); it is then used as the prompt and the account of a
// mapping that reads a small OTLP-shaped batch and a LiteLLM-shaped row, so every step kind ("[]", "[3]", "{key}",
// "^", a string holding JSON) is resolved against real shapes by JsonRecordExtractor.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    QString error;
    const auto path = ds::MappingPath::parse(text, &error);
    if (!path) {
        if (error.isEmpty())
            __builtin_trap(); // a refused path always says why
        return 0;
    }
    if (path->steps.empty() || path->steps.size() > ds::MappingPath::kMaxSteps || text.size() > ds::MappingPath::kMaxLength
        || path->steps.back().kind == ds::PathStep::Kind::Up)
        std::abort();
    for (std::size_t i = static_cast<std::size_t>(path->ups()); i < path->steps.size(); ++i)
        if (path->steps[i].kind == ds::PathStep::Kind::Up)
            std::abort();

    // The path as the mapping file would give it: a JSON string, whatever bytes it holds.
    const QString source = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
    const QJsonObject fields{
        {QStringLiteral("request_id"), QStringLiteral("^^resource.attributes{service.instance.id}")},
        {QStringLiteral("timestamp"), QJsonObject{{QStringLiteral("from"), QStringLiteral("startTimeUnixNano")},
                                                  {QStringLiteral("convert"), QStringLiteral("epoch_ns")}}},
        {QStringLiteral("account_id"), source},
        {QStringLiteral("prompt"), QJsonObject{{QStringLiteral("from"), source}, {QStringLiteral("pick"), QStringLiteral("last_user")}}},
        {QStringLiteral("system_prompt"), QJsonObject{{QStringLiteral("from"), source}, {QStringLiteral("pick"), QStringLiteral("system")}}},
        {QStringLiteral("tools"), source},
    };
    const QJsonObject file{{QStringLiteral("records"), QStringLiteral("resourceSpans[].scopeSpans[].spans[]")},
                           {QStringLiteral("fields"), fields}};
    const auto mapping = ds::FieldMapping::fromJson(QJsonDocument(file).toJson(QJsonDocument::Compact), &error);
    if (!mapping)
        return 0; // e.g. a pick on a path the loader refuses for that field
    static const char log[] =
        R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.instance.id","value":{"stringValue":"gw-1"}},)"
        R"({"key":"user.id","value":{"stringValue":"acct-1"}}]},"scopeSpans":[{"spans":[{"startTimeUnixNano":"1700000000000000000",)"
        R"("attributes":[{"key":"gen_ai.input.messages","value":{"stringValue":"[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"be brief\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]"}},)"
        R"({"key":"n","value":{"intValue":"42"}},{"key":"list","value":{"arrayValue":{"values":[{"stringValue":"a"}]}}}],)"
        R"("messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],"body":"{\"messages\":[{\"role\":\"user\",\"content\":\"y\"}]}"},)"
        R"({"startTimeUnixNano":1700000000000000001,"attributes":[]}]}]}]})"
        "\n"
        R"({"request_id":"r2","messages":[{"role":"user","content":"z"}],"proxy_server_request":{"messages":[{"role":"user","content":"w"}]}})"
        "\n";
    ds::fuzz::harness().parse(reinterpret_cast<const std::uint8_t*>(log), sizeof log - 1,
                              ds::fuzz::ParseHarness::Format::JsonLines, ds::RecordKind::Requests, *mapping);
    return 0;
}
