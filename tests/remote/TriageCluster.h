#pragma once

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

} // namespace ds::test
