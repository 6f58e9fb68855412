// harvest-train: the offline side of the request-level harvest model.
//   harvest-train dump DIR             train.svm and heldout.svm (libsvm format, our own features)
//   harvest-train convert MODEL OUT    liblinear's model file -> the fixed-point format HarvestModel reads
//   harvest-train evaluate MODEL.txt   precision and recall at thresholds on the held-out set, per kind
// scripts/train-harvest-model.sh runs the three with liblinear-train in between.
#include "TrainingSet.h"

#include "text/HarvestFeatures.h"
#include "text/HarvestModel.h"
#include "text/PromptFeatures.h"

#include <QCoreApplication>
#include <QFile>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

using namespace ds;

namespace {

std::vector<std::uint32_t> featuresOf(const HarvestExample& e)
{
    const PromptFeatures f = extractPromptFeatures(e.systemPrompt, e.prompt, e.toolCount);
    std::vector<std::uint32_t> idx;
    harvestFeatureIndices(e.systemPrompt, e.prompt, e.toolCount, f, idx);
    return idx;
}

bool writeSvm(const std::vector<HarvestExample>& set, const std::string& path)
{
    std::ofstream out(path);
    for (const HarvestExample& e : set) {
        out << (e.harvest ? "+1" : "-1");
        std::vector<std::uint32_t> idx = featuresOf(e);
        std::sort(idx.begin(), idx.end());
        for (std::uint32_t i : idx)
            out << ' ' << (i + 1) << ":1"; // libsvm indices start at 1, ascending
        out << '\n';
    }
    return static_cast<bool>(out);
}

const SimCorpus* corpus()
{
    QString error;
    const SimCorpus* c = SimCorpus::shared(&error);
    if (!c)
        std::fprintf(stderr, "harvest-train: %s\n", qPrintable(error));
    return c;
}

int dump(const std::string& dir)
{
    const SimCorpus* c = corpus();
    if (!c)
        return 1;
    const auto train = buildHarvestSet(*c, CorpusPart::Train, Phrasing::Training);
    const auto held = buildHarvestSet(*c, CorpusPart::Heldout, Phrasing::Evaluation);
    if (!writeSvm(train, dir + "/train.svm") || !writeSvm(held, dir + "/heldout.svm")) {
        std::fprintf(stderr, "harvest-train: cannot write to %s\n", dir.c_str());
        return 1;
    }
    std::printf("train: %zu requests, held-out: %zu requests\n", train.size(), held.size());
    return 0;
}

// liblinear's model: a header ("solver_type", "nr_class", "label", "nr_feature", "bias"), "w", one weight a line
// (the bias term's last when bias >= 0). Weights are for the first label; ours must be for "+1".
int convert(const std::string& in, const std::string& outPath)
{
    std::ifstream f(in);
    std::string key;
    int first = 0, features = 0;
    double bias = -1;
    while (f >> key && key != "w") {
        if (key == "label") {
            int second = 0;
            f >> first >> second;
        } else if (key == "nr_feature") {
            f >> features;
        } else if (key == "bias") {
            f >> bias;
        } else {
            std::string rest;
            std::getline(f, rest);
        }
    }
    if (key != "w" || features <= 0 || static_cast<std::uint32_t>(features) > kHarvestFeatureCount) {
        std::fprintf(stderr, "harvest-train: %s is not a liblinear model of our features\n", in.c_str());
        return 1;
    }
    const double sign = first == 1 ? 1.0 : -1.0;
    std::vector<std::pair<std::uint32_t, std::int64_t>> weights;
    for (int i = 0; i < features; ++i) {
        double w = 0;
        f >> w;
        const auto q = static_cast<std::int64_t>(std::llround(sign * w * HarvestModel::kScale));
        if (q != 0)
            weights.emplace_back(static_cast<std::uint32_t>(i), q);
    }
    double b = 0;
    if (bias >= 0)
        f >> b;
    if (!f) {
        std::fprintf(stderr, "harvest-train: %s ends early\n", in.c_str());
        return 1;
    }
    std::ofstream out(outPath);
    out << "distillscope-harvest-model 1\nfeatures " << kHarvestFeatureCount << "\nscale " << HarvestModel::kScale
        << "\nbias " << std::llround(sign * b * bias * HarvestModel::kScale) << "\nweights " << weights.size() << '\n';
    for (const auto& [i, w] : weights)
        out << i << ' ' << w << '\n';
    std::printf("%zu non-zero weights of %d\n", weights.size(), features);
    return out ? 0 : 1;
}

int evaluate(const std::string& modelPath)
{
    std::ifstream f(modelPath);
    std::stringstream ss;
    ss << f.rdbuf();
    HarvestModel model;
    QString error;
    if (!model.parse(ss.str(), &error)) {
        std::fprintf(stderr, "harvest-train: %s\n", qPrintable(error));
        return 1;
    }
    const SimCorpus* c = corpus();
    if (!c)
        return 1;
    const auto held = buildHarvestSet(*c, CorpusPart::Heldout, Phrasing::Evaluation);
    std::vector<int> scores;
    for (const HarvestExample& e : held)
        scores.push_back(model.score(featuresOf(e)));
    std::printf("held-out requests: %zu (tasks of the held-out part, wrappers never used in training)\n\n", held.size());
    std::printf("| threshold | precision | recall | false-positive rate |\n|---|---|---|---|\n");
    for (int t : {200, 300, 400, 500, 600, 700, 800, 900}) {
        std::size_t tp = 0, fp = 0, pos = 0, neg = 0;
        for (std::size_t i = 0; i < held.size(); ++i) {
            (held[i].harvest ? pos : neg)++;
            if (scores[i] >= t)
                (held[i].harvest ? tp : fp)++;
        }
        std::printf("| %d | %.3f | %.3f | %.3f |\n", t, tp + fp ? double(tp) / double(tp + fp) : 1.0,
                    pos ? double(tp) / double(pos) : 0.0, neg ? double(fp) / double(neg) : 0.0);
    }
    std::map<std::string, std::pair<std::size_t, std::size_t>> byKind; // kind -> (requests, scored >= 500)
    std::map<std::string, long> sum;
    for (std::size_t i = 0; i < held.size(); ++i) {
        auto& k = byKind[held[i].kind];
        ++k.first;
        k.second += scores[i] >= 500;
        sum[held[i].kind] += scores[i];
    }
    std::printf("\n| kind | label | requests | share scored >= 500 | mean score |\n|---|---|---|---|---|\n");
    for (const auto& [kind, k] : byKind) {
        const bool positive = std::find_if(held.begin(), held.end(), [&](const HarvestExample& e) { return e.kind == kind; })->harvest;
        std::printf("| %s | %s | %zu | %.3f | %ld |\n", kind.c_str(), positive ? "harvest" : "benign", k.first,
                    double(k.second) / double(k.first), sum[kind] / long(k.first));
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "dump" && argc == 3)
        return dump(argv[2]);
    if (cmd == "convert" && argc == 4)
        return convert(argv[2], argv[3]);
    if (cmd == "evaluate" && argc == 3)
        return evaluate(argv[2]);
    std::fprintf(stderr, "usage: harvest-train dump DIR | convert LIBLINEAR_MODEL OUT | evaluate MODEL\n");
    return 2;
}
