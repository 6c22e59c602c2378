package list_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/list"
)

// BenchmarkAdd1000 adds one full batch of new values (one request's worth) per op.
func BenchmarkAdd1000(b *testing.B) {
	s, _ := newTestService(b)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		batch := make([]list.Entry, list.MaxBatch)
		for i := range batch {
			batch[i] = list.Entry{Value: fmt.Sprintf("1%010d", n)}
			n++
		}
		res, err := s.Add(ctx, acme, phones, batch, admin)
		require.NoError(b, err)
		require.Equal(b, list.MaxBatch, res.Added)
	}
}

// BenchmarkContains asks about 10 values (a plugin's typical lookup) on a list of 100 000.
func BenchmarkContains(b *testing.B) {
	s, _ := newTestService(b)
	ctx := context.Background()
	for chunk := range 100 {
		batch := make([]list.Entry, list.MaxBatch)
		for i := range batch {
			batch[i] = list.Entry{Value: fmt.Sprintf("138%08d", chunk*list.MaxBatch+i)}
		}
		_, err := s.Add(ctx, acme, phones, batch, admin)
		require.NoError(b, err)
	}
	ask := make([]string, 10)
	for i := range ask {
		ask[i] = fmt.Sprintf("138%08d", i*9_997) // half on the list, half not
		if i%2 == 1 {
			ask[i] = fmt.Sprintf("139%08d", i)
		}
	}
	for b.Loop() {
		found, err := s.Contains(ctx, acme, phones, ask)
		require.NoError(b, err)
		require.Len(b, found, 5)
	}
}
