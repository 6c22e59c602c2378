package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
	"github.com/credolabs/credo/store/storetest"
)

// newTestBackend opens a backend at path and closes it when the test ends.
func newTestBackend(t *testing.T, path string) *sqlite.Backend {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	return b
}

func TestConformance(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		// One database for every case, as a deployment has: cases use their own tenants.
		b := newTestBackend(t, filepath.Join(t.TempDir(), "credo.db"))
		storetest.Run(t, storetest.Options{
			New:          func(*testing.T) store.Backend { return b },
			Transactions: true,
		})
	})
	t.Run("memory", func(t *testing.T) {
		storetest.Run(t, storetest.Options{
			New:          func(t *testing.T) store.Backend { return newTestBackend(t, sqlite.MemoryPath) },
			Transactions: true,
		})
	})
}
