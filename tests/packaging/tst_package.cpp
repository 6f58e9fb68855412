#include "TestSupport.h"

#include "core/Sqlite.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

// The Debian package, built from this build folder by `cpack -G DEB` and unpacked with
// `dpkg-deb -x` into a scratch root: control fields, the programs running from the
// root, and the desktop integration files. Test thread only.
class TestPackage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void controlFieldsAreComputed();
    void binariesNeedNothingFromTheBuildTree();
    void cliRunsFromThePackage();
    void guiHelpAndVersion();
    void desktopEntryIsValid();
    void metainfoIsValidAndVersioned();
    void metadataAgreesEverywhere();
    void iconsInEveryHicolorSize();
    void mimeTypeRecognisesCaseFiles();

private:
    ds::test::CliResult run(const QString& program, const QStringList& args, int timeoutMs = 120000) const;
    QString rootPath(const QString& relative) const { return m_root + QLatin1Char('/') + relative; }

    ds::test::ScratchDir m_scratch;
    QString m_deb;
    QString m_root;
};

ds::test::CliResult TestPackage::run(const QString& program, const QStringList& args, int timeoutMs) const
{
    QProcess p;
    p.start(program, args);
    ds::test::CliResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out: " + program.toUtf8();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestPackage::initTestCase()
{
    // The package is built here rather than trusted from an earlier `cpack` run, so it matches this build.
    const QString pkgDir = m_scratch.file(QStringLiteral("pkg"));
    const auto cpack = run(QStringLiteral(DS_CPACK_COMMAND),
                           {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
                            QStringLiteral(DS_BUILD_DIR "/CPackConfig.cmake"), QStringLiteral("-B"), pkgDir},
                           240000);
    QVERIFY2(cpack.exitCode == 0, (cpack.out + cpack.err).constData());
    const QStringList debs = QDir(pkgDir).entryList({QStringLiteral("*.deb")}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    m_deb = pkgDir + QLatin1Char('/') + debs.first();
    QCOMPARE(debs.first(), QStringLiteral("distillscope_%1_amd64.deb").arg(QStringLiteral(DS_VERSION)));

    m_root = m_scratch.file(QStringLiteral("root"));
    const auto x = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root});
    QVERIFY2(x.exitCode == 0, (x.err).constData());
}

void TestPackage::controlFieldsAreComputed()
{
    const auto f = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, QStringLiteral("Package"),
                                                    QStringLiteral("Version"), QStringLiteral("Depends")});
    QVERIFY2(f.exitCode == 0, (f.err).constData());
    const QString fields = QString::fromUtf8(f.out);
    QVERIFY2(fields.contains(QLatin1String("Package: distillscope\n")), qPrintable(fields));
    QVERIFY2(fields.contains(QStringLiteral("Version: %1\n").arg(QStringLiteral(DS_VERSION))), qPrintable(fields));
    // dpkg-shlibdeps writes versioned dependencies on the libraries the binaries really link.
    QVERIFY2(fields.contains(QRegularExpression(QStringLiteral("libc6 \\(>= [0-9.]+\\)"))), qPrintable(fields));
    QVERIFY2(fields.contains(QLatin1String("libqt6core6")), qPrintable(fields));
    QVERIFY2(fields.contains(QLatin1String("libsqlite3-0")), qPrintable(fields));
    if (DS_GUI_BUILT)
        QVERIFY2(fields.contains(QLatin1String("libqt6widgets6")), qPrintable(fields));
}

void TestPackage::binariesNeedNothingFromTheBuildTree()
{
    QStringList programs{rootPath(QStringLiteral("usr/bin/distillscope-cli"))};
    if (DS_GUI_BUILT)
        programs << rootPath(QStringLiteral("usr/bin/distillscope"));
    for (const QString& program : programs) {
        QVERIFY2(QFileInfo(program).isExecutable(), qPrintable(program));
        const auto ldd = run(QStringLiteral("ldd"), {program});
        QVERIFY2(ldd.exitCode == 0, (ldd.err).constData());
        QVERIFY2(!ldd.out.contains("not found"), (ldd.out).constData());
        QVERIFY2(!ldd.out.contains(DS_BUILD_DIR), (ldd.out).constData());
        QVERIFY2(!ldd.out.contains(DS_SOURCE_DIR), (ldd.out).constData());
    }
}

void TestPackage::cliRunsFromThePackage()
{
    const QString cli = rootPath(QStringLiteral("usr/bin/distillscope-cli"));
    const auto version = run(cli, {QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QByteArray("distillscope-cli " DS_VERSION "\n"));

    const QString sim = m_scratch.file(QStringLiteral("sim"));
    const auto simulate = run(cli, {QStringLiteral("simulate"), QStringLiteral("--scenario"), QStringLiteral("tiny"),
                                    QStringLiteral("--out"), sim});
    QVERIFY2(simulate.exitCode == 0, (simulate.err).constData());
    const QString json = m_scratch.file(QStringLiteral("scan.json"));
    const auto scan = run(cli, {QStringLiteral("scan"), QStringLiteral("--db"), m_scratch.file(QStringLiteral("tiny.dscase")),
                                QStringLiteral("--json"), json, sim + QStringLiteral("/requests.jsonl.gz"),
                                sim + QStringLiteral("/accounts.csv")});
    QVERIFY2(scan.exitCode == 0, (scan.err).constData());
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject results = QJsonDocument::fromJson(f.readAll()).object();
    QVERIFY(!results.value(QLatin1String("accounts")).toArray().isEmpty());
    // The tiny scenario holds a distillation campaign: the installed detector must find it.
    QVERIFY(!results.value(QLatin1String("clusters")).toArray().isEmpty());
    QVERIFY(ds::test::queryInt(m_scratch.file(QStringLiteral("tiny.dscase")), "SELECT count(*) FROM source_file") == 2);
}

void TestPackage::guiHelpAndVersion()
{
    if (!DS_GUI_BUILT)
        QSKIP("built without the GUI (DS_BUILD_GUI=OFF)");
    const QString gui = rootPath(QStringLiteral("usr/bin/distillscope"));
    const auto version = run(gui, {QStringLiteral("--version")});
    QVERIFY2(version.exitCode == 0, (version.err).constData());
    QVERIFY2(version.out.contains(" " DS_VERSION), (version.out).constData());
    const auto help = run(gui, {QStringLiteral("--help")});
    QVERIFY2(help.exitCode == 0, (help.err).constData());
    for (const char* option : {"--case", "--theme", "--help", "--version", "FILES"})
        QVERIFY2(help.out.contains(option), option);
}

void TestPackage::desktopEntryIsValid()
{
    if (!DS_GUI_BUILT)
        QSKIP("built without the GUI (DS_BUILD_GUI=OFF)");
    const QString desktop = rootPath(QStringLiteral("usr/share/applications/" DS_APP_ID ".desktop"));
    QVERIFY2(QFile::exists(desktop), qPrintable(desktop));
    const auto v = run(QStringLiteral("desktop-file-validate"), {desktop});
    QVERIFY2(v.exitCode == 0, (v.out + v.err).constData());
    QVERIFY2(!v.out.contains("error"), (v.out).constData());
    QFile f(desktop);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray entry = f.readAll();
    // The name the app gives QGuiApplication::setDesktopFileName, the icon installed below, the case MIME type.
    QVERIFY(entry.contains("\nIcon=" DS_APP_ID "\n"));
    QVERIFY(entry.contains("\nMimeType=application/x-distillscope-case;\n"));
    QVERIFY(entry.contains("\nExec=distillscope "));
}

void TestPackage::metainfoIsValidAndVersioned()
{
    if (!DS_GUI_BUILT)
        QSKIP("built without the GUI (DS_BUILD_GUI=OFF)");
    const QString metainfo = rootPath(QStringLiteral("usr/share/metainfo/" DS_APP_ID ".metainfo.xml"));
    QVERIFY2(QFile::exists(metainfo), qPrintable(metainfo));
    const auto v = run(QStringLiteral("appstreamcli"), {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo});
    QVERIFY2(v.exitCode == 0, (v.out + v.err).constData());
    QFile f(metainfo);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("<release version=\"" DS_VERSION "\""));
}

namespace {

// The installed metainfo's fields by element name ("url:homepage" for a typed URL, "release" for
// the first release's version); the first occurrence of each, untranslated.
QHash<QString, QString> metainfoFields(const QString& path)
{
    QHash<QString, QString> fields;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fields;
    QXmlStreamReader xml(&f);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QXmlStreamAttributes attrs = xml.attributes();
        if (attrs.hasAttribute(QLatin1String("xml:lang")))
            continue;
        QString key = xml.name().toString();
        if (key == QLatin1String("release")) {
            fields.insert(QStringLiteral("release"), attrs.value(QLatin1String("version")).toString());
            continue;
        }
        if (key == QLatin1String("url"))
            key += QLatin1Char(':') + attrs.value(QLatin1String("type")).toString();
        if (key == QLatin1String("component") || key == QLatin1String("description") || key == QLatin1String("provides")
            || key == QLatin1String("releases"))
            continue;
        const QString text = xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
        if (!fields.contains(key))
            fields.insert(key, text);
    }
    return xml.hasError() ? QHash<QString, QString>{} : fields;
}

// The [Desktop Entry] group of a desktop file as key -> value.
QHash<QString, QString> desktopFields(const QString& path)
{
    QHash<QString, QString> fields;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fields;
    bool inEntry = false;
    for (const QByteArray& raw : f.readAll().split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.startsWith(QLatin1Char('[')))
            inEntry = line == QLatin1String("[Desktop Entry]");
        else if (inEntry && line.contains(QLatin1Char('=')) && !line.startsWith(QLatin1Char('#')))
            fields.insert(line.section(QLatin1Char('='), 0, 0), line.section(QLatin1Char('='), 1));
    }
    return fields;
}

} // namespace

void TestPackage::metadataAgreesEverywhere()
{
    if (!DS_GUI_BUILT)
        QSKIP("built without the GUI (DS_BUILD_GUI=OFF)");
    // Generated from one set of CMake variables (packaging/CMakeLists.txt); this catches a
    // hand-written value creeping back into one of them.
    const auto meta = metainfoFields(rootPath(QStringLiteral("usr/share/metainfo/" DS_APP_ID ".metainfo.xml")));
    const auto desktop = desktopFields(rootPath(QStringLiteral("usr/share/applications/" DS_APP_ID ".desktop")));
    QVERIFY2(!meta.isEmpty(), "the metainfo does not parse");
    QVERIFY(!desktop.isEmpty());
    const auto f = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, QStringLiteral("Homepage"),
                                                    QStringLiteral("Maintainer"), QStringLiteral("Description")});
    QVERIFY2(f.exitCode == 0, (f.err).constData());
    QHash<QString, QString> control;
    for (const QByteArray& line : f.out.split('\n')) {
        const qsizetype colon = line.indexOf(": ");
        if (colon > 0 && !line.startsWith(' '))
            control.insert(QString::fromUtf8(line.left(colon)), QString::fromUtf8(line.mid(colon + 2)));
    }

    QCOMPARE(meta.value(QStringLiteral("id")), QStringLiteral(DS_APP_ID));
    QCOMPARE(meta.value(QStringLiteral("launchable")), QStringLiteral(DS_APP_ID ".desktop"));
    QCOMPARE(meta.value(QStringLiteral("release")), QStringLiteral(DS_VERSION));
    QCOMPARE(meta.value(QStringLiteral("mediatype")) + QLatin1Char(';'), desktop.value(QStringLiteral("MimeType")));
    QCOMPARE(meta.value(QStringLiteral("name")), desktop.value(QStringLiteral("Name")));
    QCOMPARE(meta.value(QStringLiteral("summary")), desktop.value(QStringLiteral("Comment")));
    QCOMPARE(meta.value(QStringLiteral("summary")), control.value(QStringLiteral("Description")));
    QCOMPARE(meta.value(QStringLiteral("url:homepage")), control.value(QStringLiteral("Homepage")));
    QVERIFY2(control.value(QStringLiteral("Maintainer")).startsWith(meta.value(QStringLiteral("developer_name")) + QLatin1String(" <")),
             qPrintable(control.value(QStringLiteral("Maintainer"))));
    QVERIFY(!meta.value(QStringLiteral("project_license")).isEmpty());
    QVERIFY(!meta.value(QStringLiteral("developer_name")).isEmpty());
}

void TestPackage::iconsInEveryHicolorSize()
{
    if (!DS_GUI_BUILT)
        QSKIP("built without the GUI (DS_BUILD_GUI=OFF)");
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256, 512}) {
        const QString png = rootPath(QStringLiteral("usr/share/icons/hicolor/%1x%1/apps/" DS_APP_ID ".png").arg(size));
        const QImage image(png);
        QVERIFY2(!image.isNull(), qPrintable(png));
        QCOMPARE(image.size(), QSize(size, size));
    }
    QFile svg(rootPath(QStringLiteral("usr/share/icons/hicolor/scalable/apps/" DS_APP_ID ".svg")));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
}

void TestPackage::mimeTypeRecognisesCaseFiles()
{
    const QString xml = rootPath(QStringLiteral("usr/share/mime/packages/" DS_APP_ID ".xml"));
    QVERIFY2(QFile::exists(xml), qPrintable(xml));

    // As installed: the package's file beside the system's, compiled into one database (what dpkg's
    // trigger does in /usr/share/mime), and the only one the XDG variables name. One database also
    // lets Qt weigh our magic against the SQLite one; Qt 6.4 lets the parent type win across databases.
    const QString share = m_scratch.file(QStringLiteral("share"));
    const QString packages = share + QStringLiteral("/mime/packages");
    QVERIFY(QDir().mkpath(packages));
    const QFileInfoList system =
        QDir(QStringLiteral("/usr/share/mime/packages")).entryInfoList({QStringLiteral("*.xml")}, QDir::Files);
    QVERIFY2(!system.isEmpty(), "shared-mime-info's freedesktop.org.xml is missing");
    for (const QFileInfo& f : system)
        QVERIFY(QFile::copy(f.filePath(), packages + QLatin1Char('/') + f.fileName()));
    QVERIFY(QFile::copy(xml, packages + QStringLiteral("/" DS_APP_ID ".xml")));
    qputenv("XDG_DATA_DIRS", share.toUtf8());
    qputenv("XDG_DATA_HOME", m_scratch.file(QStringLiteral("empty-home")).toUtf8());
    const auto update = run(QStringLiteral("update-mime-database"), {share + QStringLiteral("/mime")});
    QVERIFY2(update.exitCode == 0, (update.out + update.err).constData());
    // A malformed rule is only reported (on stdout), with exit code 0.
    QVERIFY2(update.out.isEmpty() && update.err.isEmpty(), (update.out + update.err).constData());

    QMimeDatabase mime;
    const QString caseType = QStringLiteral("application/x-distillscope-case");
    const QString sqliteType = QStringLiteral("application/vnd.sqlite3");
    QVERIFY2(mime.mimeTypeForName(caseType).isValid(), "the case MIME type is not in the database");
    QVERIFY(mime.mimeTypeForName(caseType).inherits(sqliteType));
    QCOMPARE(mime.mimeTypeForFile(QStringLiteral("x.dscase"), QMimeDatabase::MatchExtension).name(), caseType);

    // By content: a case written by the packaged CLI, renamed, is a case; a plain SQLite file, or one
    // whose application_id is another program's, is not; nor is a file that merely starts with the
    // SQLite header (the id must be at offset 68, in the header).
    const QString caseFile = m_scratch.file(QStringLiteral("tiny.dscase"));
    QVERIFY2(QFile::exists(caseFile), "cliRunsFromThePackage makes the case");
    const QString renamed = m_scratch.file(QStringLiteral("evidence.bin"));
    QVERIFY(QFile::copy(caseFile, renamed));
    const QString plain = m_scratch.file(QStringLiteral("plain.db"));
    const QString foreign = m_scratch.file(QStringLiteral("foreign.db"));
    {
        ds::SqliteDb db(plain, ds::SqliteDb::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);");
        ds::SqliteDb other(foreign, ds::SqliteDb::Mode::ReadWriteCreate);
        other.exec("PRAGMA application_id = 1146307409; CREATE TABLE t(x);"); // "DSCQ"
    }
    QByteArray shifted(100, '\0');
    shifted.replace(0, 15, "SQLite format 3");
    shifted.replace(70, 4, "DSCP"); // the id two bytes late
    const QString lookalike = m_scratch.write(QStringLiteral("lookalike.bin"), shifted);

    auto gioType = [this](const QString& file) {
        const auto info = run(QStringLiteral("gio"), {QStringLiteral("info"), QStringLiteral("-a"),
                                                     QStringLiteral("standard::content-type"), file});
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("standard::content-type: (\\S+)")).match(QString::fromUtf8(info.out));
        return m.hasMatch() ? m.captured(1) : QString::fromUtf8(info.err);
    };
    const QList<std::pair<QString, QString>> expected{
        {renamed, caseType}, {plain, sqliteType}, {foreign, sqliteType}, {lookalike, sqliteType}};
    for (const auto& [file, type] : expected) {
        QCOMPARE(mime.mimeTypeForFile(file, QMimeDatabase::MatchContent).name(), type);
        QCOMPARE(mime.mimeTypeForFile(file).name(), type);
        QCOMPARE(gioType(file), type); // GLib's file managers, from the same compiled database
    }
}

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
