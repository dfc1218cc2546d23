#!/usr/bin/env bash
# The whole test suite: installs missing apt packages, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift build --product detapi
swift test --skip-build
