package mongo_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	driver "go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/mongo"
	"github.com/credolabs/credo/store/storetest"
)

// TestConformance runs the store conformance suite against the real MongoDB named by
// MONGODB_URI, in a database of its own that is dropped afterwards. Without the variable
// there is no server to talk to; the suite also runs on embedded FerretDB in the
// store/mongo/ferretdbtest module.
func TestConformance(t *testing.T) {
	uri := os.Getenv("MONGODB_URI")
	if uri == "" {
		t.Skip("MONGODB_URI is not set: no MongoDB to run the conformance suite against (the ferretdbtest module runs it on embedded FerretDB)")
	}
	db := testDatabase(t, uri)
	open := func(t *testing.T) *mongo.Backend {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		b, err := mongo.Open(ctx, mongo.Config{URI: uri, Database: db})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, b.Close()) })
		return b
	}
	storetest.Run(t, storetest.Options{
		New:          func(t *testing.T) store.Backend { return open(t) },
		Transactions: open(t).Transactions(),
	})
}

// testDatabase names a fresh database and drops it when the test ends.
func testDatabase(t *testing.T, uri string) string {
	t.Helper()
	b := make([]byte, 6)
	_, err := rand.Read(b)
	require.NoError(t, err)
	name := "credo_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		client, err := driver.Connect(ctx, options.Client().ApplyURI(uri))
		require.NoError(t, err)
		defer func() { _ = client.Disconnect(ctx) }()
		require.NoError(t, client.Database(name).Drop(ctx))
	})
	return name
}
