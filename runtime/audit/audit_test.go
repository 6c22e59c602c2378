package audit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

func newTestScope(t *testing.T, tenant string) (store.Backend, store.Scope) {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: t.TempDir() + "/audit.db"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	sc, err := b.Scope(tenant)
	require.NoError(t, err)
	return b, sc
}

func appendN(t *testing.T, l *audit.Log, sc store.Scope, n int) {
	t.Helper()
	for i := range n {
		_, err := l.Append(context.Background(), sc, audit.Entry{
			Actor: "u1", Action: audit.ActionUpdate, Object: fmt.Sprintf("form:loan/record:%d", i),
			Diff:   map[string]audit.Change{"amount": {From: json.Number("9007199254740993"), To: 1500.25}},
			Detail: map[string]any{"unmasked": []any{"id_number"}},
		})
		require.NoError(t, err)
	}
}

func TestChainVerifies(t *testing.T) {
	_, sc := newTestScope(t, "acme")
	l := audit.New(nil)
	appendN(t, l, sc, 30)
	r, err := audit.Verify(context.Background(), sc)
	require.NoError(t, err)
	assert.True(t, r.OK(), "%v", r.Problems)
	assert.EqualValues(t, 30, r.Entries)
	assert.EqualValues(t, 30, r.HeadSeq)
	assert.Len(t, r.HeadHash, 64)
}

func TestTamperingIsDetected(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		tamper func(t *testing.T, coll store.Collection)
		want   string
	}{
		{"altered field", func(t *testing.T, coll store.Collection) {
			d, err := coll.Get(ctx, fmt.Sprintf("%020d", 5))
			require.NoError(t, err)
			d.Data["actor"] = "someone-else"
			require.NoError(t, coll.Update(ctx, d))
		}, "altered"},
		{"altered diff value", func(t *testing.T, coll store.Collection) {
			d, err := coll.Get(ctx, fmt.Sprintf("%020d", 7))
			require.NoError(t, err)
			d.Data["diff"].(map[string]any)["amount"].(map[string]any)["to"] = json.Number("1500.26")
			require.NoError(t, coll.Update(ctx, d))
		}, "altered"},
		{"removed entry", func(t *testing.T, coll store.Collection) {
			require.NoError(t, coll.Delete(ctx, fmt.Sprintf("%020d", 3), 0))
		}, "missing"},
		{"rehashed after edit", func(t *testing.T, coll store.Collection) {
			// An attacker who recomputes the edited entry's own hash still breaks the link
			// from the next entry.
			d, err := coll.Get(ctx, fmt.Sprintf("%020d", 4))
			require.NoError(t, err)
			d.Data["hash"] = "0000000000000000000000000000000000000000000000000000000000000000"
			require.NoError(t, coll.Update(ctx, d))
		}, "link"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, sc := newTestScope(t, "acme")
			appendN(t, audit.New(nil), sc, 10)
			tc.tamper(t, sc.Collection(audit.Collection))
			r, err := audit.Verify(ctx, sc)
			require.NoError(t, err)
			require.False(t, r.OK())
			found := false
			for _, p := range r.Problems {
				if assert.NotEmpty(t, p.Message) && strings.Contains(p.Message, tc.want) {
					found = true
				}
			}
			assert.True(t, found, "want a problem mentioning %q, got %v", tc.want, r.Problems)
		})
	}
}

func TestTruncationDetectedByAnchor(t *testing.T) {
	ctx := context.Background()
	_, sc := newTestScope(t, "acme")
	l := audit.New(nil)
	appendN(t, l, sc, 10)
	r, err := audit.Verify(ctx, sc)
	require.NoError(t, err)
	anchor, err := audit.ParseAnchor(fmt.Sprintf("%d:%s", r.HeadSeq, r.HeadHash))
	require.NoError(t, err)
	require.NoError(t, sc.Collection(audit.Collection).Delete(ctx, fmt.Sprintf("%020d", 10), 0))

	plain, err := audit.Verify(ctx, sc)
	require.NoError(t, err)
	assert.True(t, plain.OK(), "a cut tail alone leaves a valid shorter chain")
	anchored, err := audit.Verify(ctx, sc, anchor)
	require.NoError(t, err)
	assert.False(t, anchored.OK())
}

func TestConcurrentAppendsStayLinear(t *testing.T) {
	_, sc := newTestScope(t, "acme")
	l := audit.New(nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				_, err := l.Append(context.Background(), sc, audit.Entry{Actor: "u", Action: audit.ActionView, Object: "form:x/record:1"})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	r, err := audit.Verify(context.Background(), sc)
	require.NoError(t, err)
	assert.True(t, r.OK(), "%v", r.Problems)
	assert.EqualValues(t, 200, r.Entries)
}

func TestTenantsHaveSeparateChains(t *testing.T) {
	b, a := newTestScope(t, "acme")
	other, err := b.Scope("globex")
	require.NoError(t, err)
	l := audit.New(nil)
	appendN(t, l, a, 3)
	appendN(t, l, other, 5)
	ra, err := audit.Verify(context.Background(), a)
	require.NoError(t, err)
	rb, err := audit.Verify(context.Background(), other)
	require.NoError(t, err)
	assert.EqualValues(t, 3, ra.Entries)
	assert.EqualValues(t, 5, rb.Entries)
}

func TestListFilters(t *testing.T) {
	ctx := context.Background()
	_, sc := newTestScope(t, "acme")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { now = now.Add(time.Minute); return now }
	l := audit.New(clock)
	for i := range 6 {
		action := audit.ActionView
		if i%2 == 0 {
			action = audit.ActionUpdate
		}
		_, err := l.Append(ctx, sc, audit.Entry{Actor: fmt.Sprintf("u%d", i%3), Action: action, Object: fmt.Sprintf("form:f%d/record:1", i%2)})
		require.NoError(t, err)
	}
	page, err := l.List(ctx, sc, audit.ListQuery{Action: audit.ActionUpdate})
	require.NoError(t, err)
	require.Len(t, page.Entries, 3)
	assert.EqualValues(t, 5, page.Entries[0].Seq, "newest first")

	page, err = l.List(ctx, sc, audit.ListQuery{ObjectPrefix: "form:f1/"})
	require.NoError(t, err)
	assert.Len(t, page.Entries, 3)

	from := time.Date(2026, 11, 23, 9, 3, 0, 0, time.UTC)
	page, err = l.List(ctx, sc, audit.ListQuery{From: from})
	require.NoError(t, err)
	assert.Len(t, page.Entries, 4, "minutes 3..6 inclusive of from")

	var seen []int64
	q := audit.ListQuery{Limit: 4}
	for {
		page, err := l.List(ctx, sc, q)
		require.NoError(t, err)
		for _, e := range page.Entries {
			seen = append(seen, e.Seq)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	assert.Equal(t, []int64{6, 5, 4, 3, 2, 1}, seen)
}

// Structs in Detail are stored as maps with sorted keys; the hash must cover that form.
func TestStructDetailsVerify(t *testing.T) {
	_, sc := newTestScope(t, "acme")
	type perm struct {
		Object string `json:"object"`
		Action string `json:"action"`
	}
	_, err := audit.New(nil).Append(context.Background(), sc, audit.Entry{Actor: "u", Action: audit.ActionPolicyChange, Object: "role:x",
		Detail: map[string]any{"after": []perm{{"form:loan", "read"}}}})
	require.NoError(t, err)
	r, err := audit.Verify(context.Background(), sc)
	require.NoError(t, err)
	assert.True(t, r.OK(), "%v", r.Problems)
}

// A lost or lagging head pointer (a writer that died between its two writes) must not
// break the chain: the next append collides, re-reads the entries and repairs it.
func TestLaggingHeadPointerIsRepaired(t *testing.T) {
	ctx := context.Background()
	_, sc := newTestScope(t, "acme")
	l := audit.New(nil)
	appendN(t, l, sc, 3)
	heads := sc.Collection(audit.HeadCollection)
	d, err := heads.Get(ctx, "head")
	require.NoError(t, err)
	d.Data["seq"] = json.Number("1")
	require.NoError(t, heads.Update(ctx, d))
	appendN(t, l, sc, 2)
	require.NoError(t, heads.Delete(ctx, "head", 0))
	appendN(t, l, sc, 2)

	r, err := audit.Verify(ctx, sc)
	require.NoError(t, err)
	assert.True(t, r.OK(), "%v", r.Problems)
	assert.EqualValues(t, 7, r.Entries)
	d, err = heads.Get(ctx, "head")
	require.NoError(t, err)
	assert.Equal(t, json.Number("7"), d.Data["seq"])
}
