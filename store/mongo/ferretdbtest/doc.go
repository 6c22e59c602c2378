// Package ferretdbtest runs FerretDB v1 (SQLite handler) inside the test process, so the
// MongoDB backend is tested over the real wire protocol without a database server.
//
// It is its own Go module so FerretDB's dependency graph never enters the main module.
// Start gives a test a fresh server on a free 127.0.0.1 port, stopped on cleanup; Serve
// is the same for programs (cmd/ferretdb-dev). The module's tests run the store
// conformance suite against the MongoDB backend on embedded FerretDB and, when
// MONGODB_URI is set, against that deployment too.
//
// FerretDB v1 is a correctness stand-in, never a performance reference: it has no
// multi-document transactions, no change streams, no $lookup or $facet, only $sum and
// $count in $group (and computes only the first accumulator of a $group), no partial
// indexes, and it scans collections instead of using secondary indexes.
package ferretdbtest
