#!/usr/bin/env bash
# The fuzz phase of scripts/run-tests.sh: builds only the libFuzzer targets of
# tests/fuzz with clang (preset `fuzz`, build/fuzz: ASan + UBSan + libFuzzer) and
# runs each briefly (ctest label "fuzz", DS_FUZZ_SECONDS each, 20 by default),
# seeded from the checked-in corpus in tests/fuzz/corpus. A crash, leak, timeout or
# sanitizer report fails the run; the input that caused it is written to
# build/fuzz/tests/fuzz/fuzz-findings/<target>/ (add it to the corpus once fixed).
#   scripts/run-fuzz.sh                       the CI run
#   DS_FUZZ_SECONDS=300 scripts/run-fuzz.sh   a longer session by hand
# Extra arguments go to ctest, e.g. `-R fuzz_csv`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
seconds=()
[[ -z "${DS_FUZZ_SECONDS:-}" ]] || seconds=("-DDS_FUZZ_SECONDS=$DS_FUZZ_SECONDS")
cmake --preset fuzz "${seconds[@]}"
cmake --build --preset fuzz -j "$(nproc)"
status=0
ctest --preset fuzz "$@" || status=$?
# What each target did (CTest shows the fuzzer's own output only on failure).
log=build/fuzz/Testing/Temporary/LastTest.log
if [[ -f "$log" ]]; then
    awk '/^[0-9]+\/[0-9]+ Testing: /{t=$3} /DONE +cov:/{c=$4; k=$8}
         /^Done [0-9]+ runs/{print "run-fuzz: " t ": " $2 " inputs in " $5 " s, coverage " c ", corpus " k}' "$log"
fi
exit $status
