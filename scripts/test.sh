#!/usr/bin/env bash
# Sets up the machine, then builds and runs every test twice: a normal debug build and one under
# AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
for preset in dev asan; do
  echo "== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j 2
  echo "== $preset: test"
  ctest --preset "$preset"
done
