#include "ParseHarness.h"

#include <QByteArray>

// libFuzzer entry: mapping files. A mapping that loads is then applied to a
// small JSON Lines and CSV log, so whatever the loader accepts must also be safe to use.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QString error;
    const auto mapping =
        ds::FieldMapping::fromJson(QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)), &error);
    if (!mapping) {
        if (error.isEmpty())
            __builtin_trap(); // a refused mapping always says why
        return 0;
    }
    static const char jsonl[] =
        R"({"id":"r1","user":{"id":"a1","mail":{"domain":"x.org"}},"created":1700000000,"timestamp":"2024-01-01T00:00:00Z","prompt":"hi","a":{"b":{"c":1}}})"
        "\n"
        R"({"request_id":"r2","account_id":"a2","timestamp":1700000000123,"prompt":"","tools":[1,2],"x.y":"z"})"
        "\n";
    static const char csv[] = "id,user.id,created,request_id,account_id,timestamp,prompt\n"
                               "r1,a1,1700000000,r1,a1,2024-01-01T00:00:00Z,hi\n"
                               "r2,a2,1.5e9,,a2,1700000000123,\"quoted, \"\"text\"\"\"\n";
    auto& h = ds::fuzz::harness();
    for (const auto kind : {ds::RecordKind::Requests, ds::RecordKind::Accounts}) {
        h.parse(reinterpret_cast<const std::uint8_t*>(jsonl), sizeof jsonl - 1, ds::fuzz::ParseHarness::Format::JsonLines,
                kind, *mapping);
        h.parse(reinterpret_cast<const std::uint8_t*>(csv), sizeof csv - 1, ds::fuzz::ParseHarness::Format::Csv, kind,
                *mapping);
    }
    return 0;
}
