package ferretdbtest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/mongo"
	"github.com/credolabs/credo/store/storetest"
)

// openBackend opens the MongoDB backend on uri for one test and closes it on cleanup.
func openBackend(t *testing.T, uri, database string) *mongo.Backend {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := mongo.Open(ctx, mongo.Config{URI: uri, Database: database})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	return b
}

// TestStoreOnFerretDB runs the conformance suite against the MongoDB backend talking
// the wire protocol to an embedded FerretDB, which has no multi-document transactions.
func TestStoreOnFerretDB(t *testing.T) {
	uri := Start(t)
	require.False(t, openBackend(t, uri, "credo").Transactions(), "FerretDB v1 has no transactions")
	// A database per case: FerretDB scans whole collections, so cases sharing one would
	// slow each other down.
	var cases atomic.Int32
	storetest.Run(t, storetest.Options{
		New: func(t *testing.T) store.Backend {
			return openBackend(t, uri, fmt.Sprintf("case%d", cases.Add(1)))
		},
		Transactions: false,
	})
}

// TestStoreOnMongoDB runs the conformance suite against the MongoDB named by
// MONGODB_URI, with transactions when it is a replica set or a sharded cluster.
func TestStoreOnMongoDB(t *testing.T) {
	uri := os.Getenv("MONGODB_URI")
	if uri == "" {
		t.Skip("MONGODB_URI is not set: no MongoDB to run the conformance suite against")
	}
	db := freshDatabase(t, uri)
	storetest.Run(t, storetest.Options{
		New:          func(t *testing.T) store.Backend { return openBackend(t, uri, db) },
		Transactions: openBackend(t, uri, db).Transactions(),
	})
}
