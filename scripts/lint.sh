#!/usr/bin/env bash
# swift format, strict: the style check CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --recursive Sources Tests bench/Sources Package.swift
