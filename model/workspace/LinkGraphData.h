#pragma once

#include <QList>
#include <QMetaType>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace ds {

class SqliteDb;

// A flagged network's accounts and the links between them (shared values,
// templates, synchrony), with Graphviz positions. Plain value type.
struct LinkGraphData
{
    struct Node
    {
        std::int64_t account = 0; // account.id
        QString accountId;        // attacker controlled: plain text only
        double score = 0;
        bool flagged = false;
        QPointF pos;
    };
    struct Edge
    {
        int a = 0, b = 0; // node indexes
        double weight = 0;
        QStringList kinds;
    };
    QString label;
    QList<Node> nodes;           // at most kMaxNodes of the network's accounts (see load)
    int members = 0;             // accounts in the network, shown or not
    QList<Edge> edges;
    QString error;

    // What the drawing can and cannot show: the stored links join the shown accounts into
    // `components` groups (the largest `largestComponent` accounts; `unlinked` have no drawn link).
    // Detection keeps only the strongest `linksKept` links of a network (0: unknown), so a network
    // it joined by weaker links, or by evidence shared across the group, is drawn in pieces;
    // `reasons` are the network's strongest reasons, which say what ties it together.
    int components = 0;
    int largestComponent = 0;
    int unlinked = 0;
    int linksKept = 0;
    QStringList reasons;
    // The link kinds drawn (each edge coloured by its strongest, the first of Edge::kinds), most used first.
    QStringList kindsDrawn;

    // A laid-out graph beyond this many nodes is neither readable nor quick (Graphviz packs every
    // unlinked account apart): larger networks show the accounts of their stored links, then the
    // highest scores.
    static constexpr int kMaxNodes = 200;
    // Worker threads only.
    static LinkGraphData load(SqliteDb& db, std::int64_t run, std::int64_t cluster);
};

} // namespace ds

Q_DECLARE_METATYPE(ds::LinkGraphData)
