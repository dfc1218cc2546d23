#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages detapi needs to build and test, only when missing.
# Uses sudo when not root. Safe to run repeatedly.
set -euo pipefail

packages=(libcurl4-openssl-dev curl ca-certificates openssl pkg-config libxml2-utils python3 chromium)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "install-deps: need ${missing[*]}, but apt-get is not available; install them with your package manager" >&2
    exit 2
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
