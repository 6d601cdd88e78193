#!/usr/bin/env bash
# Installs the Debian 12 packages fidx needs to build and test (clang and its
# runtime are for the libFuzzer target, scripts/fuzz.sh; systemd for
# systemd-analyze, which checks deploy/systemd's units).
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libxapian-dev xapian-tools libxml2-dev libboost-program-options-dev zlib1g-dev libarchive-dev catch2
  python3 python3-snowballstemmer nlohmann-json3-dev
  libcpp-httplib-dev chromium chromium-driver python3-selenium
  clang libclang-rt-14-dev
  systemd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
