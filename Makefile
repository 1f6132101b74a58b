# Annex: `make test` runs every check and test, installing what they need when missing.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
TAGS := nomsgpack
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
# ui/node_modules holds a stray Go package of an npm dependency: keep it out.
PKGS = $(shell $(GO) list -tags $(TAGS) ./... | grep -v /node_modules/)

.PHONY: reflect-guard isolation test build run fmt-check vet staticcheck go-test bench ui-deps chromium ui-check api-fresh spa-fresh e2e ui-build load-short load

## build: the static binary in bin/annex
build:
	CGO_ENABLED=0 $(GO) build -tags $(TAGS) -trimpath -ldflags '$(LDFLAGS)' -o bin/annex .

## run: start Annex on the embedded defaults
run:
	$(GO) run -tags $(TAGS) .

## test: every check and every test
test: fmt-check vet staticcheck reflect-guard api-fresh ui-check spa-fresh go-test load-short e2e
	@echo "make test: every check passed"

# npm packages, installed exactly from the lock file when missing or out of date.
ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error
ui-deps: ui/node_modules/.package-lock.json

# Debian's Chromium for the browser journeys (npx playwright install cannot work here).
chromium:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

ui-check: ui-deps
	cd ui && npm run --silent typecheck && npm run --silent lint && npm run --silent test

## ui-build: regenerate the API types and rebuild the SPA into embed/dist
ui-build: ui-deps
	$(GO) run -tags $(TAGS) . openapi > ui/src/api/openapi.json
	cd ui && npm run --silent gen:api && npm run --silent build

# The OpenAPI document and the SPA's types generated from it must match what is committed.
api-fresh: ui-deps
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	$(GO) run -tags $(TAGS) . openapi > $$tmp/openapi.json; \
	cmp -s $$tmp/openapi.json ui/src/api/openapi.json || { echo "ui/src/api/openapi.json is stale: run make ui-build"; exit 1; }; \
	(cd ui && npx openapi-typescript $$tmp/openapi.json -o $$tmp/schema.d.ts >/dev/null 2>&1); \
	cmp -s $$tmp/schema.d.ts ui/src/api/schema.d.ts || { echo "ui/src/api/schema.d.ts is stale: run make ui-build"; exit 1; }

# The committed build in embed/dist must be what the sources build to.
spa-fresh: ui-deps
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	(cd ui && npx vite build --logLevel error --outDir $$tmp/dist --emptyOutDir); \
	diff -r $$tmp/dist embed/dist >/dev/null || { diff -rq $$tmp/dist embed/dist; echo "embed/dist is stale: run make ui-build"; exit 1; }

# The load tool in its short mode (a few seconds) against the built binary, so that it
# cannot silently break; make load runs it in full. The second run streams a 32 MiB file
# up and down My Drive and fails if the server's memory grows with it (bench/drive.go).
load-short: build
	$(GO) run -tags $(TAGS) ./bench -bin bin/annex -short
	$(GO) run -tags $(TAGS) ./bench -bin bin/annex -drive -short

## load: the load tool in full (cold start, memory, a sign-in burst, authenticated requests)
load: build
	$(GO) run -tags $(TAGS) ./bench -bin bin/annex

## e2e: the browser journeys against the built binary (screenshots in ui/e2e/artifacts)
e2e: build ui-deps chromium
	cd ui && node --test --test-concurrency=1 e2e/

# Nothing may reach reflect.Value.Method/MethodByName (html/template, text/template,
# some CLI and validation libraries do): it turns off the linker's dead-method elimination
# for the whole binary, about 7 MB. The linker's dependency dump names the chain.
# .ci/reflect-guard-test.sh first proves the check can fail (a scratch program with a template).
reflect-guard:
	@.ci/reflect-guard-test.sh
	@CGO_ENABLED=0 $(GO) build -tags $(TAGS) -trimpath -ldflags=-dumpdep -o /dev/null . 2>&1 | \
	  awk -f .ci/reflect-chain.awk || { echo "the binary reaches reflect.Value.Method (above, how): dead-method elimination is off"; exit 1; }

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -tags $(TAGS) $(PKGS)

staticcheck:
	$(GO) tool staticcheck -tags $(TAGS) $(PKGS)

go-test:
	$(GO) test -tags $(TAGS) -count=1 -skip '^TestIsolation$$' $(PKGS)
	@# The isolation test runs on its own so that its summary line is shown.
	$(GO) test -tags $(TAGS) -count=1 -run '^TestIsolation$$' -v ./app/isolation | grep -v '^=== RUN'

## isolation: more worlds, e.g. make isolation WORLDS=1000 (ISOLATION_EVENTS=N events each)
isolation:
	ISOLATION_WORLDS=$(or $(WORLDS),1000) $(GO) test -tags $(TAGS) -count=1 -run '^TestIsolation$$' -v ./app/isolation

## bench: the Go benchmarks
bench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem $(PKGS)
