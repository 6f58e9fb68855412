#include "../case/CaseFixture.h"

#include "case/CaseEditor.h"
#include "case/CaseFindings.h"
#include "case/ReviewState.h"
#include "core/CaseDatabase.h"
#include "detect/DetectSettings.h"
#include "report/PdfCanvas.h"
#include "report/SettingLabels.h"
#include "detect/NetworkName.h"
#include "text/TemplateName.h"
#include "workspace/DetectionTables.h"
#include "workspace/EvidenceData.h"

#include <QDir>
#include <QLocale>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QPdfWriter>
#include <QPicture>
#include <QProcess>
#include <QRegularExpression>
#include <QCryptographicHash>
#include <QStandardPaths>
#include <QTest>

using namespace ds;

// The evidence report, end to end through the CLI: sections, provenance, accounts, literal attacker text, pages, fonts.
class TestReport : public QObject
{
    Q_OBJECT

private:
    static QString run(const QString& program, const QStringList& args)
    {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(60000))
            return {};
        return QString::fromUtf8(p.readAllStandardOutput());
    }
    static QString squeeze(QString s) { return s.remove(QRegularExpression(QStringLiteral("\\s+"))); }

    static void checkFonts(const QString& pdf)
    {
        const QStringList lines = run(QStringLiteral("pdffonts"), {pdf}).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(lines.size() >= 3); // header, rule, at least one font
        for (const QString& l : lines.mid(2)) {
            const QStringList f = l.simplified().split(QLatin1Char(' '));
            QVERIFY2(f.size() >= 5, qPrintable(l));
            // emb sub uni: embedded and with a Unicode map, so text extracts.
            QVERIFY2(l.contains(QStringLiteral(" yes ")), qPrintable(l));
            QCOMPARE(f[f.size() - 3], QStringLiteral("yes")); // uni
        }
    }

    // Wording a reader would trip over: internal setting keys, a noun that disagrees with its number, two ways
    // of grouping thousands.
    static void checkReadable(const QString& text)
    {
        const QStringList keys = DetectSettings().toJson().keys() + QStringList{QStringLiteral("tierRateLimits"), QStringLiteral("publicEmailDomains")};
        QVERIFY(keys.size() > 50);
        for (const QString& key : keys) {
            if (key == key.toLower()) // "seed", "threads": ordinary words
                continue;
            const QRegularExpression word(QStringLiteral("\\b%1\\b").arg(key));
            QVERIFY2(!word.match(text).hasMatch(), qPrintable(key));
        }
        const QRegularExpression singularAsPlural(
            QStringLiteral("(?<![\\d.,])1 (requests|accounts|networks|request ids|records|members|bytes|output tokens)\\b|the first 1 are"));
        const auto bad = singularAsPlural.match(text);
        QVERIFY2(!bad.hasMatch(), qPrintable(text.mid(std::max<qsizetype>(0, bad.capturedStart() - 60), 120)));
        QVERIFY2(!text.contains(QRegularExpression(QStringLiteral("\\d\\x{202F}\\d\\d\\d"))), "thousands grouped by a space");
    }

    static int pageCount(const QString& pdf)
    {
        const QRegularExpression re(QStringLiteral("Pages:\\s+(\\d+)"));
        const auto m = re.match(run(QStringLiteral("pdfinfo"), {pdf}));
        return m.hasMatch() ? m.captured(1).toInt() : -1;
    }

    // A template has one name wherever it appears (issue 16): the network list's label, the Templates tab, the
    // report and the STIX bundle all name it by its fixed words and the versioned fingerprint the export shares.
    // Page 1 is the manager's summary, whole on that page: the findings in a sentence with the verdicts as the case
    // holds them, the method in plain words, where the rest is (issue 16, finding 7).
    static void checkPageOne(const QString& text, const QString& db)
    {
        const QString first = text.section(QLatin1Char('\f'), 0, 0);
        const QString flat = first.simplified();
        QVERIFY2(flat.contains(QStringLiteral("1. Summary")), qPrintable(first));
        QVERIFY2(text.section(QLatin1Char('\f'), 1, 1).contains(QStringLiteral("2. Case and detection")), "section 2 starts page 2");
        SqliteDb conn = CaseDatabase::openForReading(db);
        const CaseFindings f = loadFindings(conn);
        int confirmed = 0, falsePositive = 0, open = 0;
        for (ReviewState st : f.flaggedStates)
            (st == ReviewState::Confirmed ? confirmed : st == ReviewState::FalsePositive ? falsePositive : open)++;
        QCOMPARE(confirmed, int(f.networks.size()));
        // Verdicts a batch command gave are never presented as the analyst's review.
        const auto batch = std::count_if(f.networks.begin(), f.networks.end(), [](const ConfirmedNetwork& n) { return !n.confirmedInBatch.isEmpty(); });
        QString verdicts = QStringLiteral("The detector flagged %1 network%2; the analyst confirmed %3%4")
                               .arg(f.flagged.size()).arg(f.flagged.size() == 1 ? "" : "s").arg(confirmed)
                               .arg(batch == 0 ? QString() : batch == confirmed ? QStringLiteral(" in one batch, without reviewing each") : QStringLiteral(" ("));
        QVERIFY2(flat.contains(verdicts), qPrintable(verdicts + QStringLiteral("\n") + flat));
        if (!f.networks.empty()) {
            const QString subject = batch == confirmed && batch > 0 ? QStringLiteral("The detector's flags, confirmed in one batch, name")
                                                                    : QStringLiteral("The analyst confirmed");
            QVERIFY2(flat.contains(QStringLiteral("%1 %2 network").arg(subject, f.networks.size() == 1 ? QStringLiteral("one") : QString::number(f.networks.size()))),
                     qPrintable(flat));
            QCOMPARE(flat.contains(QStringLiteral("without that review")), batch > 0);
            // Every confirmed network (up to the table's five) is on page 1 by its number.
            for (std::size_t i = 0; i < std::min<std::size_t>(f.networks.size(), 5); ++i)
                QVERIFY2(flat.contains(QStringLiteral("N-%1").arg(f.networks[i].cluster.id)), qPrintable(flat));
        }
        QVERIFY(flat.contains(QStringLiteral("How they were found")));
        QVERIFY(flat.contains(QStringLiteral("Appendix B lists its settings")));
        // A long strongest reason is cut at a clause for page 1, not with a prompt's note or inside "(e.g. …".
        QVERIFY2(!flat.contains(QStringLiteral("characters not shown")), qPrintable(flat));
        QVERIFY2(!flat.contains(QStringLiteral("(e.g …")) && !flat.contains(QStringLiteral("(e.g. …")), qPrintable(flat));
    }

    // "150 accounts" beside "137 of the 142 accounts" (issue 16): the Strongest reasons name each network once and
    // say what its account figures count when the reasons count its core only.
    static void checkStrongestReasons(const QString& text, const QString& db)
    {
        const QString flat = text.simplified();
        const qsizetype from = flat.indexOf(QStringLiteral("Strongest reasons"));
        const qsizetype to = flat.indexOf(QStringLiteral("3.1 Network"));
        QVERIFY(from > 0 && to > from);
        const QString section = flat.mid(from, to - from);
        SqliteDb conn = CaseDatabase::openForReading(db);
        const CaseFindings f = loadFindings(conn);
        int explained = 0;
        for (const ConfirmedNetwork& n : f.networks) {
            const QString head = n.cluster.label.section(QStringLiteral("; template"), 0, 0); // pdftotext may wrap inside the words
            QCOMPARE(int(section.count(head + QStringLiteral(" "))) + int(section.count(head + QStringLiteral(";"))), 1);
            SqliteStatement hydra(conn, "SELECT evidence_json FROM reason WHERE run = ?1 AND subject_kind = 'cluster' AND subject = ?2 AND key = 'hydra'");
            hydra.bind(1, *f.run);
            hydra.bind(2, n.cluster.id);
            QVERIFY(hydra.step());
            const qint64 core = QJsonDocument::fromJson(hydra.columnText(0).toUtf8()).object().value(QStringLiteral("accounts")).toInteger();
            if (core > 0 && core < n.cluster.accounts) {
                const QString says = QStringLiteral("Its reasons count the %1 accounts of its core; %2 more account")
                                         .arg(QLocale(QLocale::English).toString(core))
                                         .arg(QLocale(QLocale::English).toString(n.cluster.accounts - core));
                QVERIFY2(section.contains(says), qPrintable(says + QStringLiteral("\n") + section));
                ++explained;
            }
        }
        QVERIFY2(explained > 0, "no network of the case has accounts beyond its core: the check proves nothing");
    }

    // Appendix B reads for a lawyer (issue 16, finding 7): every setting has a meaning in plain words, none of the
    // method's vocabulary (the settings file's descriptions said "seed of igraph's random generator", "Hamming distance
    // from a family centroid", "share of answers stopped by max_tokens", "inter-arrival CV").
    static void checkPlainSettings(const QString& text)
    {
        const qsizetype from = text.indexOf(QStringLiteral("Appendix B: detector settings"));
        QVERIFY(from > 0);
        const QString appendix = text.mid(from).simplified();
        for (const char* jargon : {"igraph", "Leiden", "SimHash", "Hamming", "max_tokens", "centroid", "entropy (bits)", "modularity",
                                   "inter-arrival", " CV ", "ln(", "bitwise", "standard error", "0..1", "harvest-class", "/24",
                                   "hash", "sketch", "cluster score", "facet"})
            QVERIFY2(!appendix.contains(QLatin1String(jargon), Qt::CaseInsensitive), jargon);
        // Every setting's meaning is one of the plain ones: the appendix holds each of them.
        const QJsonObject settings = DetectSettings().toJson();
        int checked = 0;
        for (auto it = settings.begin(); it != settings.end(); ++it) {
            const QString plain = settinglabels::meaningFor(it.key());
            QVERIFY2(!plain.isEmpty(), qPrintable(it.key()));
            // pdftotext wraps table cells: compare without white space, the first words only.
            QVERIFY2(squeeze(appendix).contains(squeeze(plain.left(40))), qPrintable(it.key() + QLatin1Char(' ') + plain));
            ++checked;
        }
        QVERIFY(checked > 100);
    }

    // One template identity (issue 16, finding 4): a template is its fingerprint, and the network's label, the
    // Templates tab, the report and the STIX bundle all show one name for one fingerprint; a label names the tab's
    // first template. (Before, the label named the detector's system prompt or opening while the tab grouped by
    // opening words and the report by a cited request's fingerprint: three names for one network's template.)
    static void checkOneTemplateIdentity(const QString& db, const QString& pdfText, const QString& bundlePath)
    {
        // pdftotext drops or keeps a hyphen where a line breaks inside "ds-skeleton-v1": compare without hyphens.
        const auto bare = [](const QString& t) { return squeeze(t).remove(QLatin1Char('-')); };
        const QString flat = bare(pdfText);
        SqliteDb conn = CaseDatabase::openForReading(db);
        const CaseFindings f = loadFindings(conn);
        QVERIFY(f.run);
        QHash<QString, QString> wordsOf; // fingerprint -> words, as the Templates tab names it
        int named = 0;
        for (const ConfirmedNetwork& n : f.networks) {
            // Named by what it does, with plural agreement.
            QVERIFY2(n.cluster.label.contains(QStringLiteral(" harvest, ")), qPrintable(n.cluster.label));
            QVERIFY2(!n.cluster.label.contains(QRegularExpression(QStringLiteral("\\b1 accounts\\b"))), qPrintable(n.cluster.label));
            QVERIFY2(!n.cluster.label.contains(QRegularExpression(QStringLiteral("template [0-9a-f]{8}"))), qPrintable(n.cluster.label));
            // The Templates tab of the network, as the Evidence view loads it.
            const EvidenceData e = EvidenceData::load(conn, *f.run, n.cluster.id, detectiontables::clusterMembers(conn, *f.run, n.cluster.id));
            for (const auto& t : e.templates) {
                QVERIFY2(t.name.fingerprint == QStringLiteral("ds-skeleton-v1:") + t.hash, qPrintable(t.hash + QLatin1Char(' ') + t.name.fingerprint));
                QVERIFY2(t.name.words.startsWith(QStringLiteral("“")), qPrintable(t.hash));
                QVERIFY2(wordsOf.value(t.name.fingerprint, t.name.words) == t.name.words, qPrintable(t.name.fingerprint));
                wordsOf.insert(t.name.fingerprint, t.name.words);
            }
            QVERIFY(!e.templates.isEmpty());
            const auto& main = e.templates.first();
            // The report lists the tab's first template with the same words and fingerprint.
            QVERIFY2(flat.contains(bare(main.name.withFingerprint())), qPrintable(main.name.withFingerprint()));
            // The label names the tab's first template, or none.
            const qsizetype at = n.cluster.label.indexOf(QStringLiteral("; template "));
            if (at >= 0) {
                QCOMPARE(n.cluster.label.mid(at + 11), main.name.words);
                ++named;
            } else {
                QVERIFY2(!networkname::templateNamesNetwork(main.members, static_cast<std::int64_t>(e.memberCount)), qPrintable(n.cluster.label));
            }
            qInfo("network %lld: %s; tab's first template %s, %lld requests from %d accounts", static_cast<long long>(n.cluster.id),
                  qPrintable(n.cluster.label), qPrintable(main.name.withFingerprint()), static_cast<long long>(main.requests), main.members);
        }
        QVERIFY2(named > 0, "no confirmed network is named by a template: the check proves nothing");
        // The STIX bundle: each template indicator is named by the words and the very fingerprint of its pattern, and
        // by the tab's words where the tab lists it.
        const auto exp = test::runCli({QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--stix"), bundlePath});
        QVERIFY2(exp.exitCode == 0, exp.err.constData());
        QFile bundle(bundlePath);
        QVERIFY(bundle.open(QIODevice::ReadOnly));
        int templates = 0, inTab = 0;
        const QRegularExpression fingerprint(QStringLiteral("ds-skeleton-v1:[0-9a-f]{16}"));
        for (const QJsonValue& o : QJsonDocument::fromJson(bundle.readAll()).object().value(QStringLiteral("objects")).toArray()) {
            const QString pattern = o.toObject().value(QStringLiteral("pattern")).toString();
            if (!pattern.contains(QStringLiteral("x_prompt_template_fingerprint")))
                continue;
            ++templates;
            const QString nameText = o.toObject().value(QStringLiteral("name")).toString();
            QVERIFY2(nameText.contains(QStringLiteral("“")), qPrintable(nameText));
            const QString fp = fingerprint.match(pattern).captured(0);
            QCOMPARE(fingerprint.match(nameText).captured(0), fp);
            if (wordsOf.contains(fp)) {
                QVERIFY2(nameText.contains(wordsOf.value(fp) + QStringLiteral(" (") + fp + QLatin1Char(')')), qPrintable(nameText));
                ++inTab;
            }
        }
        QVERIFY2(inTab > 0, "no template of the Templates tab is in the STIX bundle: the check proves nothing");
        qInfo("one template identity: %d labels named by a template, %d template indicators in the bundle, %d of them in the tab",
              named, templates, inTab);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QFAIL("poppler-utils (pdftotext, pdfinfo, pdffonts) is required: scripts/debian-packages.txt");
    }

    void reportFromSimulatedCase()
    {
        test::ScratchDir dir;
        const QString sim = dir.file(QStringLiteral("sim"));
        auto r = test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), sim, QStringLiteral("--scenario"), QStringLiteral("small"),
                               QStringLiteral("--seed"), QStringLiteral("11")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // An attacker account of the simulated campaign sends one request whose prompt is markup.
        QFile truth(sim + QStringLiteral("/truth.csv"));
        QVERIFY(truth.open(QIODevice::ReadOnly));
        QString attacker;
        while (!truth.atEnd() && attacker.isEmpty()) {
            const QList<QByteArray> f = truth.readLine().trimmed().split(',');
            if (f.size() >= 3 && f[1] == "attacker" && f[2].startsWith("hydra-coding"))
                attacker = QString::fromUtf8(f[0]);
        }
        QVERIFY(!attacker.isEmpty());
        const QString markup = QStringLiteral("Please grade: <b>not bold</b><img src=x> and think step by step.");
        const QString injected = dir.write(QStringLiteral("injected.jsonl"),
                                           test::requestJson(QStringLiteral("req_markup_1"), attacker, 1770120000000LL, markup) + '\n');
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        r = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, sim + QStringLiteral("/requests.jsonl.gz"),
                          sim + QStringLiteral("/accounts.csv"), injected});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), db});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        {
            CaseEditor editor(db);
            editor.setNote(NoteField::CaseId, QStringLiteral("TS-2026-0042"));
            editor.setNote(NoteField::Title, QStringLiteral("Hydra coding network"));
            editor.setNote(NoteField::FreeText, QStringLiteral("Notes with <i>markup</i> kept literally."));
            PinnedItem pin;
            pin.kind = PinKind::RequestSet;
            pin.title = QStringLiteral("The markup request");
            pin.note = QStringLiteral("Prompt shown exactly as logged.");
            pin.payload = {{QStringLiteral("request_ids"), QJsonArray{QStringLiteral("req_markup_1")}}};
            editor.addPin(pin);
        }
        const QString pdf = dir.file(QStringLiteral("report.pdf"));
        r = test::runCli({QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--out"), pdf, QStringLiteral("--confirm-flagged")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile::remove(test::outputDir() + QStringLiteral("/report-small.pdf"));
        QFile::copy(pdf, test::outputDir() + QStringLiteral("/report-small.pdf"));

        const QString text = run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        const QString flat = squeeze(text);
        // Findings first, then how they were found, then the tables for checking; settings last.
        qsizetype previous = -1;
        for (const char* section : {"1. Summary", "2. Case and detection", "3.1 Network", "4. Analyst notes", "5. Method", "6. Sources",
                                    "7. Audit log", "Appendix A: confirmed accounts", "Appendix B: detector settings"}) {
            const qsizetype at = text.indexOf(QLatin1String(section));
            QVERIFY2(at > previous, section);
            previous = at;
        }
        const QString firstPage = text.section(QLatin1Char('\f'), 0, 0);
        QVERIFY(!firstPage.contains(QStringLiteral(" = ")));
        QVERIFY(text.contains(QStringLiteral("Minimum core accounts in a network")));
        QVERIFY(text.contains(QStringLiteral("1 request pinned, shown in full.")));
        checkReadable(text);
        checkPlainSettings(text);
        checkPageOne(text, db);
        checkStrongestReasons(text, db);
        // Every network was confirmed by --confirm-flagged: each network page says so, none claims a review.
        QVERIFY(!text.contains(QStringLiteral("Confirmed by the analyst")));
        QVERIFY2(flat.contains(squeeze(QStringLiteral("Confirmed in one batch (report --confirm-flagged), without a review of this network"))),
                 qPrintable(flat.left(6000)));
        QVERIFY(text.contains(markup));
        QVERIFY(text.contains(QStringLiteral("Notes with <i>markup</i> kept literally.")));
        SqliteDb conn = CaseDatabase::openForReading(db);
        SqliteStatement st(conn, "SELECT sha256 FROM source_file");
        int sources = 0;
        while (st.step()) {
            ++sources;
            QVERIFY2(flat.contains(st.columnText(0)), qPrintable(st.columnText(0)));
        }
        QCOMPARE(sources, 3);
        const CaseFindings f = loadFindings(conn);
        QVERIFY(f.accounts.size() >= 20);
        for (const auto& a : f.accounts)
            QVERIFY2(flat.contains(a.accountId), qPrintable(a.accountId));
        // The request-id export is named with its hash.
        const QString rids = dir.file(QStringLiteral("report.request-ids.csv"));
        QVERIFY(QFile::exists(rids));
        QFile ridFile(rids);
        QVERIFY(ridFile.open(QIODevice::ReadOnly));
        const QString ridSha = QString::fromLatin1(QCryptographicHash::hash(ridFile.readAll(), QCryptographicHash::Sha256).toHex());
        QVERIFY(flat.contains(ridSha));

        const int pages = pageCount(pdf);
        QVERIFY(pages >= 8 && pages < 200);
        const QStringList perPage = text.split(QLatin1Char('\f'), Qt::SkipEmptyParts);
        QCOMPARE(perPage.size(), pages);
        for (int i = 0; i < pages; ++i) {
            QVERIFY2(perPage[i].contains(QStringLiteral("Page %1 of %2").arg(i + 1).arg(pages)), qPrintable(QString::number(i + 1)));
            QVERIFY(perPage[i].contains(QStringLiteral("Case TS-2026-0042")));
            QVERIFY(!perPage[i].contains(QStringLiteral("PRELIMINARY")));
        }
        checkFonts(pdf);
        checkOneTemplateIdentity(db, text, dir.file(QStringLiteral("case.stix.json")));

        // Detection again: the verdicts carry to the new run, and page 1 of a new report states them as the case holds
        // them (issue 16, finding 1: "Networks confirmed 0 of 3" under "Confirmed").
        r = test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), db});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString again = dir.file(QStringLiteral("again.pdf"));
        r = test::runCli({QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--out"), again});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString againText = run(QStringLiteral("pdftotext"), {again, QStringLiteral("-")});
        checkPageOne(againText, db);
        // The audit entry of the carry reads as words, not JSON ("verdicts: [{"accounts":150,…").
        QVERIFY2(againText.contains(QStringLiteral("carry")), "the carry is audited");
        QVERIFY2(!againText.contains(QStringLiteral("{\"")) && !againText.contains(QStringLiteral("\":")), "JSON in the report");
        {
            SqliteDb conn2 = CaseDatabase::openForReading(db);
            const CaseFindings after = loadFindings(conn2);
            QVERIFY(after.run && *after.run > 1);
            QVERIFY2(!after.networks.empty(), "the confirmed networks carried to the new run");
        }
    }

    // A careful operation (the adversarial scenario: a wrapper of its own per account, tasks shared two or three ways,
    // accounts starting in waves) read as a lawyer would (issue 16): page 1's strongest evidence is what flagged it,
    // not a reason that weighs nothing ("4 of the 89 accounts send the same prompt ending"); each network's page says
    // what its accounts' prompts share (tasks, with the Templates tab's words) before its templates, and who joined
    // its core in the words its reasons use (a pool member is not a "take-over account").
    void reportOnACarefulOperation()
    {
        test::ScratchDir dir;
        const QString sim = dir.file(QStringLiteral("sim"));
        auto r = test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), sim, QStringLiteral("--scenario"), QStringLiteral("adversarial"),
                               QStringLiteral("--seed"), QStringLiteral("3")},
                              300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        r = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, sim + QStringLiteral("/requests.jsonl.gz"), sim + QStringLiteral("/accounts.csv")},
                         300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), db}, 300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString pdf = dir.file(QStringLiteral("careful.pdf"));
        r = test::runCli({QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("--out"), pdf, QStringLiteral("--confirm-flagged")}, 300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile::remove(test::outputDir() + QStringLiteral("/report-adversarial.pdf"));
        QFile::copy(pdf, test::outputDir() + QStringLiteral("/report-adversarial.pdf"));
        const QString text = run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        checkReadable(text);
        checkPlainSettings(text);
        checkPageOne(text, db);

        SqliteDb conn = CaseDatabase::openForReading(db);
        const CaseFindings f = loadFindings(conn);
        QVERIFY(!f.networks.empty());
        const QString first = text.section(QLatin1Char('\f'), 0, 0).simplified();
        const QString evidence = first.section(QStringLiteral("The strongest evidence"), 1);
        int pools = 0;
        for (const ConfirmedNetwork& n : f.networks) {
            // The reason page 1 cites for this network is the heaviest of what ties its accounts together (the reasons
            // the detector lists before the size sentence), not one that weighs nothing.
            SqliteStatement top(conn, "SELECT text FROM reason r WHERE run = ?1 AND subject_kind = 'cluster' AND subject = ?2 AND "
                                      "weight > 0 AND rank < (SELECT rank FROM reason WHERE run = r.run AND subject_kind = 'cluster' AND "
                                      "subject = r.subject AND key = 'hydra') ORDER BY weight DESC, rank LIMIT 1");
            top.bind(1, *f.run);
            top.bind(2, n.cluster.id);
            QVERIFY(top.step());
            const QString cited = top.columnText(0).simplified().left(30);
            QVERIFY2(evidence.contains(QStringLiteral("N-%1: %2").arg(n.cluster.id).arg(cited)), qPrintable(cited + QLatin1Char('\n') + evidence));
            // The network's page: what the prompts share, before the templates.
            const qsizetype index = &n - f.networks.data() + 1;
            const qsizetype from = text.indexOf(QStringLiteral("3.%1 Network").arg(index));
            qsizetype to = text.indexOf(QStringLiteral("3.%1 Network").arg(index + 1), from);
            if (to < 0)
                to = text.indexOf(QStringLiteral("4. Analyst notes"), from);
            QVERIFY(from > 0 && to > from);
            const QString page = text.mid(from, to - from);
            const qsizetype tasks = page.indexOf(QStringLiteral("Tasks the accounts share"));
            QVERIFY2(tasks > 0, qPrintable(n.cluster.label));
            QVERIFY(page.indexOf(QStringLiteral("Most used templates")) > tasks);
            QVERIFY2(page.simplified().contains(QStringLiteral("A group is one task")), qPrintable(n.cluster.label));
            pools += page.simplified().contains(QStringLiteral("too small to judge alone that asked its tasks"));
            QVERIFY2(!page.simplified().contains(QStringLiteral("short-lived or take-over accounts on the same work")), qPrintable(n.cluster.label));
        }
        QVERIFY2(pools > 0, "no network has a pool member: the wording check proves nothing");
    }

    void incompleteAnalysisIsOnEveryPage()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir, false);
        const QString pdf = dir.file(QStringLiteral("prelim.pdf"));
        const auto r = test::runCli({QStringLiteral("report"), QStringLiteral("--db"), c.dbPath, QStringLiteral("--out"), pdf});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile::remove(test::outputDir() + QStringLiteral("/report-preliminary.pdf"));
        QFile::copy(pdf, test::outputDir() + QStringLiteral("/report-preliminary.pdf"));
        const QStringList perPage = run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")}).split(QLatin1Char('\f'), Qt::SkipEmptyParts);
        QVERIFY(perPage.size() >= 5);
        QCOMPARE(perPage.size(), pageCount(pdf));
        for (const QString& page : perPage)
            QVERIFY(page.contains(QStringLiteral("PRELIMINARY: exported before the analysis finished.")));
    }

    void handCaseWithPinsAndLongText()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        const QString longWord = QString(600, QLatin1Char('Z')) + QStringLiteral("END");
        {
            CaseEditor editor(c.dbPath);
            editor.setClusterStates({{c.run, c.cluster}}, ReviewState::Confirmed);
            QPicture picture;
            QPainter p(&picture);
            p.drawRect(0, 0, 400, 200);
            p.drawText(QPointF(20, 40), QStringLiteral("pinned chart label"));
            p.end();
            PinnedItem chart;
            chart.kind = PinKind::Chart;
            chart.title = QStringLiteral("Requests per minute");
            chart.note = QStringLiteral("A note that is long. ") + longWord;
            chart.run = c.run;
            chart.cluster = c.cluster;
            chart.picture = QByteArray(picture.data(), static_cast<qsizetype>(picture.size()));
            editor.addPin(chart);
            PinnedItem templ;
            templ.kind = PinKind::Template;
            templ.title = QStringLiteral("Grading template");
            templ.payload = {{QStringLiteral("fingerprint"), QStringLiteral("00ff00ff00ff00ff")},
                             {QStringLiteral("skeleton"), QStringLiteral("Grade this answer: <N>")},
                             {QStringLiteral("examples"), QJsonArray{c.markupPrompt}}};
            editor.addPin(templ);
        }
        const QString pdf = dir.file(QStringLiteral("hand.pdf"));
        const auto r = test::runCli({QStringLiteral("report"), QStringLiteral("--db"), c.dbPath, QStringLiteral("--out"), pdf});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile::remove(test::outputDir() + QStringLiteral("/report-hand.pdf"));
        QFile::copy(pdf, test::outputDir() + QStringLiteral("/report-hand.pdf"));
        const QString text = run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        QVERIFY(text.contains(QStringLiteral("pinned chart label"))); // the QPicture replays as vector text
        QVERIFY(text.contains(c.markupPrompt));
        QVERIFY(squeeze(text).contains(longWord)); // wrapped, nothing cut off
        for (const QString& a : c.attackers)
            QVERIFY(text.contains(a));
        QVERIFY(text.contains(QStringLiteral("hydra-client/1.0 (x86_64)")));
        // Confirmed by the analyst in the editor, one network at a time: no batch is mentioned.
        QVERIFY(text.contains(QStringLiteral("Confirmed by the analyst")));
        QVERIFY(!text.simplified().contains(QStringLiteral("batch")));
        checkPageOne(text, c.dbPath);
        checkReadable(text);
        checkFonts(pdf);
    }

    // Partners' indicators that matched (issue 18): the bundle's file, SHA-256 and producer, the pattern and the
    // accounts, with the partner's text shown literally and its direction controls made visible.
    void partnerIndicatorsWithTheirBundle()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        {
            CaseEditor editor(c.dbPath);
            editor.setClusterStates({{c.run, c.cluster}}, ReviewState::Confirmed);
        }
        const QString producer = QStringLiteral("Acme <b>AI</b> \u202Egnp.exe");
        const QByteArray bundle = QJsonDocument(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("bundle")},
            {QStringLiteral("id"), QStringLiteral("bundle--11111111-2222-4333-8444-555555555555")},
            {QStringLiteral("objects"),
             QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("identity")}, {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                                    {QStringLiteral("id"), QStringLiteral("identity--aaaaaaaa-0000-4000-8000-000000000001")},
                                    {QStringLiteral("name"), producer}},
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("indicator")}, {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                                    {QStringLiteral("id"), QStringLiteral("indicator--00000000-0000-4000-8000-000000000001")},
                                    {QStringLiteral("created_by_ref"), QStringLiteral("identity--aaaaaaaa-0000-4000-8000-000000000001")},
                                    {QStringLiteral("pattern"), QStringLiteral("[ipv4-addr:value ISSUBSET '203.0.113.0/24']")},
                                    {QStringLiteral("pattern_type"), QStringLiteral("stix")},
                                    {QStringLiteral("valid_from"), QStringLiteral("2026-01-01T00:00:00Z")},
                                    {QStringLiteral("confidence"), 80}}}}}).toJson();
        const QString bundlePath = dir.write(QStringLiteral("partner.json"), bundle);
        const auto imp = test::runCli({QStringLiteral("indicators"), QStringLiteral("--db"), c.dbPath, QStringLiteral("--import"), bundlePath});
        QVERIFY2(imp.exitCode == 0, imp.err.constData());
        QVERIFY(test::queryInt(c.dbPath, "SELECT count(*) FROM partner_indicator_hit") > 0);
        {
            // Hits left behind (an import's re-evaluation cancelled): the report makes them current before it lists them.
            SqliteDb db = CaseDatabase::openForWriting(c.dbPath);
            db.exec("DELETE FROM partner_indicator_hit; UPDATE meta SET value = 'before' WHERE key = 'partner_hits_evaluated_against'");
        }
        const QString pdf = dir.file(QStringLiteral("partner.pdf"));
        const auto r = test::runCli({QStringLiteral("report"), QStringLiteral("--db"), c.dbPath, QStringLiteral("--out"), pdf});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile::remove(test::outputDir() + QStringLiteral("/report-partner-indicators.pdf"));
        QFile::copy(pdf, test::outputDir() + QStringLiteral("/report-partner-indicators.pdf"));
        const QString text = run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        QVERIFY(text.contains(QStringLiteral("Partner indicators that matched")));
        QVERIFY(text.contains(QString::fromLatin1(QCryptographicHash::hash(bundle, QCryptographicHash::Sha256).toHex())));
        QVERIFY(text.contains(QStringLiteral("partner.json")));
        QVERIFY(squeeze(text).contains(squeeze(QStringLiteral("[ipv4-addr:value ISSUBSET '203.0.113.0/24']"))));
        QVERIFY(text.contains(QStringLiteral("Acme <b>AI</b>")));              // markup printed, not interpreted
        QVERIFY(!text.contains(QChar(0x202E)));                             // the override cannot reorder the page
        QVERIFY(text.contains(QStringLiteral("\u2039RLO\u203A")));
        for (const QString& a : c.attackers)
            QVERIFY(text.contains(a));
        checkReadable(text);
    }

    // Keep-with-next: a heading near the page foot goes to the next page with the drawing, table or
    // paragraph it introduces, never left as the last line of a page.
    void headingIsNeverLastOnAPage()
    {
        test::ScratchDir dir;
        const QString pdf = dir.file(QStringLiteral("keep.pdf"));
        {
            QPdfWriter writer(pdf);
            writer.setResolution(600);
            writer.setPageSize(QPageSize(QPageSize::A4));
            writer.setPageMargins(QMarginsF(0, 0, 0, 0));
            PdfCanvas c(writer, {});
            // Room for a heading and its caption, not for the chart under them.
            while (c.remaining() > 110)
                c.paragraph(QStringLiteral("Filler line."));
            c.heading(PdfCanvas::Style::H2, QStringLiteral("Timeline heading"));
            c.paragraph(QStringLiteral("A caption introducing the chart."), PdfCanvas::Style::Caption);
            c.drawing(170, [](QPainter& p, const QRectF& r) { p.drawRect(r); });
            // Room for a heading and more, not for the table's header and its first (tall) row.
            while (c.remaining() > 100)
                c.paragraph(QStringLiteral("Filler line."));
            c.heading(PdfCanvas::Style::H2, QStringLiteral("Accounts heading"));
            c.table({QStringLiteral("Account"), QStringLiteral("Requests")},
                    {{QStringLiteral("a\nb\nc\nd\ne\nf\ng\nh\ni\nj"), QStringLiteral("1")}, {QStringLiteral("g"), QStringLiteral("2")}}, {0.5, 0.5});
            c.finish();
        }
        const QStringList pages = run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")}).split(QLatin1Char('\f'));
        QVERIFY(pages.size() >= 3);
        QVERIFY(!pages[0].contains(QStringLiteral("Timeline heading")));
        QVERIFY(!pages[0].contains(QStringLiteral("A caption introducing the chart.")));
        QVERIFY(pages[1].contains(QStringLiteral("Timeline heading")));
        QVERIFY(!pages[1].contains(QStringLiteral("Accounts heading")));
        QVERIFY(pages[2].contains(QStringLiteral("Accounts heading")));
    }
};

QTEST_MAIN(TestReport)
#include "tst_report.moc"
