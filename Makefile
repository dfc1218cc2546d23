# detapi: `make run` runs the main job, `make test` the whole test suite. Both install missing apt packages.
.PHONY: run test build release bench format lint deps

deps:
	@scripts/install-deps.sh test

run:
	@scripts/run.sh

test:
	@scripts/test.sh

build: deps
	swift build

release: deps
	swift build -c release --product detapi --static-swift-stdlib

bench: deps
	bench/run.sh

format:
	swift format --in-place --recursive Sources Tests bench/Sources Package.swift

lint:
	@scripts/lint.sh
