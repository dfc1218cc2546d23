# detapi: `make run` runs the main job, `make test` the whole test suite. Both install missing apt packages.
.PHONY: run test build release bench format lint deps

deps:
	@scripts/install-deps.sh

run: deps
	@swift build --product detapi >/dev/null 2>&1 || swift build --product detapi
	.build/debug/detapi run --mock

test: deps
	swift build --build-tests
	swift build --product detapi
	swift test --skip-build

build: deps
	swift build

release: deps
	swift build -c release --product detapi --static-swift-stdlib

bench: deps
	bench/run.sh

format:
	swift format --in-place --recursive Sources Tests bench/Sources Package.swift

lint:
	swift format lint --strict --recursive Sources Tests bench/Sources Package.swift
