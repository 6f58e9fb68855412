#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, and runs the
# whole test suite through CTest (benchmarks excluded; `ctest --preset bench` runs those).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
scripts/install-deps.sh
scripts/build.sh "$preset"
ctest --preset "$preset"
