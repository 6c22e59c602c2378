# Credo — run `make help` for the targets.
SHELL := /bin/bash
GO    ?= go
NPM   ?= npm
BIN   := bin
FERRET_MOD := store/mongo/ferretdbtest
TEST_TIMEOUT ?= 30m

SDK_MODS   := plugins/proto plugins/sdk
PLUGINS    := scorecard antifraud

.PHONY: help run build frontend plugins proto test test-go test-sdk test-ferret test-mongo test-frontend bench lint fmt vet clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: frontend ## build the credo binary, with the browser app embedded, into bin/
	$(GO) build -tags embedui -o $(BIN)/credo ./cmd/credo

frontend: ## build the browser app into frontend/dist (runs npm ci first when node_modules is missing)
	cd frontend && { [ -d node_modules ] || $(NPM) ci; } && $(NPM) run build

plugins: build ## build the reference plugins and install them into bin/plugins
	rm -rf $(BIN)/plugins $(BIN)/plugin-build
	mkdir -p $(BIN)/plugins $(BIN)/plugin-build
	for p in $(PLUGINS); do \
		$(GO) build -o $(BIN)/plugin-build/credo-$$p ./plugins/$$p && \
		./$(BIN)/credo plugins install -dir $(BIN)/plugins $(BIN)/plugin-build/credo-$$p || exit 1; \
	done

proto: ## regenerate the plugin protocol's code (pinned generators; needs protoc)
	./scripts/proto.sh

run: frontend build plugins ## build and start Credo on the embedded store with the demo tenant and plugins at :8080
	CREDO_DEMO=true CREDO_PLUGIN_DIR=$(BIN)/plugins ./$(BIN)/credo serve

test: test-go test-sdk test-ferret test-mongo test-frontend ## every test: unit, plugins, storage suites on SQLite and FerretDB, HTTP suite on both backends, the browser app

test-go: ## the main module's tests (race detector, SQLite)
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...

test-sdk: ## the plugin protocol's and SDK's own modules
	for m in $(SDK_MODS); do (cd $$m && $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...) || exit 1; done

test-ferret: ## the storage conformance suite on the MongoDB backend over the wire to embedded FerretDB
	cd $(FERRET_MOD) && $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...

test-mongo: ## the HTTP suite and the events package against the MongoDB backend (FerretDB side process, or MONGODB_URI)
	./scripts/with-mongo.sh $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) -run 'TestHTTP' ./server/...
	./scripts/with-mongo.sh $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./runtime/events/...

test-frontend: ## the browser app: typecheck, component tests, build, JS size budget, end-to-end in Chromium against the real server
	cd frontend && { [ -d node_modules ] || $(NPM) ci; } && $(NPM) run typecheck && $(NPM) test && $(NPM) run build && $(NPM) run size && $(NPM) run e2e

bench: build plugins ## benchmarks: Go micro-benchmarks, the real server (with plugins) driven over loopback, the browser app in Chromium
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./store/sqlite/ ./runtime/form/ ./tenants/ ./plugins/host/ ./plugins/scorecard/... ./plugins/antifraud/ ./runtime/events/ ./runtime/lending/ ./runtime/rule/
	$(GO) test -run '^$$' -bench StartToFirstTask -benchtime 2000x ./runtime/flow/
	$(GO) test -run '^$$' -bench . -benchtime 3x ./runtime/transfer/
	$(GO) test -run '^$$' -bench ApplicationToReviewTask -benchtime 3000x ./cmd/credo/
	$(GO) test -run '^$$' -bench ImportLoanApplications -benchtime 20000x ./cmd/credo/
	CREDO_REPORT_BENCH_RECORDS=$${CREDO_REPORT_BENCH_RECORDS:-100000} $(GO) test -run '^$$' -bench Cockpit -benchtime 1x -timeout 60m ./runtime/report/
	./scripts/bench.sh
	cd frontend && CREDO_BIN=../$(BIN)/credo npm run bench

vet: ## go vet every module
	$(GO) vet ./...
	cd $(FERRET_MOD) && $(GO) vet ./...
	for m in $(SDK_MODS); do (cd $$m && $(GO) vet ./...) || exit 1; done

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

lint: vet ## vet plus gofmt check
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

clean: ## remove build output and the local database
	rm -rf $(BIN) data
