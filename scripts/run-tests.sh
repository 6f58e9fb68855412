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
for phase in "${phases[@]}"; do
    echo "run-tests: phase $phase: started $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
    start=$SECONDS
    "phase_$phase"
    status=$?
    took=$((SECONDS - start))
    verdict=passed
    if [[ $status -ne 0 ]]; then
        verdict="FAILED (exit $status)"
        failed=1
    fi
    summary+=("$(printf '  %-8s %-18s %3d min %02d s' "$phase" "$verdict" $((took / 60)) $((took % 60)))")
    echo "run-tests: phase $phase $verdict after ${took} s"
done

echo "run-tests: summary (load now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s\n' "${summary[@]}"
exit $failed
