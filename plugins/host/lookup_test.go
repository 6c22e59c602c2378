package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// recordingLookup answers like memLookup and records each question with its tenant and
// window, how many ran at once, and fails the questions a test names.
type recordingLookup struct {
	memLookup
	mu         sync.Mutex
	asked      []string
	inFlight   int
	maxAtATime int
	fail       map[string]error // list name or count field -> error
}

func newRecordingLookup() *recordingLookup {
	return &recordingLookup{memLookup: memLookup{lists: map[string]bool{}, counts: map[string]int64{}}, fail: map[string]error{}}
}

// enter records a question; the caller calls leave when done with it.
func (l *recordingLookup) enter(q, key string) error {
	l.mu.Lock()
	l.inFlight++
	l.maxAtATime = max(l.maxAtATime, l.inFlight)
	l.asked = append(l.asked, q)
	err := l.fail[key]
	l.mu.Unlock()
	// A moment inside, so questions run concurrently would overlap and show.
	time.Sleep(time.Millisecond)
	return err
}

func (l *recordingLookup) leave() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
}

func (l *recordingLookup) ListContains(ctx context.Context, tenant, list string, values []string) ([]string, error) {
	defer l.leave()
	if err := l.enter(tenant+" list "+list, list); err != nil {
		return nil, err
	}
	return l.memLookup.ListContains(ctx, tenant, list, values)
}

func (l *recordingLookup) Count(ctx context.Context, tenant, form, field, value string, since time.Time) (int64, error) {
	defer l.leave()
	window := time.Since(since).Round(time.Minute)
	if err := l.enter(fmt.Sprintf("%s count %s.%s %s", tenant, form, field, window), field); err != nil {
		return 0, err
	}
	return l.memLookup.Count(ctx, tenant, form, field, value, since)
}

func (l *recordingLookup) questions() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.asked)
}

func TestLookupService(t *testing.T) {
	lk := newRecordingLookup()
	lk.lists["acme/blacklist.phone/138"] = true
	lk.lists["acme/blacklist.ip/10.0.0.1"] = true
	lk.lists["other/blacklist.phone/139"] = true
	lk.counts["acme/loan/phone/138"] = 4
	lk.counts["acme/loan/ip/10.0.0.1"] = 9
	lk.counts["other/loan/phone/138"] = 50
	s := newHostService(lk)
	s.begin("c1", "acme")
	ctx := context.Background()

	req := &pluginpb.LookupRequest{CallId: "c1",
		Lists: []*pluginpb.ListQuery{
			{List: "blacklist.ip", Values: []string{"10.0.0.2", "10.0.0.1"}},
			{List: "blacklist.phone", Values: []string{"139", "138"}},
			{List: "blacklist.device", Values: []string{"d1"}},
		},
		Counts: []*pluginpb.CountQuery{
			{Form: "loan", Field: "phone", Value: "138", WindowSeconds: 24 * 3600},
			{Form: "loan", Field: "ip", Value: "10.0.0.1", WindowSeconds: 3600},
		},
	}
	r, err := s.Lookup(ctx, req)
	require.NoError(t, err)
	require.Len(t, r.Lists, 3)
	assert.Equal(t, []string{"10.0.0.1"}, r.Lists[0].Found)
	assert.Equal(t, []string{"138"}, r.Lists[1].Found, "only acme's list, never other's")
	assert.Empty(t, r.Lists[2].Found)
	assert.Equal(t, []int64{4, 9}, r.Counts)
	assert.Equal(t, []string{"acme list blacklist.ip", "acme list blacklist.phone", "acme list blacklist.device",
		"acme count loan.phone 24h0m0s", "acme count loan.ip 1h0m0s"}, lk.questions(), "each question once, in order, in the call's tenant")
	lk.mu.Lock()
	assert.Equal(t, 1, lk.maxAtATime, "one store reader at a time")
	lk.mu.Unlock()

	t.Run("refused before the store is asked", func(t *testing.T) {
		lists := func(n, values int) []*pluginpb.ListQuery {
			out := make([]*pluginpb.ListQuery, n)
			for i := range out {
				out[i] = &pluginpb.ListQuery{List: "blacklist.phone", Values: make([]string, values)}
			}
			return out
		}
		counts := func(n int, window int64) []*pluginpb.CountQuery {
			out := make([]*pluginpb.CountQuery, n)
			for i := range out {
				out[i] = &pluginpb.CountQuery{Form: "loan", Field: "phone", Value: "138", WindowSeconds: window}
			}
			return out
		}
		cases := []struct {
			name string
			req  *pluginpb.LookupRequest
			code codes.Code
			msg  string
		}{
			{"unknown call", &pluginpb.LookupRequest{CallId: "c9", Lists: lists(1, 1)}, codes.PermissionDenied, "names no call in progress"},
			{"21 lists", &pluginpb.LookupRequest{CallId: "c1", Lists: lists(21, 1)}, codes.InvalidArgument, "at most 20 list questions"},
			{"21 counts", &pluginpb.LookupRequest{CallId: "c1", Counts: counts(21, 60)}, codes.InvalidArgument, "at most 20 count questions"},
			{"101 values", &pluginpb.LookupRequest{CallId: "c1", Lists: append(lists(1, 1), lists(1, 101)...)},
				codes.InvalidArgument, "list question 1: at most 100 values"},
			{"no window", &pluginpb.LookupRequest{CallId: "c1", Lists: lists(1, 1), Counts: append(counts(1, 60), counts(1, 0)...)},
				codes.InvalidArgument, "count question 1: window must be between 1 second and a year"},
			{"window over a year", &pluginpb.LookupRequest{CallId: "c1", Counts: counts(1, 367*24*3600)},
				codes.InvalidArgument, "window must be"},
			{"window that would overflow", &pluginpb.LookupRequest{CallId: "c1", Counts: counts(1, 1<<62)},
				codes.InvalidArgument, "window must be"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := len(lk.questions())
				_, err := s.Lookup(ctx, tc.req)
				assert.Equal(t, tc.code, status.Code(err), "%v", err)
				assert.Contains(t, status.Convert(err).Message(), tc.msg)
				assert.Len(t, lk.questions(), before, "the store was asked")
			})
		}
		// At the bounds it answers.
		r, err := s.Lookup(ctx, &pluginpb.LookupRequest{CallId: "c1", Lists: lists(20, 100), Counts: counts(20, 366*24*3600)})
		require.NoError(t, err)
		assert.Len(t, r.Lists, 20)
		assert.Len(t, r.Counts, 20)
	})

	t.Run("a failed question fails the lookup", func(t *testing.T) {
		lk.fail["ip"] = errors.New("database is locked")
		t.Cleanup(func() { delete(lk.fail, "ip") })
		r, err := s.Lookup(ctx, req)
		assert.Nil(t, r)
		assert.Equal(t, codes.Internal, status.Code(err))
		assert.Equal(t, "count: database is locked", status.Convert(err).Message())
	})

	t.Run("an ended call asks nothing", func(t *testing.T) {
		s.end("c1")
		_, err := s.Lookup(ctx, req)
		assert.Equal(t, codes.PermissionDenied, status.Code(err))
	})
}

// TestLookupThroughARealProcess has the probe ask the phone blacklist and several counts
// in one Lookup, through go-plugin's broker, as a fraud detector does.
func TestLookupThroughARealProcess(t *testing.T) {
	h, lk := newTestHost(t, Config{}, "1.0.0")
	ctx := context.Background()
	bind(t, h, "acme", KindFraudDetector, "1.0.0", ``)
	bind(t, h, "other", KindFraudDetector, "1.0.0", ``)
	lk.lists["acme/blacklist.phone/13800000000"] = true
	lk.counts["acme/loan/phone/13800000000"] = 3
	rec := map[string]any{"phone": "13800000000", "lookups": json.Number("3")}

	v, err := h.Check(ctx, Call{Tenant: "acme", Form: "loan", Record: rec})
	require.NoError(t, err)
	assert.Equal(t, "reject", v.Decision)
	require.Len(t, v.Hits, 2)
	assert.Equal(t, map[string]string{"found": "13800000000"}, v.Hits[0].Evidence)
	assert.Equal(t, map[string]string{"counts": "3,3,3"}, v.Hits[1].Evidence)

	// Another tenant's lookup sees none of acme's lists or counts.
	v, err = h.Check(ctx, Call{Tenant: "other", Form: "loan", Record: rec})
	require.NoError(t, err)
	assert.Equal(t, "pass", v.Decision)
	require.Len(t, v.Hits, 1)
	assert.Equal(t, map[string]string{"counts": "0,0,0"}, v.Hits[0].Evidence)

	// Over the bound, the host refuses and the plugin's check fails rather than passing.
	_, err = h.Check(ctx, Call{Tenant: "acme", Form: "loan", Record: map[string]any{"phone": "1", "lookups": json.Number("21")}})
	require.ErrorIs(t, err, ErrPluginFailed)
	assert.True(t, strings.Contains(err.Error(), "at most 20 count questions"), err.Error())
}
