#include "report/ReportSections.h"

#include "case/ReviewState.h"
#include "core/Timestamp.h"
#include "report/NumberText.h"
#include "report/PdfCanvas.h"
#include "report/ReportData.h"
#include "report/SettingLabels.h"
#include "report/StixBundle.h"
#include "text/DisplayText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPicture>

#include <algorithm>
#include <cmath>
#include <concepts>

namespace ds {

namespace {

using S = PdfCanvas::Style;

// One number format in the whole report (the detector's reasons write "14,349"): see NumberText.h.
template <std::integral T>
QString num(T v)
{
    return numbertext::count(static_cast<std::int64_t>(v));
}
// "1 request", "2 requests".
QString counted(std::int64_t v, const char* singular, const char* plural)
{
    return numbertext::counted(v, QString::fromLatin1(singular), QString::fromLatin1(plural));
}
QString when(std::int64_t ms) { return ms ? timestamp::toIso(ms).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')) + QStringLiteral(" UTC") : QStringLiteral("—"); }
QString period(std::int64_t a, std::int64_t b) { return a ? when(a) + QStringLiteral(" to ") + when(b) : QStringLiteral("—"); }

// Text from the logs (ids, user agents, shared values, prompts, the detector's reasons quoting them) and
// from the analyst (notes, pin titles, which may quote it) goes through displaytext: control and direction
// characters become visible marks (‹RLO›, ‹ESC›), and one value cannot fill pages.
constexpr int kMaxValueChars = 300;   // an id, a user agent, a path, a title
constexpr int kMaxPromptChars = 3000; // one example prompt
constexpr int kMaxNoteChars = 20000;  // the analyst's notes and summary
// A value standing alone (a table cell, a key-value row), with its full length when cut.
QString value(const QString& s)
{
    QString v = displaytext::cell(s, kMaxValueChars);
    if (s.size() > kMaxValueChars)
        v += QStringLiteral(" [%1 characters]").arg(num(s.size()));
    return v;
}
// A value inside a sentence: isolated, so right-to-left text cannot move the words around it.
QString inLine(const QString& s) { return displaytext::embedded(s, kMaxValueChars); }
// Several lines (notes, reasons): lines kept.
QString prose(const QString& s, qsizetype maxChars = kMaxNoteChars) { return displaytext::multiline(s, maxChars); }
// An example prompt in a quote box, cut with a note.
void promptQuote(PdfCanvas& c, const QString& prompt)
{
    c.quote(displaytext::multiline(prompt, kMaxPromptChars));
    if (prompt.size() > kMaxPromptChars)
        c.paragraph(QStringLiteral("Prompt cut for the report: the first %1 of %2 characters are shown; the case database "
                                   "holds it whole.")
                        .arg(num(kMaxPromptChars), num(prompt.size())),
                    S::Caption);
}

// Plain decimals a reader can compare at a glance (no exponents).
QString dec(std::optional<double> v) { return numbertext::readable(v); }

QString day(std::int64_t ms) { return ms ? timestamp::toIso(ms).left(10) : QStringLiteral("—"); }
QString shortName(const DetectionResults::Cluster& cl) { return QStringLiteral("N-%1").arg(cl.id); }

// A network's strongest reasons for a summary. The detector lists what ties the accounts together first (templates,
// lockstep, shared infrastructure, hand-offs, tasks, cohorts), then the size sentence ("A coding harvest: 150 accounts
// sent …"), then how each account behaves; within the first part it goes by kind, so its first reason can weigh
// nothing ("4 of the 89 accounts send the same prompt ending" above the task pool that flagged an operation whose every
// account words its own prompts). So: the ties that weigh, heaviest first; then the rest in the detector's order,
// without the size sentence and the list of missing evidence; a reason that weighs nothing only when nothing else is left.
std::vector<const DetectionResults::Reason*> strongestReasons(const ReportData::Network& n, std::size_t count)
{
    std::vector<const DetectionResults::Reason*> ties, rest, weightless;
    bool tiesDone = false;
    for (const auto& r : n.reasons) {
        if (r.key == QLatin1String("hydra")) {
            tiesDone = true;
            continue;
        }
        if (r.key == QLatin1String("evidence_gaps"))
            continue;
        (r.weight <= 0 ? weightless : tiesDone ? rest : ties).push_back(&r);
    }
    std::stable_sort(ties.begin(), ties.end(), [](const auto* a, const auto* b) { return a->weight > b->weight; });
    std::vector<const DetectionResults::Reason*> out = ties;
    out.insert(out.end(), rest.begin(), rest.end());
    out.insert(out.end(), weightless.begin(), weightless.end());
    if (out.empty() && !n.reasons.empty())
        out.push_back(&n.reasons.front());
    if (out.size() > count)
        out.resize(count);
    return out;
}

// What the account figures of a network count. The detector's reasons count the network's core ("137 of the 142
// accounts"); accounts that joined later are members too, so the reader is told why the two numbers differ.
QString accountsInWords(const ReportData::Network& n)
{
    const std::int64_t all = n.net.cluster.accounts;
    QString text = counted(all, "account", "accounts");
    if (n.coreAccounts > 0 && n.coreAccounts < all)
        text += QStringLiteral(": the detector's reasons count the %1 of its core; %2 joined it later (%3)")
                    .arg(num(n.coreAccounts), counted(all - n.coreAccounts, "more account", "more accounts"), n.members.joinedInWords());
    if (!n.net.excluded.empty())
        text += QStringLiteral("; %1 marked false positive by the analyst and left out of the findings")
                    .arg(counted(static_cast<std::int64_t>(n.net.excluded.size()), "member", "members"));
    return text;
}

// What a confirmed network's accounts did, counted now over every member: the basis of page 1's sentence and table
// and of each network's page, so the figures agree (the detector's own figures count its run's core accounts).
struct MemberTotals
{
    std::int64_t requests = 0;
    std::int64_t outputTokens = 0;
    std::int64_t firstTs = 0;
    std::int64_t lastTs = 0;
};

MemberTotals memberTotals(const ReportData& d, std::int64_t clusterId)
{
    MemberTotals t;
    for (const auto& a : d.findings.accounts)
        if (a.cluster && *a.cluster == clusterId) {
            t.requests += a.requests;
            t.outputTokens += a.outputTokens;
            if (a.firstTs)
                t.firstTs = t.firstTs ? std::min(t.firstTs, a.firstTs) : a.firstTs;
            t.lastTs = std::max(t.lastTs, a.lastTs);
        }
    return t;
}

// "The detector flagged 3 networks: the analyst confirmed 2, called 1 a false positive." from the verdicts of the
// run the report describes, so page 1 can never disagree with the case.
QString verdictsSentence(const ReportData& d)
{
    std::int64_t confirmed = 0, falsePositive = 0, open = 0;
    for (ReviewState s : d.findings.flaggedStates) {
        if (s == ReviewState::Confirmed)
            ++confirmed;
        else if (s == ReviewState::FalsePositive)
            ++falsePositive;
        else
            ++open;
    }
    // Verdicts a batch command gave are said to be such: they rest on the detector alone.
    std::int64_t batch = 0;
    for (const auto& n : d.findings.networks)
        batch += !n.confirmedInBatch.isEmpty();
    QStringList parts{batch == 0           ? QStringLiteral("confirmed %1").arg(num(confirmed))
                      : batch == confirmed ? QStringLiteral("confirmed %1 in one batch, without reviewing each").arg(num(confirmed))
                                           : QStringLiteral("confirmed %1 (%2 of them in one batch, without reviewing each)")
                                                 .arg(num(confirmed), num(batch))};
    if (falsePositive)
        parts << QStringLiteral("called %1 a false positive").arg(num(falsePositive));
    if (open)
        parts << QStringLiteral("has %1 still to review").arg(num(open));
    const QString list = parts.size() == 1 ? parts.first()
                                           : parts.mid(0, parts.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" and ") + parts.last();
    return QStringLiteral("The detector flagged %1; the analyst %2.")
        .arg(counted(static_cast<std::int64_t>(d.findings.flagged.size()), "network", "networks"), list);
}

// The batch command's name as the audit log holds it: our own words, but the case file may be hostile, so it is
// shown as a plain single-line cell without bidi isolation marks (they would show in copied text).
QString batchName(const QString& via) { return displaytext::cell(via, 80); }

// " Here 3 of the 3 confirmed networks were confirmed in one batch (report --confirm-flagged) without that review:
// their verdict rests on the detector's reasons alone." or nothing, when the analyst reviewed each.
QString batchSentence(const ReportData& d)
{
    std::int64_t batch = 0;
    QString via;
    for (const auto& n : d.findings.networks)
        if (!n.confirmedInBatch.isEmpty()) {
            ++batch;
            via = n.confirmedInBatch;
        }
    const auto total = static_cast<std::int64_t>(d.findings.networks.size());
    if (batch == 0)
        return {};
    if (total == 1)
        return QStringLiteral(" Here the confirmed network was confirmed in a batch (%1) without that review: its verdict rests "
                              "on the detector's reasons alone.").arg(batchName(via));
    return QStringLiteral(" Here %1 confirmed networks were confirmed in one batch (%2) without that review: their verdicts rest "
                          "on the detector's reasons alone.")
        .arg(batch == total ? QStringLiteral("all %1").arg(num(total)) : QStringLiteral("%1 of the %2").arg(num(batch), num(total)),
             batchName(via));
}

// Page 1: what a manager needs, on one page. Findings first, the method in three plain sentences, the strongest
// piece of evidence of each network, and where the rest is. Long parts are cut here and given whole later.
constexpr int kSummaryNetworks = 5;     // rows of the summary table; the rest are in section 3
constexpr int kSummaryChars = 700;      // of the analyst's summary on page 1
constexpr int kSummaryReasonChars = 260; // of each network's strongest reason on page 1

// A reason on page 1: whole when short, else cut after its last clause that fits, with "…" (section 3 has it whole).
// prose() would end it with "[… 44 more characters not shown]", a note meant for prompts.
QString summaryOf(const QString& reason, qsizetype maxChars)
{
    const QString line = displaytext::cell(reason, -1);
    if (line.size() <= maxChars)
        return line;
    // A clause end first; a full stop only where it ends a sentence ("(e.g. “…”" is no place to stop); else a word.
    qsizetype cut = line.lastIndexOf(QStringLiteral("; "), maxChars);
    for (qsizetype stop = line.lastIndexOf(QStringLiteral(". "), maxChars); cut < maxChars / 2 && stop >= maxChars / 2;
         stop = line.lastIndexOf(QStringLiteral(". "), stop - 1))
        if (!line.left(stop).endsWith(QStringLiteral("e.g")) && !line.left(stop).endsWith(QStringLiteral("i.e")))
            cut = stop + 1;
    if (cut < maxChars / 2)
        cut = line.lastIndexOf(QLatin1Char(' '), maxChars);
    return line.left(cut) + QStringLiteral(" …");
}

void managerSummary(PdfCanvas& c, const ReportData& d)
{
    c.paragraph(QStringLiteral("Distillation attack evidence report"), S::Subtitle, 0, QColor(0x3b, 0x6e, 0xa8));
    c.paragraph(d.notes.title.isEmpty() ? QStringLiteral("Untitled case") : value(d.notes.title), S::Title);
    c.paragraph(QStringLiteral("Case %1 · analyst %2 · exported %3")
                    .arg(d.notes.caseId.isEmpty() ? QStringLiteral("(no id)") : value(d.notes.caseId),
                         d.notes.analyst.isEmpty() ? QStringLiteral("(not named)") : value(d.notes.analyst), when(d.exportedAt)),
                S::Caption);
    c.heading(S::H1, QStringLiteral("1. Summary"));
    if (!d.status.complete)
        c.paragraph(QStringLiteral("The analysis is INCOMPLETE: %1 The findings below may change.").arg(prose(d.status.reason, kMaxValueChars)), S::Bold);
    if (!d.run) {
        c.paragraph(QStringLiteral("No detection run has finished: the case has not been analysed, so there are no findings."));
        return;
    }
    const auto networks = static_cast<std::int64_t>(d.findings.networks.size());
    const bool allInBatch = networks > 0 && std::all_of(d.findings.networks.begin(), d.findings.networks.end(),
                                                        [](const ConfirmedNetwork& n) { return !n.confirmedInBatch.isEmpty(); });
    if (networks == 0)
        c.paragraph(QStringLiteral("The analyst has confirmed no distillation network in this case. %1").arg(verdictsSentence(d)));
    else
        c.paragraph(QStringLiteral("%8 %1 of accounts that harvested the model's answers as training data (a "
                                   "distillation attack): %2 sent %3 and received %4 between %5 and %6 (UTC). %7")
                        .arg(networks == 1 ? QStringLiteral("one network") : QStringLiteral("%1 networks").arg(num(networks)),
                             counted(static_cast<std::int64_t>(d.findings.accounts.size()), "account", "accounts"),
                             counted(d.requests, "request", "requests"), counted(d.outputTokens, "output token", "output tokens"),
                             day(d.firstTs), day(d.lastTs), verdictsSentence(d),
                             allInBatch ? QStringLiteral("The detector's flags, confirmed in one batch, name")
                                        : QStringLiteral("The analyst confirmed")));
    if (!d.notes.summary.isEmpty()) {
        c.heading(S::H3, QStringLiteral("The analyst's conclusion"));
        c.paragraph(prose(d.notes.summary, kSummaryChars));
        if (d.notes.summary.size() > kSummaryChars)
            c.paragraph(QStringLiteral("(Cut here; section 2 gives it whole.)"), S::Caption);
    }
    if (networks > 0) {
        std::vector<QStringList> rows;
        for (const auto& n : d.networks) {
            if (static_cast<int>(rows.size()) >= kSummaryNetworks)
                break;
            // The same basis as the sentence above: the network's confirmed accounts, counted now (the detector's own
            // figures are of its run and may differ by requests imported since).
            const auto& cl = n.net.cluster;
            const MemberTotals t = memberTotals(d, cl.id);
            rows.push_back({value(cl.label), num(static_cast<std::int64_t>(n.net.members.size())), num(t.requests), num(t.outputTokens),
                            QStringLiteral("%1 to %2").arg(day(t.firstTs), day(t.lastTs))});
        }
        c.table({QStringLiteral("Confirmed network"), QStringLiteral("Accounts"), QStringLiteral("Requests"), QStringLiteral("Output tokens"),
                 QStringLiteral("Active (UTC)")},
                rows, {0.42, 0.1, 0.12, 0.14, 0.22});
        if (networks > kSummaryNetworks)
            c.paragraph(QStringLiteral("%1 more in section 3.").arg(counted(networks - kSummaryNetworks, "network is", "networks are")), S::Caption);
        // The reasons below count a network's core only; say so where that differs from the table's accounts.
        QStringList cores;
        for (const auto& n : d.networks)
            if (n.coreAccounts > 0 && n.coreAccounts < n.net.cluster.accounts && cores.size() < kSummaryNetworks)
                cores << QStringLiteral("%1: %2 of %3").arg(shortName(n.net.cluster), num(n.coreAccounts), num(n.net.cluster.accounts));
        if (!cores.isEmpty())
            c.paragraph(QStringLiteral("Accounts counts every member. The detector's reasons count a network's core, the accounts it "
                                       "linked first (%1); the others joined later.")
                            .arg(cores.join(QStringLiteral("; "))),
                        S::Caption);
    }
    c.heading(S::H3, QStringLiteral("How they were found"));
    c.paragraph(QStringLiteral(
        "Distillscope compared how every account in the provider's logs used the model (volume, timing, the prompts sent, "
        "where from) with all the other accounts, and linked accounts that share rare things: a payment card, an e-mail "
        "domain, addresses, prompt templates, the same rare questions, work done in step. Linked groups that harvest answers "
        "were flagged; an analyst "
        "reviewed each flag, and only the networks the analyst confirmed are findings. Section 5 explains the method and "
        "Appendix B lists its settings.%1").arg(batchSentence(d)));
    if (networks > 0) {
        c.heading(S::H3, QStringLiteral("The strongest evidence"));
        int shown = 0;
        for (const auto& n : d.networks) {
            if (n.reasons.empty() || shown >= kSummaryNetworks)
                continue;
            c.paragraph(QStringLiteral("• %1: %2").arg(shortName(n.net.cluster), summaryOf(strongestReasons(n, 1).front()->text, kSummaryReasonChars)),
                        S::Body, 6);
            ++shown;
        }
        c.paragraph(QStringLiteral("Section 3 gives each network's reasons, shared infrastructure, timeline and example prompts; "
                                   "Appendix A lists every confirmed account."),
                    S::Caption);
    }
}

// Page 2: the case's particulars and the figures a reader checks, then each network's two strongest reasons under
// the network's name and what its account figures count.
void caseDetails(PdfCanvas& c, const ReportData& d)
{
    c.newPage();
    c.heading(S::H1, QStringLiteral("2. Case and detection"));
    c.keyValues({{QStringLiteral("Case id"), value(d.notes.caseId)},
                 {QStringLiteral("Title"), value(d.notes.title)},
                 {QStringLiteral("Analyst"), value(d.notes.analyst)},
                 {QStringLiteral("Case created"), when(d.createdAt)},
                 {QStringLiteral("Report exported"), when(d.exportedAt)},
                 {QStringLiteral("Produced by"), QStringLiteral("Distillscope %1").arg(QStringLiteral(DS_VERSION))},
                 {QStringLiteral("Analysis status"), d.status.complete ? QStringLiteral("Complete") : QStringLiteral("INCOMPLETE: ") + prose(d.status.reason, kMaxValueChars)}},
                0.3);
    if (d.notes.summary.size() > kSummaryChars) {
        c.heading(S::H3, QStringLiteral("The analyst's conclusion, whole"));
        c.paragraph(prose(d.notes.summary));
    }
    c.heading(S::H3, QStringLiteral("Detection run"));
    if (!d.run) {
        c.paragraph(QStringLiteral("No finished detection run: the case has not been analysed."));
        return;
    }
    c.keyValues({{QStringLiteral("Detection run"), QStringLiteral("#%1, %2, started %3, finished %4").arg(d.run->id).arg(d.run->status, when(d.run->startedAt), when(d.run->finishedAt))},
                 {QStringLiteral("Data analysed"), QStringLiteral("%1 from %2").arg(counted(d.run->requests, "request", "requests"), counted(d.run->accounts, "account", "accounts"))},
                 {QStringLiteral("Flagged by the detector"), QStringLiteral("%1, %2").arg(counted(d.run->flaggedClusters, "network", "networks"), counted(d.run->flaggedAccounts, "account", "accounts"))},
                 {QStringLiteral("Verdicts"), verdictsSentence(d)},
                 {QStringLiteral("Accounts confirmed"), num(static_cast<std::int64_t>(d.findings.accounts.size()))},
                 {QStringLiteral("Requests involved"), QStringLiteral("%1 (of %2 in the case)").arg(num(d.requests), num(d.caseRequests))},
                 {QStringLiteral("Output tokens harvested"), num(d.outputTokens)},
                 {QStringLiteral("Period"), period(d.firstTs, d.lastTs)},
                 {QStringLiteral("Request ids"), d.requestIds.error.isEmpty() ? QStringLiteral("%1 in %2, SHA-256 %3").arg(counted(d.requestIds.rows, "request id", "request ids"), inLine(d.requestIds.path), d.requestIds.sha256) : prose(d.requestIds.error, kMaxValueChars)},
                 {QStringLiteral("Settings"), QStringLiteral("Appendix B lists every setting the run used, in plain words.")}},
                0.3);
    c.heading(S::H2, QStringLiteral("Strongest reasons"));
    if (d.networks.empty())
        c.paragraph(QStringLiteral("No network is confirmed in this case."));
    for (const auto& n : d.networks) {
        // The network named once, with what its account figures count when its reasons count fewer; its reasons below.
        c.paragraph(inLine(n.net.cluster.label), S::Bold);
        if (n.coreAccounts > 0 && n.coreAccounts < n.net.cluster.accounts)
            c.paragraph(QStringLiteral("Its reasons count the %1 of its core; %2 joined it later (%3).")
                            .arg(counted(n.coreAccounts, "account", "accounts"),
                                 counted(n.net.cluster.accounts - n.coreAccounts, "more account", "more accounts"),
                                 n.members.joinedInWords()),
                        S::Caption, 6);
        // Numbered as in the network's section, where every reason is listed in the detector's order.
        for (const DetectionResults::Reason* r : strongestReasons(n, 2))
            c.paragraph(QStringLiteral("%1. %2").arg(r->rank).arg(prose(r->text, kMaxPromptChars)), S::Body, 6);
    }
}

// Partners' indicators that matched accounts of the case, with the bundle each came from (file, SHA-256,
// producer) so that the chain of custody covers them. Bundle and pattern text is the partner's: escaped as values.
void partnerIndicators(PdfCanvas& c, const ReportData& d)
{
    if (d.partnerIndicators.empty())
        return;
    c.heading(S::H2, QStringLiteral("Partner indicators that matched"));
    c.paragraph(QStringLiteral("Indicators shared by other providers as STIX 2.1 bundles and matched against every request and account "
                               "of the case. They are evidence beside the detector's findings, never a finding of their own. The "
                               "validity window is the producer's; hits outside it are listed too."),
                S::Caption);
    QStringList bundles;
    for (const auto& p : d.partnerIndicators) {
        const auto& s = p.indicator;
        if (bundles.contains(s.bundleSha256))
            continue;
        bundles << s.bundleSha256;
        c.heading(S::H3, QStringLiteral("Bundle %1").arg(bundles.size()));
        c.keyValues({{QStringLiteral("File"), value(s.bundleFile)},
                     {QStringLiteral("SHA-256"), s.bundleSha256},
                     {QStringLiteral("Producer"), s.bundleProducer.isEmpty() ? QStringLiteral("(not named in the bundle)") : value(s.bundleProducer)}},
                    0.2);
    }
    std::vector<QStringList> rows;
    for (const auto& p : d.partnerIndicators) {
        const auto& s = p.indicator;
        QString accounts = value(p.accounts.join(QStringLiteral(", ")));
        if (s.accounts > p.accounts.size())
            accounts += QStringLiteral(" and %1 more").arg(num(s.accounts - p.accounts.size()));
        const QString validity = s.validUntil ? period(s.validFrom, *s.validUntil) : QStringLiteral("from ") + when(s.validFrom);
        rows.push_back({QStringLiteral("%1\n%2").arg(value(s.summary), value(s.pattern)),
                        QStringLiteral("Bundle %1\n%2").arg(bundles.indexOf(s.bundleSha256) + 1).arg(s.producer.isEmpty() ? QString() : value(s.producer)).trimmed(),
                        s.confidence ? QString::number(*s.confidence) : QStringLiteral("—"), validity,
                        QStringLiteral("%1: %2").arg(counted(s.accounts, "account", "accounts"), accounts),
                        QStringLiteral("%1, %2").arg(counted(s.requests, "request", "requests"), period(s.firstTs, s.lastTs))});
    }
    c.table({QStringLiteral("Indicator and pattern"), QStringLiteral("From"), QStringLiteral("Confidence"), QStringLiteral("Valid"),
             QStringLiteral("Matched"), QStringLiteral("Seen")},
            rows, {0.25, 0.12, 0.11, 0.14, 0.21, 0.17});
}

void sources(PdfCanvas& c, const ReportData& d)
{
    c.newPage();
    c.heading(S::H1, QStringLiteral("6. Sources"));
    const bool anyRemote = std::any_of(d.sources.begin(), d.sources.end(), [](const auto& s) { return s.remote.has_value(); });
    c.paragraph(QStringLiteral("Every file imported into the case%4. The SHA-256 identifies the exact bytes read; recompute it on the "
                               "original file to verify%5. Records that could not be read were quarantined, not dropped. The case holds "
                               "%1 from %2; %3 quarantined.")
                    .arg(counted(d.caseRequests, "request", "requests"), counted(d.caseAccounts, "account", "accounts"),
                         counted(d.caseQuarantined, "record is", "records are"),
                         anyRemote ? QStringLiteral(" and every table pulled from a database server") : QString(),
                         anyRemote ? QStringLiteral(", or run the recorded query again (its rows are ordered by request id) and "
                                                    "hash the answer")
                                   : QString()));
    int i = 0;
    for (const auto& s : d.sources) {
        if (s.remote) {
            const RemotePullRecord& r = *s.remote;
            c.heading(S::H3, QStringLiteral("Source %1").arg(++i));
            QString range = QStringLiteral("the whole table");
            if (r.sinceMs || r.untilMs)
                range = QStringLiteral("%1 to %2").arg(r.sinceMs ? when(*r.sinceMs) : QStringLiteral("the start"),
                                                       r.untilMs ? when(*r.untilMs) : QStringLiteral("the end"));
            c.keyValues({{QStringLiteral("Table"), value(r.address)},
                         {QStringLiteral("Server"), QStringLiteral("%1, ClickHouse %2").arg(value(r.server), value(r.serverVersion))},
                         {QStringLiteral("Engine"), value(r.tableEngine)},
                         {QStringLiteral("Rows asked for"), range},
                         {QStringLiteral("Query"), prose(r.query)}, // whole: it is what a reader runs again
                         {QStringLiteral("Pulled"), QStringLiteral("%1, %2 queries sent in all").arg(when(r.startedAt), num(r.queriesSent))},
                         {QStringLiteral("Response"), QStringLiteral("%1, %2").arg(counted(r.rows, "row", "rows"), counted(r.bytes, "byte", "bytes"))},
                         {QStringLiteral("SHA-256"), r.sha256},
                         {QStringLiteral("Records"), QStringLiteral("%1 read, %2 new to the case").arg(num(s.records), num(s.inserted))},
                         {QStringLiteral("Quarantined"), num(s.quarantined)},
                         {QStringLiteral("Time range"), period(s.firstTs, s.lastTs)},
                         {QStringLiteral("Imported"), when(s.importedAt)}},
                        0.2);
            continue;
        }
        c.heading(S::H3, QStringLiteral("Source %1").arg(++i));
        std::vector<std::pair<QString, QString>> rows{
            {QStringLiteral("File"), value(s.path)},
            {QStringLiteral("SHA-256"), s.sha256},
            {QStringLiteral("Kind, format"), s.kind + QStringLiteral(", ") + s.format},
            {QStringLiteral("Size"), counted(s.size, "byte", "bytes")},
            {QStringLiteral("Records"), QStringLiteral("%1 read, %2 new to the case").arg(num(s.records), num(s.inserted))},
            {QStringLiteral("Quarantined"), num(s.quarantined)}};
        if (s.conflicts > 0)
            rows.push_back({QStringLiteral("Conflicting copies"),
                            QStringLiteral("%1 (request ids read before with other content; kept apart, listed with both "
                                           "copies in the Quarantine view)")
                                .arg(num(s.conflicts))});
        rows.push_back({QStringLiteral("Time range"), period(s.firstTs, s.lastTs)});
        rows.push_back({QStringLiteral("Imported"), when(s.importedAt)});
        c.keyValues(rows, 0.2);
    }
    partnerIndicators(c, d);
}

void method(PdfCanvas& c, const ReportData& d)
{
    c.newPage();
    c.heading(S::H1, QStringLiteral("5. Method"));
    c.paragraph(QStringLiteral(
        "Distillscope reads the provider's API query logs and looks for distillation attacks: networks of accounts that harvest "
        "model answers as training data. For every account it computes indicators of volume (requests and output tokens), "
        "automation (regular timing, activity around the clock, peak rate against the tier's limit), harvesting (long answers, "
        "answers cut at the token limit), template concentration (share of requests on one near-duplicate prompt template, with "
        "numbers, names and code masked), narrow capability focus, elicitation of step-by-step reasoning or grading, and "
        "infrastructure (IP addresses and networks, user agents, sign-up e-mail domain, account age). Each indicator is compared "
        "with the whole population of accounts in the case (median and 90th percentile)."));
    c.paragraph(QStringLiteral(
        "Accounts are then linked when they share rare values: a payment card, a non-public e-mail domain, a user agent, "
        "an IP address or network, a rare prompt template, creation within a short window, or use of the same template in the "
        "same time windows (lockstep). They are also linked by what they do together: asking the same rare questions (even each "
        "in its own words), starting work in the same wave beyond what chance gives, or one account taking over when another "
        "goes quiet. A value shared by many unrelated accounts (a university's shared address, a popular programming library) "
        "links nothing. Accounts more linked to each other than to the rest form groups (found with the Leiden method, a "
        "standard way of finding such groups); each group is scored and flagged when its score passes a threshold, with its "
        "reasons and the evidence behind them. An analyst then reviewed the flagged networks: only "
        "networks the analyst confirmed appear in this report as findings. The thresholds and weights the run used are listed "
        "in Appendix B.%1").arg(batchSentence(d)));
    if (!d.evidenceGaps.isEmpty()) {
        // Gateway and cloud logs lack some kinds (issue 14): the reader must know what the findings could not rest on.
        c.heading(S::H3, QStringLiteral("Evidence not available"));
        c.paragraph(d.evidenceGaps);
    }
}

// A setting's value as the reader compares it: whole numbers grouped like every other figure (a seed is a
// name, not a quantity), a list as a list, a table as "name: value" pairs rather than JSON.
QString settingValue(const QString& key, const QString& v)
{
    const auto scalar = [](const QJsonValue& j) {
        return j.isDouble() && j.toDouble() == std::floor(j.toDouble()) && std::abs(j.toDouble()) < 1e15
                   ? num(static_cast<std::int64_t>(j.toDouble()))
                   : value(j.toVariant().toString());
    };
    const QJsonDocument doc = QJsonDocument::fromJson(v.toUtf8());
    if (doc.isObject()) {
        QStringList parts;
        const QJsonObject o = doc.object();
        for (auto it = o.begin(); it != o.end(); ++it)
            parts << value(it.key()) + QStringLiteral(": ") + scalar(it.value());
        return parts.join(QStringLiteral("; "));
    }
    if (doc.isArray()) {
        QStringList parts;
        for (const auto& j : doc.array())
            parts << scalar(j);
        return parts.join(QStringLiteral(", "));
    }
    bool isInteger = false;
    const qlonglong n = v.toLongLong(&isInteger);
    return isInteger && key != QLatin1String("seed") ? num(static_cast<std::int64_t>(n)) : value(v);
}

// "Seed of ..." for "seed of ...": a meaning starts a table cell as a sentence would.
QString capitalised(QString s)
{
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

// A setting's meaning in plain words; the settings file's description (its internal names given their labels) for
// a setting without one.
QString plainMeaning(const QString& key, const QString& documented)
{
    const QString plain = settinglabels::meaningFor(key);
    return plain.isEmpty() ? capitalised(settinglabels::withLabels(documented)) : plain;
}

// Settings last: they matter to a second expert checking the method, not to a reader of the findings.
void settingsAppendix(PdfCanvas& c, const ReportData& d)
{
    c.newPage();
    c.heading(S::H1, QStringLiteral("Appendix B: detector settings"));
    if (d.settings.empty()) {
        c.paragraph(QStringLiteral("No detection run has finished, so no settings are recorded."));
        return;
    }
    c.paragraph(QStringLiteral("Every setting detection run #%1 used, with what it controls. Shares are fractions (0.25 is a quarter); "
                               "scores run from 0 to 1 unless stated.").arg(d.run->id),
                S::Caption);
    std::vector<QStringList> rows;
    for (std::size_t i = 0; i < d.settings.size(); ++i)
        rows.push_back({settinglabels::labelFor(d.settings[i].first), settingValue(d.settings[i].first, d.settings[i].second),
                        plainMeaning(d.settings[i].first, d.settingMeanings[i])});
    c.table({QStringLiteral("Setting"), QStringLiteral("Value"), QStringLiteral("Meaning")}, rows, {0.32, 0.18, 0.5});
}

void pinItem(PdfCanvas& c, const ReportData& d, const PinnedItem& p)
{
    c.heading(S::H3, QStringLiteral("Pinned %1: %2").arg(pinKindLabel(p.kind).toLower(), inLine(p.title)));
    c.paragraph(QStringLiteral("Pinned %1.").arg(when(p.createdAt)), S::Caption);
    if (!p.note.isEmpty())
        c.keyValues({{QStringLiteral("Analyst's note"), prose(p.note)}}, 0.2);
    switch (p.kind) {
    case PinKind::Chart: {
        QPicture pic;
        if (!p.picture.isEmpty())
            pic.setData(p.picture.constData(), static_cast<uint>(p.picture.size()));
        if (!pic.isNull() && pic.boundingRect().width() > 0) {
            const QRect b = pic.boundingRect();
            const double h = std::min(320.0, c.width() * b.height() / std::max(1, b.width()));
            c.drawing(h, [&](QPainter& painter, const QRectF& r) {
                // QPicture::play() already scales by device dpi / picture dpi; fit on top of that.
                const double dpi = static_cast<double>(painter.device()->logicalDpiX()) / pic.logicalDpiX();
                const double s = std::min(r.width() / b.width(), r.height() / b.height()) / dpi;
                painter.setClipRect(r); // a picture that draws outside its bounds stays in its box
                painter.translate(r.topLeft());
                painter.scale(s, s);
                painter.translate(-b.topLeft());
                painter.drawPicture(0, 0, pic);
            });
        } else {
            c.paragraph(QStringLiteral("(The chart was pinned without a vector drawing.)"), S::Caption);
        }
        if (p.payload.contains(QStringLiteral("description")))
            c.paragraph(prose(p.payload.value(QStringLiteral("description")).toString(), kMaxValueChars), S::Caption);
        break;
    }
    case PinKind::RequestSet: {
        const auto ids = p.payload.value(QStringLiteral("request_ids")).toArray();
        const std::int64_t pinned = ids.size();
        const std::int64_t shown = d.pinExamples.count(p.id) ? static_cast<std::int64_t>(d.pinExamples.at(p.id).size()) : 0;
        c.paragraph(shown == 0           ? QStringLiteral("%1 pinned; none is in the case any more.").arg(counted(pinned, "request", "requests"))
                    : shown >= pinned    ? QStringLiteral("%1 pinned, shown in full.").arg(counted(pinned, "request", "requests"))
                    : shown == 1         ? QStringLiteral("%1 pinned; the first is shown in full.").arg(counted(pinned, "request", "requests"))
                                         : QStringLiteral("%1 pinned; the first %2 are shown in full.").arg(counted(pinned, "request", "requests"), num(shown)));
        if (d.pinExamples.count(p.id))
            for (const auto& e : d.pinExamples.at(p.id)) {
                c.paragraph(QStringLiteral("Request %1, account %2, %3").arg(inLine(e.requestId), inLine(e.accountId), when(e.ts)), S::Small);
                promptQuote(c, e.prompt);
            }
        break;
    }
    case PinKind::Template: {
        c.keyValues({{QStringLiteral("Fingerprint"), value(p.payload.value(QStringLiteral("fingerprint")).toString())},
                     {QStringLiteral("Skeleton"), prose(p.payload.value(QStringLiteral("skeleton")).toString(), kMaxPromptChars)},
                     {QStringLiteral("Use"), QStringLiteral("%1, %2").arg(counted(p.payload.value(QStringLiteral("requests")).toInteger(), "request", "requests"), counted(p.payload.value(QStringLiteral("accounts")).toInteger(), "account", "accounts"))}},
                    0.2, S::MonoSmall);
        for (const auto& e : p.payload.value(QStringLiteral("examples")).toArray())
            promptQuote(c, e.toString());
        break;
    }
    case PinKind::SharedValue: {
        QStringList accounts;
        for (const auto& a : p.payload.value(QStringLiteral("accounts")).toArray())
            accounts << inLine(a.toString());
        c.keyValues({{QStringLiteral("Kind"), value(p.payload.value(QStringLiteral("value_kind")).toString())},
                     {QStringLiteral("Value"), value(p.payload.value(QStringLiteral("value")).toString())},
                     {QStringLiteral("Accounts (%1)").arg(num(accounts.size())), accounts.join(QStringLiteral(", "))}},
                    0.2);
        break;
    }
    case PinKind::IndicatorTable: {
        QStringList header;
        for (const auto& h : p.payload.value(QStringLiteral("columns")).toArray())
            header << value(h.toString());
        std::vector<QStringList> rows;
        for (const auto& r : p.payload.value(QStringLiteral("rows")).toArray()) {
            QStringList row;
            for (const auto& v : r.toArray())
                row << value(v.isString() ? v.toString() : v.toVariant().toString());
            rows.push_back(row);
        }
        if (!header.isEmpty())
            c.table(header, rows, std::vector<double>(static_cast<std::size_t>(header.size()), 1.0));
        break;
    }
    }
}

// Why a network can be drawn in pieces: only its strongest links are kept, and much of what ties it (hand-offs,
// shared templates, lockstep) is not a drawn link. Empty when the drawing is one piece.
QString piecesSentence(const charts::Graph& g)
{
    std::vector<int> parent(g.nodes.size());
    for (std::size_t i = 0; i < parent.size(); ++i)
        parent[i] = static_cast<int>(i);
    const auto find = [&](int x) {
        while (parent[static_cast<std::size_t>(x)] != x)
            x = parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
        return x;
    };
    for (const auto& e : g.edges)
        parent[static_cast<std::size_t>(find(e.a))] = find(e.b);
    std::int64_t pieces = 0;
    for (std::size_t i = 0; i < parent.size(); ++i)
        pieces += find(static_cast<int>(i)) == static_cast<int>(i);
    if (pieces <= 1)
        return {};
    return QStringLiteral(" The drawing falls into %1: only the strongest links are kept and drawn, and much of what ties "
                          "the network together (hand-offs, shared templates, work in step) is not a drawn link; the reasons "
                          "above give it.")
        .arg(counted(pieces, "piece", "pieces"));
}

void network(PdfCanvas& c, const ReportData& d, const ReportData::Network& n, int index)
{
    c.newPage();
    const auto& cl = n.net.cluster;
    const MemberTotals totals = memberTotals(d, cl.id); // every member, as page 1 counts; the reasons below count the core
    c.heading(S::H1, QStringLiteral("3.%1 Network %2").arg(index).arg(inLine(cl.label)));
    c.keyValues({{QStringLiteral("Verdict"), n.net.confirmedInBatch.isEmpty()
                                                 ? QStringLiteral("Confirmed by the analyst")
                                                 : QStringLiteral("Confirmed in one batch (%1), without a review of this network")
                                                       .arg(batchName(n.net.confirmedInBatch))},
                 {QStringLiteral("Detector score"), numbertext::decimal(cl.score, 3)},
                 {QStringLiteral("Accounts"), accountsInWords(n)},
                 {QStringLiteral("Requests, output tokens"), QStringLiteral("%1, %2").arg(counted(totals.requests, "request", "requests"), counted(totals.outputTokens, "output token", "output tokens"))},
                 {QStringLiteral("Active"), period(totals.firstTs, totals.lastTs)}});
    c.heading(S::H2, QStringLiteral("Why it was flagged"));
    for (const auto& r : n.reasons)
        c.paragraph(QStringLiteral("%1. %2").arg(r.rank).arg(prose(r.text, kMaxPromptChars)), S::Body, 6);

    c.heading(S::H2, QStringLiteral("Timeline"));
    c.drawing(170, [&](QPainter& p, const QRectF& r) { charts::drawTimeline(p, r, n.timeline, c.font(S::Small), c.pt(1)); });
    c.heading(S::H2, QStringLiteral("Link graph"));
    c.paragraph(QStringLiteral("Accounts (dots) and the strongest links between them found by the detector; line colour gives the kind of "
                               "link, thickness its weight. %1 of %2 shown.%3")
                    .arg(num(n.graph.nodes.size()), counted(static_cast<std::int64_t>(n.net.members.size()), "account", "accounts"),
                         piecesSentence(n.graph)),
                S::Caption);
    c.drawing(300, [&](QPainter& p, const QRectF& r) { charts::drawLinkGraph(p, r, n.graph, c.font(S::Caption), c.pt(1)); });

    c.heading(S::H2, QStringLiteral("Shared infrastructure"));
    std::vector<QStringList> infra;
    std::map<ValueKind, int> perKind;
    int omitted = 0;
    for (const auto& v : n.infrastructure.values) {
        if (++perKind[v.kind] > 15) {
            ++omitted;
            continue;
        }
        infra.push_back({valueKindLabel(v.kind), value(v.displayValue()), num(static_cast<std::int64_t>(v.memberAccounts)), num(static_cast<std::int64_t>(v.populationAccounts)),
                         v.isIndicator()     ? QStringLiteral("yes")
                         : v.publicService ? QStringLiteral("no (webmail)")
                                           : QStringLiteral("no")});
    }
    c.paragraph(QStringLiteral("Values used by two or more accounts of the network, with how many accounts of the whole case use them. "
                               "\"Indicator\" marks values specific to this network: used mostly by it and by almost no other "
                               "account. They are exported in the STIX bundle. A public webmail domain is never one: anybody "
                               "can sign up with it."), S::Caption);
    c.table({QStringLiteral("Kind"), QStringLiteral("Value"), QStringLiteral("Network accounts"), QStringLiteral("All accounts"), QStringLiteral("Indicator")},
            infra, {0.16, 0.5, 0.12, 0.12, 0.1}, {1});
    if (omitted)
        c.paragraph(QStringLiteral("%1 (beyond the 15 most used of each kind) not listed; the STIX export carries every indicator.").arg(counted(omitted, "further shared value is", "further shared values are")), S::Caption);

    c.heading(S::H2, QStringLiteral("Indicators against the population"));
    std::vector<QStringList> rows;
    for (const auto& i : n.indicators)
        rows.push_back({i.label, dec(i.networkMedian), dec(i.populationMedian), dec(i.populationP90),
                        QStringLiteral("%1 of %2").arg(num(static_cast<std::int64_t>(i.membersAboveP90)), num(static_cast<std::int64_t>(i.membersKnown)))});
    if (rows.empty())
        c.paragraph(QStringLiteral("The detection run recorded no indicator baselines."), S::Caption);
    else
        c.table({QStringLiteral("Indicator"), QStringLiteral("Network median"), QStringLiteral("Population median"), QStringLiteral("Population 90th pct."),
             QStringLiteral("Accounts above 90th pct.")},
            rows, {0.36, 0.16, 0.16, 0.16, 0.16});

    c.heading(S::H2, QStringLiteral("Prompt templates and examples"));
    c.paragraph(QStringLiteral("Prompts are reproduced as logged (they are attacker-supplied text), except that control and "
                               "direction characters are shown as marks such as ‹ESC› or ‹RLO› and a prompt longer than %1 "
                               "characters is cut.")
                    .arg(num(kMaxPromptChars)),
                S::Caption);
    auto groupsWithExamples = [&](const std::vector<ReportData::Template>& groups) {
        for (const auto& t : groups) {
            c.paragraph(prose(t.title, kMaxPromptChars), S::Bold);
            for (const auto& e : t.examples) {
                c.paragraph(QStringLiteral("Request %1, account %2, %3").arg(inLine(e.requestId), inLine(e.accountId), when(e.ts)), S::Small);
                promptQuote(c, e.prompt);
            }
        }
    };
    // Accounts that each word their own prompts share tasks or openings, not templates: that first, in words.
    if (!n.sharedHeading.isEmpty()) {
        c.heading(S::H3, n.sharedHeading);
        c.paragraph(prose(n.sharedText, kMaxPromptChars));
        groupsWithExamples(n.sharedGroups);
        c.heading(S::H3, QStringLiteral("Most used templates"));
    }
    groupsWithExamples(n.templates);
    c.heading(S::H2, QStringLiteral("Accounts"));
    std::vector<QStringList> acc;
    for (const auto& a : n.net.members)
        acc.push_back({value(a.accountId), numbertext::decimal(a.score, 2), num(a.requests), num(a.outputTokens), period(a.firstTs, a.lastTs)});
    c.table({QStringLiteral("Account"), QStringLiteral("Score"), QStringLiteral("Requests"), QStringLiteral("Output tokens"), QStringLiteral("Active")},
            acc, {0.26, 0.08, 0.12, 0.14, 0.4}, {0});
    if (!n.pins.empty()) {
        c.heading(S::H2, QStringLiteral("Pinned evidence"));
        for (const auto& p : n.pins)
            pinItem(c, d, p);
    }
}

void notes(PdfCanvas& c, const ReportData& d)
{
    c.newPage();
    c.heading(S::H1, QStringLiteral("4. Analyst notes"));
    c.paragraph(d.notes.freeText.isEmpty() ? QStringLiteral("The analyst left no notes.") : prose(d.notes.freeText));
    if (!d.otherPins.empty()) {
        c.heading(S::H2, QStringLiteral("Other pinned evidence"));
        for (const auto& p : d.otherPins)
            pinItem(c, d, p);
    }
}

// A nested detail in words: an object as "name value, name value" (a carried verdict: "from N-1, to N-3, old state
// confirmed, accounts 58"), a list one item a line, each item after a dash. Never JSON punctuation.
QString plainJson(const QJsonValue& v)
{
    if (v.isObject()) {
        QStringList parts;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            parts << QString(it.key()).replace(QLatin1Char('_'), QLatin1Char(' ')) + QLatin1Char(' ') + plainJson(it.value());
        return parts.join(QStringLiteral(", "));
    }
    if (v.isArray()) {
        QStringList items;
        for (const QJsonValue& item : v.toArray())
            items << QStringLiteral("\n– ") + plainJson(item);
        return items.join(QString());
    }
    if (v.isBool())
        return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    if (v.isDouble() && v.toDouble() == std::floor(v.toDouble()) && std::abs(v.toDouble()) < 1e15)
        return num(static_cast<std::int64_t>(v.toDouble()));
    return v.toVariant().toString();
}

// An audit entry's details as "name: value" lines a reader can scan, not JSON: "confirmed accounts: 42",
// times ("…_at" in ms) as dates, yes/no for flags; nested values stay compact JSON.
QString auditDetails(const QJsonObject& details)
{
    QStringList lines;
    for (auto it = details.begin(); it != details.end(); ++it) {
        const QJsonValue v = it.value();
        const bool isTime = it.key().endsWith(QLatin1String("_at")) && v.isDouble() && v.toDouble() > 1e11;
        QString text;
        if (isTime)
            text = when(static_cast<std::int64_t>(v.toDouble()));
        else if (v.isBool())
            text = v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
        else if (v.isDouble() && v.toDouble() == std::floor(v.toDouble()) && std::abs(v.toDouble()) < 1e15)
            text = num(static_cast<std::int64_t>(v.toDouble()));
        else if (v.isArray() || v.isObject())
            text = plainJson(v);
        else
            text = v.toVariant().toString();
        lines << QString(it.key()).replace(QLatin1Char('_'), QLatin1Char(' ')) + QStringLiteral(": ") + text;
    }
    return lines.join(QLatin1Char('\n'));
}

void auditLog(PdfCanvas& c, const ReportData& d)
{
    c.newPage();
    c.heading(S::H1, QStringLiteral("7. Audit log"));
    c.paragraph(QStringLiteral("Every analyst action and analysis run recorded in the case, in the order recorded. The log is append-only: "
                               "the case database refuses changes to it."), S::Caption);
    std::vector<QStringList> rows;
    for (const auto& e : d.audit) {
        QJsonObject details = e.details;
        // Settings are printed in Appendix B; here they would bury the log.
        if (details.contains(QStringLiteral("settings")))
            details.insert(QStringLiteral("settings"), QStringLiteral("(see Appendix B)"));
        rows.push_back({num(e.id), when(e.at), value(e.user), value(e.action), value(e.subject),
                        prose(auditDetails(details), kMaxPromptChars)});
    }
    c.table({QStringLiteral("#"), QStringLiteral("Time"), QStringLiteral("User"), QStringLiteral("Action"), QStringLiteral("Subject"), QStringLiteral("Details")},
            rows, {0.05, 0.15, 0.09, 0.13, 0.18, 0.4});
}

void appendix(PdfCanvas& c, const ReportData& d)
{
    c.newPage();
    c.heading(S::H1, QStringLiteral("Appendix A: confirmed accounts"));
    const auto accounts = static_cast<std::int64_t>(d.findings.accounts.size());
    c.paragraph(QStringLiteral("%1. %2 in %3 (SHA-256 %4).")
                    .arg(accounts == 1 ? QStringLiteral("The one confirmed account")
                                       : QStringLiteral("All %1 confirmed accounts").arg(num(accounts)),
                         accounts == 1 ? QStringLiteral("Its %1 is").arg(counted(d.requestIds.rows, "request id", "request ids"))
                                       : QStringLiteral("Their %1 are").arg(counted(d.requestIds.rows, "request id", "request ids")),
                         inLine(d.requestIds.path), d.requestIds.sha256));
    std::vector<QStringList> rows;
    for (const auto& a : d.findings.accounts)
        rows.push_back({value(a.accountId), a.network.isEmpty() ? QStringLiteral("(confirmed alone)") : value(a.network), num(a.requests), num(a.outputTokens),
                        period(a.firstTs, a.lastTs)});
    c.table({QStringLiteral("Account"), QStringLiteral("Network"), QStringLiteral("Requests"), QStringLiteral("Output tokens"), QStringLiteral("Active")},
            rows, {0.22, 0.26, 0.1, 0.12, 0.3}, {0});
}

} // namespace

void renderReport(PdfCanvas& c, const ReportData& d)
{
    // Findings first (a lawyer or a manager reads the summary and the networks); how they were found,
    // where the data came from and the record of the work follow; tables for checking come last.
    managerSummary(c, d);
    caseDetails(c, d);
    int i = 0;
    for (const auto& n : d.networks)
        network(c, d, n, ++i);
    if (d.networks.empty()) {
        c.newPage();
        c.heading(S::H1, QStringLiteral("3. Confirmed networks"));
        c.paragraph(QStringLiteral("No network has been confirmed by the analyst."));
    }
    notes(c, d);
    method(c, d);
    sources(c, d);
    auditLog(c, d);
    appendix(c, d);
    settingsAppendix(c, d);
}

} // namespace ds
