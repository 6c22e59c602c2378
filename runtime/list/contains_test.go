package list_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/store/storetest"
)

func TestContainsAll(t *testing.T) {
	cb := &storetest.Counting{Backend: newTestStore(t)}
	finds := &cb.Finds
	s := list.NewService(cb, audit.New(nil))
	ctx := context.Background()
	for name, values := range map[string][]string{
		phones:                {"13800000001", "13800000002", "a/b c"},
		"overdue.phone":       {"13800000002", "13800000003"},
		"blacklist.id_number": {"110101199003070011"},
	} {
		_, err := s.Add(ctx, acme, name, entries(values...), admin)
		require.NoError(t, err)
	}
	_, err := s.Add(ctx, globex, phones, entries("13800000009"), admin)
	require.NoError(t, err)

	qs := []list.Question{
		{List: phones, Values: []string{"13800000002", "13900000000", "13800000001"}},
		{List: "overdue.phone", Values: []string{"13800000001", "13800000002", "13800000003"}}, // 02 is on both lists
		{List: phones, Values: []string{" 13800000001\n", "13800000001", "13800000001"}},       // trimmed, each once
		{List: "blacklist.id_number", Values: []string{"", "  ", strings.Repeat("x", 500), "110101199003070011"}},
		{List: "blacklist.device_id", Values: []string{"d-1"}}, // a list nobody added to
		{List: phones, Values: nil},
		{List: phones, Values: []string{"13800000009"}}, // on globex's list only
		{List: phones, Values: []string{"a/b c", "13800000002"}},
	}
	finds.Store(0)
	got, err := s.ContainsAll(ctx, acme, qs)
	require.NoError(t, err)
	assert.EqualValues(t, 1, finds.Load(), "one store read for every question")
	want := [][]string{
		{"13800000002", "13800000001"},
		{"13800000002", "13800000003"},
		{" 13800000001\n", "13800000001"},
		{"110101199003070011"},
		{},
		{},
		{},
		{"a/b c", "13800000002"},
	}
	assert.Equal(t, want, got)
	for i, q := range qs {
		one, err := s.Contains(ctx, acme, q.List, q.Values)
		require.NoError(t, err)
		assert.Equal(t, one, got[i], "question %d answers as Contains does", i)
	}

	t.Run("nothing to look up asks the store nothing", func(t *testing.T) {
		finds.Store(0)
		got, err := s.ContainsAll(ctx, acme, []list.Question{{List: phones}, {List: "overdue.phone", Values: []string{""}}})
		require.NoError(t, err)
		assert.Equal(t, [][]string{{}, {}}, got)
		got, err = s.ContainsAll(ctx, acme, nil)
		require.NoError(t, err)
		assert.Empty(t, got)
		assert.Zero(t, finds.Load())
	})

	t.Run("an invalid list name fails the whole call before the store is asked", func(t *testing.T) {
		finds.Store(0)
		_, err := s.ContainsAll(ctx, acme, []list.Question{{List: phones, Values: []string{"13800000001"}}, {List: "Bad Name", Values: []string{"1"}}})
		assert.ErrorIs(t, err, list.ErrInvalidName)
		_, oneErr := s.Contains(ctx, acme, "Bad Name", []string{"1"})
		assert.Equal(t, oneErr.Error(), err.Error())
		assert.Zero(t, finds.Load())
	})

	t.Run("more values than one query carries", func(t *testing.T) {
		// 20 questions of 100 values, as many as a plugin's Lookup may ask: 2,000 entry ids.
		var qs []list.Question
		var listed []string
		for i := range 20 {
			q := list.Question{List: phones}
			for j := range 100 {
				v := fmt.Sprintf("137%08d", i*100+j)
				q.Values = append(q.Values, v)
				if (i*100+j)%13 == 0 {
					listed = append(listed, v)
				}
			}
			qs = append(qs, q)
		}
		_, err := s.Add(ctx, acme, phones, entries(listed...), admin)
		require.NoError(t, err)
		finds.Store(0)
		got, err := s.ContainsAll(ctx, acme, qs)
		require.NoError(t, err)
		assert.EqualValues(t, 10, finds.Load(), "one read per 200 ids")
		n := 0
		for i, q := range qs {
			one, err := s.Contains(ctx, acme, q.List, q.Values)
			require.NoError(t, err)
			assert.Equal(t, one, got[i])
			n += len(got[i])
		}
		assert.Equal(t, len(listed), n)
	})
}
