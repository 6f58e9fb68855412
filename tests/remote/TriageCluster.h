#pragma once

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

// The ClickHouse servers a triage test reads, and loading simulated requests into them. Test threads only.
namespace ds::test {

struct TriageServers
{
    QList<int> httpPorts; // one per shard; the first holds the Distributed table when there are two
    QString error;        // set when no servers are known
};

// From DS_CLICKHOUSE_CLUSTER_ENV (the cluster fixture's cluster.env: HTTP1=, HTTP2= lines) or DS_TRIAGE_SERVERS
// ("port[,port]", a server of one's own).
TriageServers triageServers();

// Creates `database`.requests on the servers (canonical columns, the timestamp as text, tools an array) and loads
// the JSON lines of `jsonlPath` into it, each account's rows on one shard; with two servers `database`.requests is
// a Distributed table over `database`.requests_local on both. Returns the empty string or what failed.
QString loadCanonicalRequests(const TriageServers& servers, const QString& database, const QString& jsonlPath);

// What a triage run is judged by, against a full local import of the same rows (scan --json results files).
// The flagged networks of a results file, each as its set of account ids; empty when unreadable.
QList<QSet<QString>> networksOf(const QString& resultsJson);
// `eval --json` of a results file against the simulator's truth; empty when eval failed.
QJsonObject evalOf(const QString& truthCsv, const QString& resultsJson);
// For each network of `reference`, the best Jaccard similarity with a network of `other`; the worst of those (1 when
// `reference` has none).
double worstBestJaccard(const QList<QSet<QString>>& reference, const QList<QSet<QString>>& other);
// The same partition: as many networks, each of one the same accounts as one of the other.
bool sameNetworks(const QList<QSet<QString>>& a, const QList<QSet<QString>>& b);
// The flagged networks of a case's newest finished detection run, as networksOf reads them from a results file.
QList<QSet<QString>> networksInCase(const QString& casePath);
// The networks of a triage's case detected again without the population the triage measured (triage_value,
// triage_value_size and triage_start emptied in a copy, `detect` run on it): what detection found before it read
// them. Empty when the detection failed.
QList<QSet<QString>> networksWithoutPopulation(const QString& triageCase, const QString& scratchCopy);
// The triage's per-value account counts (triage_value) against the same counts measured in a full local import's
// case (`fullCase`): how many IP and user agent counts match exactly, and how many were compared.
QPair<int, int> populationAgreement(const QString& triageCase, const QString& fullCase);

} // namespace ds::test
