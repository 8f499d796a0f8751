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

## build: the binary with the Swift runtime linked in (--static-swift-stdlib): no dynamic symbol
## binding of the Swift libraries at every start; no $ORIGIN search path (--disable-local-rpath:
## every library it loads is the system's, and the loader need not probe ./tls/x86_64/... for
## each). Tests build their own, dynamically linked
build: deps
	$(SWIFT) build -c release --product flumebench --static-swift-stdlib --disable-local-rpath

## install: build flumebench (release) and install it as $(PREFIX)/bin/flumebench, with the
## suites, baselines and recipes beside it ($(PREFIX)/share/flumebench), so it runs anywhere
install: build
	install -d "$(PREFIX)/bin" "$(PREFIX)/share/flumebench/Benchmarks/baselines" "$(PREFIX)/share/flumebench/recipes"
	install -m 755 $(FLUMEBENCH) "$(PREFIX)/bin/flumebench"
	install -m 644 Benchmarks/*.json "$(PREFIX)/share/flumebench/Benchmarks/"
	install -m 644 Benchmarks/baselines/*.json "$(PREFIX)/share/flumebench/Benchmarks/baselines/"
	install -m 644 Corpus/recipes/*.json "$(PREFIX)/share/flumebench/recipes/"

deps:
	@scripts/install-deps

clean:
	rm -rf .build
