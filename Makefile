# The two commands of the README's Quick start. Each installs what it needs first.
SWIFT ?= swift

.PHONY: run test deps build clean

## run: build flumebench (release) and run its main job, writing nothing but its report
run: deps
	$(SWIFT) build -c release --product flumebench
	.build/release/flumebench

## test: run every test in a release build (allocation counts only mean something there)
test: deps
	$(SWIFT) test -c release

build: deps
	$(SWIFT) build -c release

deps:
	@scripts/install-deps

clean:
	rm -rf .build
