// Package ferretdbtest runs FerretDB v1 (SQLite handler) inside the test process, so the
// MongoDB backend is tested over the real wire protocol without a database server.
//
// It is its own Go module so FerretDB's dependency graph never enters the main module.
// Start gives a test a fresh server on a free 127.0.0.1 port, stopped on cleanup; Serve
// is the same for programs. The module's tests run the store conformance suite against
// the MongoDB backend on embedded FerretDB (a database per case) and, when MONGODB_URI
// is set, against that deployment too, with transactions when it has them.
//
// Test suites of the main module, which cannot import this module, reach the backend
// over the wire through cmd/ferretdb-dev: build it from this directory and start it
//
//	go build -o /tmp/ferretdb-dev ./cmd/ferretdb-dev
//	/tmp/ferretdb-dev -addr 127.0.0.1:0 -dir "$(mktemp -d)"
//
// then read the mongodb:// URI from the first line it prints; SIGINT or SIGTERM stops
// it (a signal sent to "go run" would not reach it).
//
// FerretDB v1 is a correctness stand-in, never a performance reference: it has no
// multi-document transactions, no change streams, no $lookup or $facet, only $sum and
// $count in $group (and computes only the first accumulator of a $group), no partial
// indexes, no atomic filtered update (it reads, then writes), and it scans collections
// instead of using secondary indexes. The backend's probes and portable formulations
// cover each of these.
package ferretdbtest
