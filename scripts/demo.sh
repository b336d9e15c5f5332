#!/usr/bin/env bash
# Sets up the machine, builds the optimised binaries and runs `marketbridge demo`: the whole engine
# against the built-in sandbox (marketbridge-sandbox: Amazon SP-API, SCAYLE Admin API, SQS and a
# market), with SQLite, no accounts needed. It stops by itself after 120 s (two simulated hours at
# 60x) and prints what happened. Arguments replace the defaults, e.g. `scripts/demo.sh --duration 0`
# runs until Ctrl-C; see `build/release/marketbridge demo --help`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j 2 --target marketbridge marketbridge-sandbox
if [ "$#" -eq 0 ]; then
  set -- --duration 120
fi
exec build/release/marketbridge demo "$@"
