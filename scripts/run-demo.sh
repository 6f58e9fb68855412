#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, simulates the
# demo dataset once, and opens it in the desktop app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
demo=build/demo
if [[ ! -f "$demo/requests.jsonl.gz" ]]; then
    build/release/app/distillscope-cli simulate --scenario demo --seed 7 --out "$demo"
fi
exec build/release/app/distillscope "$demo/requests.jsonl.gz" "$demo/accounts.csv" "$@"
