# Annex: `make test` runs every check and test, installing what they need when missing.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
TAGS := nomsgpack
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
# ui/node_modules holds a stray Go package of an npm dependency: keep it out.
PKGS = $(shell $(GO) list -tags $(TAGS) ./... | grep -v /node_modules/)

.PHONY: test build run fmt-check vet staticcheck go-test bench

## build: the static binary in bin/annex
build:
	CGO_ENABLED=0 $(GO) build -tags $(TAGS) -trimpath -ldflags '$(LDFLAGS)' -o bin/annex .

## run: start Annex on the embedded defaults
run:
	$(GO) run -tags $(TAGS) .

## test: every check and every test
test: fmt-check vet staticcheck go-test
	@echo "make test: every check passed"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -tags $(TAGS) $(PKGS)

staticcheck:
	$(GO) tool staticcheck -tags $(TAGS) $(PKGS)

go-test:
	$(GO) test -tags $(TAGS) -count=1 $(PKGS)

## bench: the Go benchmarks
bench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem $(PKGS)
