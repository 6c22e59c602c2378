package events

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// BenchmarkEmit measures a change committed with its event: a record insert and Emit in
// one transaction, against the same insert alone.
func BenchmarkEmit(b *testing.B) {
	for _, withEvent := range []bool{false, true} {
		name := "record_only"
		if withEvent {
			name = "record_and_event"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			be := newTestBackend(b)
			sc := scopeOf(b, be, newTenant(b))
			records := sc.Collection("records:loan")
			b.ReportAllocs()
			for b.Loop() {
				err := sc.WithTx(ctx, func(ctx context.Context) error {
					rec := &store.Doc{ID: store.NewID(), Data: map[string]any{"amount": 1000, "term": 12}}
					if err := records.Insert(ctx, rec); err != nil {
						return err
					}
					if !withEvent {
						return nil
					}
					_, err := Emit(ctx, sc, Event{Type: "record.created", Subject: "form:loan/record:" + rec.ID, Data: map[string]any{"form_version": 3}})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDispatch measures delivery throughput: events of 4 tenants, each delivered
// to one handler that writes a document, until the outboxes are empty.
func BenchmarkDispatch(b *testing.B) {
	ctx := context.Background()
	be := newTestBackend(b)
	tenants := []string{newTenant(b), newTenant(b), newTenant(b), newTenant(b)}
	reg := NewRegistry()
	require.NoError(b, reg.Subscribe("record.created", "effect", HandlerFunc(func(ctx context.Context, d *Delivery) error {
		return writeEffect(ctx, d.Scope, d.Event.ID, d.Handler)
	})))
	d, err := NewDispatcher(DispatcherConfig{Backend: be, Tenants: fixedTenants(tenants...), Registry: reg,
		Clock: func() time.Time { return time.Now().Add(time.Minute) }})
	require.NoError(b, err)
	scopes := make([]store.Scope, len(tenants))
	for i, t := range tenants {
		scopes[i] = scopeOf(b, be, t)
	}
	_, err = d.Poll(ctx) // indexes
	require.NoError(b, err)

	b.ResetTimer()
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		_, err := Emit(ctx, scopes[i%len(scopes)], Event{Type: "record.created", Subject: "form:loan/record:x"})
		require.NoError(b, err)
	}
	b.StartTimer()
	start := time.Now()
	delivered := 0
	for delivered < b.N {
		st, err := d.Poll(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if st.Events == 0 {
			b.Fatalf("outboxes stalled after %d of %d", delivered, b.N)
		}
		delivered += st.Delivered
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}
