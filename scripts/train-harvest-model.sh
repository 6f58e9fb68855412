#!/bin/bash
# Retrains the request-level harvest model and writes resources/harvest_model.txt.
#   scripts/train-harvest-model.sh [BUILD_DIR] [C]
# BUILD_DIR: a configured build folder (default build/release); C: liblinear's
# regularisation (default 1). Needs liblinear-tools (scripts/debian-packages.txt).
# Prints the held-out calibration table that docs/HARVEST_SIGNAL.md quotes.
# Deterministic: the same corpora and code give the same weights.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
c=${2:-1}
if ! command -v liblinear-train > /dev/null; then
    echo "liblinear-train not found: apt-get install liblinear-tools" >&2
    exit 1
fi
cmake --build "$build" --target harvest-train
tool="$build/tools/harvest-train/harvest-train"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tool" dump "$work"
# -s 6: L1-regularised logistic regression (few non-zero weights); -B 1: a bias term.
liblinear-train -s 6 -c "$c" -B 1 -q "$work/train.svm" "$work/model"
"$tool" convert "$work/model" resources/harvest_model.txt
"$tool" evaluate resources/harvest_model.txt
