package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/webhook"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

func open(t *testing.T) store.Backend {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func status(t *testing.T, b store.Backend, id string) map[string]any {
	t.Helper()
	sc, err := b.Scope("acme")
	require.NoError(t, err)
	d, err := sc.Collection(webhook.QueueCollection).Get(context.Background(), id)
	require.NoError(t, err)
	return d.Data
}

func TestPrivateAddressesAreRefused(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("reached") }))
	defer srv.Close()
	b := open(t)
	s := webhook.New(b, webhook.Options{})
	require.NoError(t, s.Enqueue(ctx, "acme", srv.URL, "d1", map[string]any{"x": 1}))
	n, err := s.SendDue(ctx, "acme")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Contains(t, status(t, b, "d1")["error"], "loopback, private or link-local")
}

func TestFailuresBackOffThenGiveUp(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := open(t)
	s := webhook.New(b, webhook.Options{AllowPrivate: true, MaxAttempts: 3, Now: func() time.Time { return now }})
	require.NoError(t, s.Enqueue(ctx, "acme", srv.URL, "d1", map[string]any{"x": 1}))
	require.NoError(t, s.Enqueue(ctx, "acme", srv.URL, "d1", map[string]any{"x": 2}), "queueing an id again is a no-op")
	for i := range 3 {
		n, err := s.SendDue(ctx, "acme")
		require.NoError(t, err)
		assert.Equal(t, 1, n, "attempt %d", i+1)
		n, err = s.SendDue(ctx, "acme")
		require.NoError(t, err)
		assert.Zero(t, n, "not due again before its backoff")
		now = now.Add(7 * time.Hour)
	}
	d := status(t, b, "d1")
	assert.Equal(t, webhook.Failed, d["status"])
	assert.Contains(t, d["error"], "502")
	assert.Equal(t, int32(3), calls.Load())
}
