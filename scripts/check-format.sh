#!/usr/bin/env bash
# Fails if any C++ file is not formatted with the project's .clang-format (Debian's clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.hpp')
bad=0
for f in $files; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not clang-format clean: $f"
    bad=1
  fi
done
if [ $bad -ne 0 ]; then
  echo "fix with: clang-format -i \$(git ls-files '*.cpp' '*.hpp')"
  exit 1
fi
echo "format: $(echo "$files" | wc -w) files clean"
