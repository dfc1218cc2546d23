#!/usr/bin/env bash
# The whole test suite: installs missing apt packages (build and test ones), builds detapi and the tests,
# runs every test. The CLI tests run the detapi built here and fail if it is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
swift build --build-tests
swift build --product detapi
swift test --skip-build
