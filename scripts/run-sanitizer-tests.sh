#!/usr/bin/env bash
# The sanitizer CI job: builds the `asan` preset (Debug, AddressSanitizer and
# UndefinedBehaviorSanitizer, build/asan) and runs the whole test suite under it
# (benchmarks excluded). Any sanitizer report fails the test that triggered it.
# Extra arguments go to ctest, e.g. `-R ingest` or `-L hardening`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
# halt_on_error: the first report ends the test with a failure and a stack trace.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/tests/hardening/lsan-suppressions.txt:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ctest --preset asan "$@"
