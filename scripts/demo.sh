#!/usr/bin/env bash
# Sets up the machine, builds the optimised binary and runs `marketbridge demo`: the whole engine
# against the built-in sandbox, with SQLite, no accounts needed. Extra arguments go to `demo`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j 2 --target marketbridge
exec build/release/marketbridge demo "$@"
