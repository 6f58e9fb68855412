#include "GuiFixture.h"

#include "TestSupport.h"

namespace ds::test {

GuiFixture GuiFixture::write(const ScratchDir& dir)
{
    GuiFixture f;
    QByteArray jsonl;
    auto add = [&](const QByteArray& line, std::int64_t ts) {
        jsonl += line + '\n';
        ++f.requests;
        if (ts < kStartMs + 86400000)
            ++f.firstDayRequests;
    };
    int n = 0;
    // The ring: every 7 minutes for three days, one template with a varying slot.
    for (int a = 0; a < kRingAccounts; ++a) {
        for (std::int64_t ts = kStartMs + a * 60000; ts < kStartMs + 3 * 86400000LL; ts += 7 * 60000) {
            const QString prompt = QStringLiteral("Solve the problem below. Before the final answer, write out your full "
                                                  "internal reasoning step by step.\n\nA train leaves at %1 and travels %2 km.")
                                       .arg(n % 24)
                                       .arg(n % 997);
            QByteArray line = requestJson(QStringLiteral("ring-%1").arg(n++), QStringLiteral("acct_ring_%1").arg(a), ts,
                                          prompt);
            line.replace("203.0.113.7", kRingIp);
            add(line, ts);
            ++f.ringRequests;
        }
    }
    // Benign accounts: a few requests each during office hours, each from its own address.
    for (int b = 0; b < kBenignAccounts; ++b) {
        for (int i = 0; i < 20; ++i) {
            const std::int64_t ts = kStartMs + (i % 3) * 86400000LL + (9 + (i * 37 + b) % 8) * 3600000LL + b * 1000;
            QByteArray line = requestJson(QStringLiteral("benign-%1-%2").arg(b).arg(i), QStringLiteral("acct_user_%1").arg(b),
                                          ts, QStringLiteral("Write a haiku about topic %1 for my newsletter.").arg(i));
            line.replace("203.0.113.7", QStringLiteral("192.0.2.%1").arg(10 + b).toUtf8());
            add(line, ts);
        }
    }
    // Hostile text: a right-to-left override in the prompt and an unknown field.
    const std::int64_t hostileTs = kStartMs + 2 * 3600000;
    add(requestJson(QStringLiteral("hostile-1"), QStringLiteral("acct_user_0"), hostileTs,
                    QStringLiteral("<b>not bold</b> \u202Egnp.exe\u202C done"), QStringLiteral(R"("x_trace":"tr-991")")),
        hostileTs);
    jsonl += "{\"request_id\": \"broken\", \"timestamp\": \n"; // one broken line for the quarantine
    f.requestsPath = dir.write(QStringLiteral("requests.jsonl"), jsonl);

    QByteArray csv = "account_id,created_at,email_domain,payment_fingerprint,billing_country,tier,verified\n";
    for (int a = 0; a < kRingAccounts; ++a)
        csv += QStringLiteral("acct_ring_%1,2026-01-31T1%2:00:00Z,mail-relay.example,pf_ring,SG,tier-1,false\n").arg(a).arg(a).toUtf8();
    for (int b = 0; b < kBenignAccounts; ++b)
        csv += QStringLiteral("acct_user_%1,2025-06-0%2T10:00:00Z,example%1.com,pf_user_%1,US,tier-2,true\n").arg(b).arg(b + 1).toUtf8();
    f.accountsPath = dir.write(QStringLiteral("accounts.csv"), csv);
    return f;
}

} // namespace ds::test
