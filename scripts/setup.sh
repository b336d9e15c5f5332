#!/usr/bin/env bash
# Installs every Debian 12 package Marketbridge needs to build, test and run. Idempotent; run as
# root (or with sudo available) on a fresh machine. Prints what it does.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build pkg-config clang-format python3 gzip
  # libraries (see cmake/Dependencies.cmake)
  libcurl4-openssl-dev libcpp-httplib-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libssl-dev zlib1g-dev libexpected-dev
  libvalijson-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
