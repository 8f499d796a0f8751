# The two commands of the README's Quick start (run, test); each installs what it needs first.
SWIFT ?= swift
FLUMEBENCH = .build/release/flumebench

.PHONY: run test smoke deps build install clean

PREFIX ?= /usr/local

## run: build flumebench (release) and run the default suite: Reports/latest/report.md
run: build
	$(FLUMEBENCH)

## test: run every test in a release build (allocation counts only mean something there)
test: deps
	$(SWIFT) test -c release

## smoke: CI's benchmark: the smoke suite, gated against the committed baseline on the
## deterministic figures (conformance, checksums, allocations, read calls); CI judges times
## with the same-job A/B (.ci/run: gate --against HEAD~1), as runners differ from job to job
smoke: build
	$(FLUMEBENCH) run --suite smoke --reports .build/reports --results-copy .build/smoke-results.json.tmp
	mv .build/smoke-results.json.tmp .build/smoke-results.json
	$(FLUMEBENCH) gate --baseline Benchmarks/baselines/smoke.json --current .build/smoke-results.json --deterministic-only

## build: flumebench, on Linux one static executable (the StaticExecutable trait: Package.swift
## passes -static-executable): no dynamic loader or libraries at start (it relocates itself: static-pie,
## kept for address randomization); and flumebench-simdjson
## beside it, the benchmarks' simdjson reference (libsimdjson is a shared library only).
## --disable-local-rpath: the helper loads only the system's libraries, and the loader need not
## probe $ORIGIN/tls/x86_64/... for each
build: deps
	$(SWIFT) build -c release --product flumebench --static-swift-stdlib --disable-local-rpath --traits StaticExecutable
	$(SWIFT) build -c release --product flumebench-simdjson --static-swift-stdlib --disable-local-rpath --traits StaticExecutable

## install: build flumebench (release) and install it as $(PREFIX)/bin/flumebench (its simdjson
## helper beside it), with the suites, baselines and recipes beside it ($(PREFIX)/share/flumebench), so it runs anywhere
install: build
	install -d "$(PREFIX)/bin" "$(PREFIX)/share/flumebench/Benchmarks/baselines" "$(PREFIX)/share/flumebench/recipes"
	install -m 755 $(FLUMEBENCH) "$(PREFIX)/bin/flumebench"
	install -m 755 $(dir $(FLUMEBENCH))flumebench-simdjson "$(PREFIX)/bin/flumebench-simdjson"
	install -m 644 Benchmarks/*.json "$(PREFIX)/share/flumebench/Benchmarks/"
	install -m 644 Benchmarks/baselines/*.json "$(PREFIX)/share/flumebench/Benchmarks/baselines/"
	install -m 644 Corpus/recipes/*.json "$(PREFIX)/share/flumebench/recipes/"

deps:
	@scripts/install-deps

clean:
	rm -rf .build
