package list_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

const (
	acme   = "acme-credit"
	globex = "globex"
	phones = "blacklist.phone"
)

var admin = list.Actor{UserID: "u-admin", Client: "127.0.0.1", RequestID: "req-1"}

func newTestStore(t testing.TB) store.Backend {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func newTestService(t testing.TB) (*list.Service, store.Backend) {
	t.Helper()
	b := newTestStore(t)
	return list.NewService(b, audit.New(nil)), b
}

func entries(values ...string) []list.Entry {
	out := make([]list.Entry, len(values))
	for i, v := range values {
		out[i] = list.Entry{Value: v}
	}
	return out
}

func auditEntries(t *testing.T, b store.Backend, tenant string) []*audit.Entry {
	t.Helper()
	sc, err := b.Scope(tenant)
	require.NoError(t, err)
	page, err := audit.New(nil).List(context.Background(), sc, audit.ListQuery{ObjectPrefix: "list:", Limit: 1000})
	require.NoError(t, err)
	return page.Entries
}

func TestValidName(t *testing.T) {
	cases := []struct {
		name string
		ok   bool
	}{
		{"blacklist.id_number", true},
		{"overdue.phone", true},
		{"vip", true},
		{"watch.device.v2", true},
		{"", false},
		{"Blacklist.phone", false},
		{"blacklist..phone", false},
		{"blacklist.", false},
		{".phone", false},
		{"1list", false},
		{"black-list", false},
		{"black list", false},
		{"blacklist.2phone", false},
		{strings.Repeat("a", list.MaxNameLength), true},
		{strings.Repeat("a", list.MaxNameLength+1), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.ok, list.ValidName(c.name))
		})
	}
	s, _ := newTestService(t)
	_, err := s.Add(context.Background(), acme, "Bad Name", entries("x"), admin)
	assert.ErrorIs(t, err, list.ErrInvalidName)
	_, err = s.Contains(context.Background(), acme, "bad/name", []string{"x"})
	assert.ErrorIs(t, err, list.ErrInvalidName)
}

func TestAddIsIdempotent(t *testing.T) {
	s, b := newTestService(t)
	ctx := context.Background()
	res, err := s.Add(ctx, acme, phones, []list.Entry{
		{Value: " 13800000001 ", Note: "  fraud ring  "},
		{Value: "13800000002"},
		{Value: "13800000001", Note: "repeated in the batch"},
	}, admin)
	require.NoError(t, err)
	assert.Equal(t, list.AddResult{Added: 2, Unchanged: 0}, *res)

	res, err = s.Add(ctx, acme, phones, []list.Entry{{Value: "13800000001", Note: "other note"}, {Value: "13800000003"}}, admin)
	require.NoError(t, err)
	assert.Equal(t, list.AddResult{Added: 1, Unchanged: 1}, *res)

	it, err := s.Get(ctx, acme, phones, "13800000001")
	require.NoError(t, err)
	assert.Equal(t, "13800000001", it.Value, "stored trimmed")
	assert.Equal(t, "fraud ring", it.Note, "an existing value keeps its note")
	assert.Equal(t, admin.UserID, it.AddedBy)
	assert.Equal(t, list.EntryID(phones, "13800000001"), it.ID)
	assert.False(t, it.AddedAt.IsZero())

	res, err = s.Add(ctx, acme, phones, entries("13800000002", "13800000003"), admin)
	require.NoError(t, err)
	assert.Equal(t, list.AddResult{Added: 0, Unchanged: 2}, *res)
	assert.Len(t, auditEntries(t, b, acme), 2, "adding nothing new writes no audit entry")
}

func TestAddRefusesABadBatchWhole(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		batch []list.Entry
		paths []string
	}{
		{"empty batch", nil, []string{"/values"}},
		{"too many", entries(make([]string, list.MaxBatch+1)...), []string{"/values"}},
		{"bad entries", []list.Entry{
			{Value: "ok"},
			{Value: "   "},
			{Value: strings.Repeat("号", list.MaxValueLength+1)},
			{Value: "fine", Note: strings.Repeat("n", list.MaxNoteLength+1)},
			{Value: "tab\tinside"},
		}, []string{"/values/1/value", "/values/2/value", "/values/3/note", "/values/4/value"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Add(ctx, acme, phones, c.batch, admin)
			var ve *list.ValidationError
			require.ErrorAs(t, err, &ve)
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Path)
				assert.NotEmpty(t, p.Code)
				assert.NotEmpty(t, p.Message)
			}
			assert.Equal(t, c.paths, got)
		})
	}
	_, err := s.Add(ctx, acme, phones, entries(strings.Repeat("号", list.MaxValueLength)), admin)
	assert.NoError(t, err, "the limit counts characters, not bytes")
	page, err := s.Entries(ctx, acme, phones, "", 0)
	require.NoError(t, err)
	assert.Len(t, page.Entries, 1, "nothing of a refused batch was stored")
}

func TestContains(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	_, err := s.Add(ctx, acme, phones, entries("13800000001", "13800000002", "a/b c"), admin)
	require.NoError(t, err)
	_, err = s.Add(ctx, acme, "blacklist.id_number", entries("13800000009"), admin)
	require.NoError(t, err)

	cases := []struct {
		name   string
		values []string
		want   []string
	}{
		{"subset in the caller's order", []string{"13800000002", "13900000000", "13800000001"}, []string{"13800000002", "13800000001"}},
		{"values are trimmed, returned as given", []string{" 13800000001\n"}, []string{" 13800000001\n"}},
		{"each value once", []string{"13800000001", "13800000001"}, []string{"13800000001"}},
		{"another list's value is not on this one", []string{"13800000009"}, []string{}},
		{"impossible values are not found", []string{"", "  ", strings.Repeat("x", 500)}, []string{}},
		{"nothing asked", nil, []string{}},
		{"special characters", []string{"a/b c"}, []string{"a/b c"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.Contains(ctx, acme, phones, c.values)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
	t.Run("more values than one query carries", func(t *testing.T) {
		var many []string
		want := []string{}
		for i := range 450 {
			v := fmt.Sprintf("139%08d", i)
			many = append(many, v)
			if i%7 == 0 {
				want = append(want, v)
			}
		}
		_, err := s.Add(ctx, acme, phones, entries(want...), admin)
		require.NoError(t, err)
		got, err := s.Contains(ctx, acme, phones, many)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	})
}

func TestEntriesPagesInValueOrder(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	var all []string
	for i := range 23 {
		all = append(all, fmt.Sprintf("v%03d", (i*7)%23))
	}
	_, err := s.Add(ctx, acme, phones, entries(all...), admin)
	require.NoError(t, err)
	_, err = s.Add(ctx, acme, "overdue.phone", entries("v000", "v100"), admin)
	require.NoError(t, err)

	var got []string
	cursor, pages := "", 0
	for {
		page, err := s.Entries(ctx, acme, phones, cursor, 5)
		require.NoError(t, err)
		pages++
		for _, it := range page.Entries {
			assert.Equal(t, phones, it.List)
			got = append(got, it.Value)
		}
		if page.Next == "" {
			break
		}
		require.Less(t, pages, 10, "paging does not end")
		cursor = page.Next
	}
	assert.Equal(t, 5, pages)
	require.Len(t, got, 23)
	for i := range got {
		assert.Equal(t, fmt.Sprintf("v%03d", i), got[i])
	}

	_, err = s.Entries(ctx, acme, phones, "not-a-cursor", 5)
	assert.ErrorIs(t, err, store.ErrInvalid)
	empty, err := s.Entries(ctx, acme, "never.used", "", 0)
	require.NoError(t, err)
	assert.Empty(t, empty.Entries)
	assert.Empty(t, empty.Next)
}

func TestListsCountsPerName(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	_, err := s.Add(ctx, acme, phones, entries("1", "2", "3"), admin)
	require.NoError(t, err)
	_, err = s.Add(ctx, acme, "blacklist.id_number", entries("x"), admin)
	require.NoError(t, err)
	_, err = s.Add(ctx, globex, phones, entries("9"), admin)
	require.NoError(t, err)
	got, err := s.Lists(ctx, acme)
	require.NoError(t, err)
	assert.Equal(t, []list.Summary{{Name: "blacklist.id_number", Count: 1}, {Name: phones, Count: 3}}, got)
}

func TestRemove(t *testing.T) {
	s, b := newTestService(t)
	ctx := context.Background()
	_, err := s.Add(ctx, acme, phones, entries("13800000001", "13800000002"), admin)
	require.NoError(t, err)
	require.NoError(t, s.Remove(ctx, acme, phones, " 13800000001 ", admin))
	_, err = s.Get(ctx, acme, phones, "13800000001")
	assert.ErrorIs(t, err, list.ErrNotFound)
	assert.ErrorIs(t, s.Remove(ctx, acme, phones, "13800000001", admin), list.ErrNotFound)
	assert.ErrorIs(t, s.Remove(ctx, acme, phones, "", admin), store.ErrNotFound)
	got, err := s.Contains(ctx, acme, phones, []string{"13800000001", "13800000002"})
	require.NoError(t, err)
	assert.Equal(t, []string{"13800000002"}, got)

	es := auditEntries(t, b, acme)
	require.Len(t, es, 2, "one add, one removal; the failed removal wrote nothing")
	del := es[0] // newest first
	assert.Equal(t, audit.ActionDelete, del.Action)
	assert.Equal(t, "list:"+phones, del.Object)
	assert.Equal(t, admin.UserID, del.Actor)
	assert.Equal(t, admin.RequestID, del.RequestID)
	raw, err := json.Marshal(del.Detail)
	require.NoError(t, err)
	assert.Contains(t, string(raw), list.EntryID(phones, "13800000001"))
	assert.Contains(t, string(raw), "13*******01")
}

func TestTheAuditLogNamesValuesMasked(t *testing.T) {
	s, b := newTestService(t)
	ctx := context.Background()
	_, err := s.Add(ctx, acme, "blacklist.id_number", entries("110101199003071234", "11010119900307567X"), admin)
	require.NoError(t, err)
	es := auditEntries(t, b, acme)
	require.Len(t, es, 1)
	e := es[0]
	assert.Equal(t, audit.ActionUpdate, e.Action)
	assert.Equal(t, "list:blacklist.id_number", e.Object)
	raw, err := json.Marshal(e.Detail)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "110101199003071234")
	assert.NotContains(t, string(raw), "11010119900307567X")
	assert.Contains(t, string(raw), "110***********1234")
	assert.Contains(t, string(raw), list.EntryID("blacklist.id_number", "110101199003071234"))

	sc, err := b.Scope(acme)
	require.NoError(t, err)
	r, err := audit.Verify(ctx, sc)
	require.NoError(t, err)
	assert.True(t, r.OK(), "%v", r.Problems)
}

func TestMask(t *testing.T) {
	cases := map[string]string{
		"":                   "",
		"a":                  "*",
		"abcd":               "a**d",
		"13812345678":        "13*******78",
		"110101199003071234": "110***********1234",
		"张伟先生":               "张**生",
	}
	for in, want := range cases {
		assert.Equal(t, want, list.Mask(in), in)
	}
}

func TestTenantsNeverSeeEachOthersLists(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	_, err := s.Add(ctx, acme, phones, entries("13800000001"), admin)
	require.NoError(t, err)

	got, err := s.Contains(ctx, globex, phones, []string{"13800000001"})
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = s.Get(ctx, globex, phones, "13800000001")
	assert.ErrorIs(t, err, list.ErrNotFound)
	page, err := s.Entries(ctx, globex, phones, "", 0)
	require.NoError(t, err)
	assert.Empty(t, page.Entries)
	assert.ErrorIs(t, s.Remove(ctx, globex, phones, "13800000001", admin), list.ErrNotFound)
	got, err = s.Contains(ctx, acme, phones, []string{"13800000001"})
	require.NoError(t, err)
	assert.Equal(t, []string{"13800000001"}, got, "the other tenant's removal touched nothing")
}

func TestConcurrentAddsOfTheSameValues(t *testing.T) {
	s, b := newTestService(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := s.Add(ctx, acme, phones, entries("1", "2", "3", "4"), admin)
			if !assert.NoError(t, err) {
				return
			}
			mu.Lock()
			added += res.Added
			mu.Unlock()
		}()
	}
	wg.Wait()
	assert.Equal(t, 4, added, "each value is added exactly once")
	ls, err := s.Lists(ctx, acme)
	require.NoError(t, err)
	assert.Equal(t, []list.Summary{{Name: phones, Count: 4}}, ls)
	var n int
	for _, e := range auditEntries(t, b, acme) {
		c, _ := e.Detail["count"].(json.Number).Int64()
		n += int(c)
	}
	assert.Equal(t, 4, n, "the audit log accounts for every added value once")
}

func TestAnActorIsRequired(t *testing.T) {
	s, _ := newTestService(t)
	_, err := s.Add(context.Background(), acme, phones, entries("1"), list.Actor{})
	assert.Error(t, err)
	assert.Error(t, s.Remove(context.Background(), acme, phones, "1", list.Actor{}))
}
