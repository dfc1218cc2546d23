#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages detapi needs, only when missing. Safe to run repeatedly; sudo when not root.
#   scripts/install-deps.sh        what building and running detapi needs (libcurl and libedit headers, CA certificates, pkg-config)
#   scripts/install-deps.sh test   that, plus what the tests use: curl, openssl, python3, xmllint, tmux, chromium
# On Ubuntu the 'chromium' package is a snap stub that apt cannot install in a container: it is left out with a
# note, and the one browser test says it is skipped.
set -euo pipefail

packages=(libcurl4-openssl-dev ca-certificates pkg-config libedit-dev zlib1g-dev)
if [ "${1:-}" = "test" ]; then
    packages+=(curl openssl python3 libxml2-utils tmux less)
    if command -v apt-cache >/dev/null && apt-cache show chromium 2>/dev/null | grep -qi '^Depends:.*snapd'; then
        echo "install-deps: the chromium package here is a snap stub; the HTML browser test will be skipped" >&2
    else
        packages+=(chromium)
    fi
fi
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
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
