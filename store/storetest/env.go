package storetest

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// env is what one case works with: the backend and a way to mint fresh tenants.
type env struct {
	opts    Options
	backend store.Backend
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	b := opts.New(t)
	require.NotNil(t, b, "Options.New returned a nil backend")
	return &env{opts: opts, backend: b}
}

// tenantName returns a valid tenant slug no other case or run uses, so cases may share a
// backend (and a database) without seeing each other's documents.
func tenantName(t *testing.T) string {
	t.Helper()
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 14)
	_, err := rand.Read(b)
	require.NoError(t, err)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "t-" + string(b)
}

// scope returns the scope of a fresh tenant.
func (e *env) scope(t *testing.T) store.Scope {
	t.Helper()
	s, err := e.backend.Scope(tenantName(t))
	require.NoError(t, err)
	return s
}
