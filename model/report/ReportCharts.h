#pragma once

#include <QFont>
#include <QPainter>
#include <QString>

#include <cstdint>
#include <vector>

namespace ds {

// Charts for the PDF, drawn with QPainter as vector graphics (lines, rectangles,
// text), so they stay sharp and their labels stay text. Any thread with a painter.
namespace charts {

struct Timeline
{
    std::int64_t start = 0;    // epoch ms of the first bucket
    std::int64_t bucketMs = 0; // bucket width
    std::vector<int> requests; // requests per bucket
    std::vector<int> accounts; // distinct accounts active per bucket
};

// Bars: requests per bucket; line: active accounts (right axis). `k` = device units per point.
void drawTimeline(QPainter& p, const QRectF& r, const Timeline& t, const QFont& font, double k);

struct Graph
{
    std::vector<QString> nodes; // labels
    struct Edge
    {
        int a = 0, b = 0;
        double weight = 0;
        QString kind; // strongest link kind: payment, email_domain, user_agent, ip, network, template, co_created
    };
    std::vector<Edge> edges;
};

// Force-directed layout (deterministic: fixed start on a circle, fixed iterations), edges coloured by kind, legend.
void drawLinkGraph(QPainter& p, const QRectF& r, const Graph& g, const QFont& font, double k);

} // namespace charts
} // namespace ds
