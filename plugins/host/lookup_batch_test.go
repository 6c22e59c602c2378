package host

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// batchingLookup answers like recordingLookup, question by question underneath, and
// records each batch it is handed.
type batchingLookup struct {
	*recordingLookup
	batches []string
	short   bool // answer one question fewer than asked
}

func (l *batchingLookup) ListsContain(ctx context.Context, tenant string, qs []ListQuestion) ([][]string, error) {
	l.batches = append(l.batches, fmt.Sprintf("%s lists %d", tenant, len(qs)))
	var out [][]string
	for _, q := range qs {
		found, err := l.recordingLookup.ListContains(ctx, tenant, q.List, q.Values)
		if err != nil {
			return nil, err
		}
		out = append(out, found)
	}
	if l.short {
		out = out[1:]
	}
	return out, nil
}

func (l *batchingLookup) Counts(ctx context.Context, tenant string, qs []CountQuestion) ([]int64, error) {
	l.batches = append(l.batches, fmt.Sprintf("%s counts %d", tenant, len(qs)))
	var out []int64
	for _, q := range qs {
		n, err := l.recordingLookup.Count(ctx, tenant, q.Form, q.Field, q.Value, q.Since)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// TestLookupInBatches: a Lookup that answers in batches gets each kind of question in one
// call, and the plugin reads the same answers and errors as from one question at a time.
func TestLookupInBatches(t *testing.T) {
	one := newRecordingLookup()
	batched := &batchingLookup{recordingLookup: newRecordingLookup()}
	for _, lk := range []*recordingLookup{one, batched.recordingLookup} {
		lk.lists["acme/blacklist.phone/138"] = true
		lk.lists["acme/overdue.phone/138"] = true
		lk.counts["acme/loan/phone/138"] = 4
		lk.counts["acme/loan/id/110"] = 2
	}
	s1, s2 := newHostService(one), newHostService(batched)
	require.Nil(t, s1.batch)
	require.NotNil(t, s2.batch)
	for _, s := range []*hostService{s1, s2} {
		s.begin("c1", "acme")
	}
	ctx := context.Background()
	req := &pluginpb.LookupRequest{CallId: "c1",
		Lists: []*pluginpb.ListQuery{
			{List: "blacklist.phone", Values: []string{"139", "138"}},
			{List: "overdue.phone", Values: []string{"138"}},
			{List: "blacklist.device", Values: []string{"d1"}},
		},
		Counts: []*pluginpb.CountQuery{
			{Form: "loan", Field: "phone", Value: "138", WindowSeconds: 24 * 3600},
			{Form: "loan", Field: "id", Value: "110", WindowSeconds: 7 * 24 * 3600},
		},
	}
	want, err := s1.Lookup(ctx, req)
	require.NoError(t, err)
	got, err := s2.Lookup(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, want.String(), got.String())
	assert.Equal(t, []int64{4, 2}, got.Counts)
	assert.Equal(t, []string{"acme lists 3", "acme counts 2"}, batched.batches)
	assert.Equal(t, []string{"acme count loan.phone 24h0m0s", "acme count loan.id 168h0m0s"}, batched.questions()[3:],
		"windows from the host's clock")

	t.Run("a kind with no questions is not asked", func(t *testing.T) {
		batched.batches = nil
		r, err := s2.Lookup(ctx, &pluginpb.LookupRequest{CallId: "c1", Counts: req.Counts})
		require.NoError(t, err)
		assert.Empty(t, r.Lists)
		assert.Equal(t, []string{"acme counts 2"}, batched.batches)
		r, err = s2.Lookup(ctx, &pluginpb.LookupRequest{CallId: "c1"})
		require.NoError(t, err)
		assert.Empty(t, r.Lists)
		assert.Empty(t, r.Counts)
	})

	t.Run("refused before the store is asked", func(t *testing.T) {
		batched.batches = nil
		_, err := s2.Lookup(ctx, &pluginpb.LookupRequest{CallId: "c1", Lists: req.Lists,
			Counts: []*pluginpb.CountQuery{{Form: "loan", Field: "phone", Value: "138", WindowSeconds: 0}}})
		assert.Equal(t, codes.InvalidArgument, status.Code(err))
		assert.Empty(t, batched.batches)
	})

	t.Run("failures read as before", func(t *testing.T) {
		for _, key := range []string{"overdue.phone", "id"} {
			one.fail[key] = errors.New("database is locked")
			batched.fail[key] = errors.New("database is locked")
			_, want := s1.Lookup(ctx, req)
			_, got := s2.Lookup(ctx, req)
			require.Error(t, got)
			assert.Equal(t, status.Convert(want).Proto().String(), status.Convert(got).Proto().String())
			delete(one.fail, key)
			delete(batched.fail, key)
		}
	})

	t.Run("a batch answering the wrong number of questions fails the lookup", func(t *testing.T) {
		batched.short = true
		t.Cleanup(func() { batched.short = false })
		r, err := s2.Lookup(ctx, req)
		assert.Nil(t, r)
		assert.Equal(t, codes.Internal, status.Code(err))
		assert.Contains(t, status.Convert(err).Message(), "2 answers to 3 questions")
	})
}

var _ BatchLookup = (*batchingLookup)(nil)

// The one-question methods of a BatchLookup still serve the one-question calls.
func TestBatchLookupServesSingleCalls(t *testing.T) {
	lk := &batchingLookup{recordingLookup: newRecordingLookup()}
	lk.lists["acme/blacklist.phone/138"] = true
	s := newHostService(lk)
	s.begin("c1", "acme")
	r, err := s.ListContains(context.Background(), &pluginpb.ListContainsRequest{CallId: "c1", List: "blacklist.phone", Values: []string{"138"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"138"}, r.Found)
	_, err = s.Count(context.Background(), &pluginpb.CountRequest{CallId: "c1", Form: "loan", Field: "phone", Value: "138", WindowSeconds: 60})
	require.NoError(t, err)
	assert.Empty(t, lk.batches)
}
