package storetest

import (
	"testing"

	"github.com/credolabs/credo/store"
)

// Options tells Run how to reach the backend under test and what the engine can do.
type Options struct {
	// New returns the backend a case runs against. Run calls it once per top-level case;
	// it may hand out a fresh backend or the same shared one (every case works in its own
	// freshly named tenants). Run never closes it: register the Close with t.Cleanup.
	New func(t *testing.T) store.Backend
	// Transactions is true when the engine has multi-document transactions, so an error
	// returned from WithTx's fn rolls back every write made with the transaction's ctx.
	// When false, the WithTx cases check that fn's writes persist and its error is
	// returned instead; they run either way.
	Transactions bool
}

// Run runs the whole conformance suite against the backend opts.New returns, one named
// subtest per behaviour.
func Run(t *testing.T, opts Options) {
	t.Helper()
	if opts.New == nil {
		t.Fatal("storetest: Options.New is required")
	}
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newEnv(t, opts))
		})
	}
}

// suiteCase is one top-level behaviour of the suite.
type suiteCase struct {
	name string
	run  func(t *testing.T, e *env)
}

func cases() []suiteCase {
	return []suiteCase{
		{"crud", testCRUD},
		{"insert many", testInsertMany},
		{"pre-encoded body", testBody},
		{"find by ids", testFindIDs},
		{"numbers", testNumbers},
		{"tenant isolation", testIsolation},
		{"invalid input", testInvalid},
		{"filters", testFilters},
		{"sort and paging", testSortAndPaging},
		{"projection and count", testProjectionAndCount},
		{"aggregate", testAggregate},
		{"increment", testIncrement},
		{"increment across collections", testIncrementAcross},
		{"increment on commit", testIncrementOnCommit},
		{"match in Go", testMatch},
		{"indexes", testIndexes},
		{"concurrency", testConcurrency},
		{"transactions", testTx},
	}
}
