#!/usr/bin/env bash
# The README's second command, and all that CI (.ci/run) runs: installs what is
# missing, then runs these phases in order, each in its own build folder:
#   release  the release preset, built and tested (ctest --preset release)
#   asan     the whole suite under AddressSanitizer + UBSan (scripts/run-sanitizer-tests.sh)
#   fuzz     a short libFuzzer run of every parser fuzz target (scripts/run-fuzz.sh)
# Benchmarks are outside every phase (`ctest --preset bench` runs those).
#
#   scripts/run-tests.sh               every phase (what CI runs)
#   scripts/run-tests.sh --quick       the release phase only: the developer's quick check
#   scripts/run-tests.sh asan fuzz     the named phases only, in the order given
#
# A failing phase does not stop the later ones (so one run reports everything);
# the script fails if any phase failed, and ends with each phase's time.
set -uo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

phases=()
for arg in "$@"; do
    case "$arg" in
        --quick) phases+=(release) ;;
        release | asan | fuzz) phases+=("$arg") ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run-tests: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ ${#phases[@]} -gt 0 ]] || phases=(release asan fuzz)

deps_start=$SECONDS
scripts/install-deps.sh || exit 1
deps_took=$((SECONDS - deps_start))

phase_release() { scripts/build.sh release && ctest --preset release; }
phase_asan() { scripts/run-sanitizer-tests.sh; }
phase_fuzz() { scripts/run-fuzz.sh; }

summary=("$(printf '  %-8s %-18s %3d min %02d s' deps installed $((deps_took / 60)) $((deps_took % 60)))")
failed=0
tests_passed=0
tests_failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for phase in "${phases[@]}"; do
    echo "run-tests: phase $phase: started $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
    start=$SECONDS
    "phase_$phase" 2>&1 | tee "$out"
    status=${PIPESTATUS[0]}
    took=$((SECONDS - start))
    # CTest's closing line: "NN% tests passed, F tests failed out of T".
    counts=$(sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+)$/\1 \2/p' "$out" | tail -n 1)
    read -r phase_failed phase_total <<<"${counts:-0 0}"
    tests_passed=$((tests_passed + phase_total - phase_failed))
    tests_failed=$((tests_failed + phase_failed))
    verdict=passed
    if [[ $status -ne 0 ]]; then
        verdict="FAILED (exit $status)"
        failed=1
        # A phase that failed outside its tests (configure, build) counts as one failure.
        [[ $phase_failed -gt 0 ]] || tests_failed=$((tests_failed + 1))
    fi
    summary+=("$(printf '  %-8s %-18s %3d min %02d s  %3d tests' "$phase" "$verdict" $((took / 60)) $((took % 60)) "$phase_total")")
    echo "run-tests: phase $phase $verdict after ${took} s"
done

echo "run-tests: summary (load now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s\n' "${summary[@]}"
echo "run-tests: $tests_passed passed, $tests_failed failed"
exit $failed
