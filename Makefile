# Credo — run `make help` for the targets.
SHELL := /bin/bash
GO    ?= go
BIN   := bin
FERRET_MOD := store/mongo/ferretdbtest
TEST_TIMEOUT ?= 30m

.PHONY: help run build test test-go test-ferret test-mongo bench lint fmt vet clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## build the credo binary into bin/
	$(GO) build -o $(BIN)/credo ./cmd/credo

run: build ## build and start Credo on the embedded store with the demo tenant at :8080
	CREDO_DEMO=true ./$(BIN)/credo serve

test: test-go test-ferret test-mongo ## every test: unit, storage suites on SQLite and FerretDB, HTTP suite on both backends

test-go: ## the main module's tests (race detector, SQLite)
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...

test-ferret: ## the storage conformance suite on the MongoDB backend over the wire to embedded FerretDB
	cd $(FERRET_MOD) && $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...

test-mongo: ## the HTTP suite against the MongoDB backend (FerretDB side process, or MONGODB_URI)
	./scripts/with-mongo.sh $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) -run 'TestHTTP' ./server/...

bench: build ## benchmarks: Go micro-benchmarks and the real server driven over loopback
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./store/sqlite/ ./runtime/form/ ./tenants/
	./scripts/bench.sh

vet: ## go vet both modules
	$(GO) vet ./...
	cd $(FERRET_MOD) && $(GO) vet ./...

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

lint: vet ## vet plus gofmt check
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

clean: ## remove build output and the local database
	rm -rf $(BIN) data
