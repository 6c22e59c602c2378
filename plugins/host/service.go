package host

import (
	"context"
	"fmt"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// Lookup answers the plugins' read-only callbacks, always inside one tenant.
type Lookup interface {
	// ListContains returns the subset of values on the tenant's list.
	ListContains(ctx context.Context, tenant, list string, values []string) ([]string, error)
	// Count counts the tenant's records of form whose field equals value, created since.
	Count(ctx context.Context, tenant, form, field, value string, since time.Time) (int64, error)
}

// ListQuestion asks which of Values are on List.
type ListQuestion struct {
	List   string
	Values []string
}

// CountQuestion asks how many records of Form have Field equal to Value and were created
// at or after Since.
type CountQuestion struct {
	Form, Field, Value string
	Since              time.Time
}

// BatchLookup is a Lookup that answers all the questions of one kind in a Lookup request
// together, in as few store reads as it can; the host uses it when its Lookup has it.
// Each answer is what the one-question method returns for that question, and any failure
// fails the whole batch.
type BatchLookup interface {
	Lookup
	ListsContain(ctx context.Context, tenant string, qs []ListQuestion) ([][]string, error)
	Counts(ctx context.Context, tenant string, qs []CountQuestion) ([]int64, error)
}

// Bounds on one callback, so a plugin cannot tie up a store reader for long: values per
// list question (ListContains or inside Lookup), and questions of each kind per Lookup.
const (
	maxLookupValues = 100
	maxLookupLists  = 20
	maxLookupCounts = 20
	// maxWindowSeconds is the longest velocity window, a year with its leap day.
	maxWindowSeconds = 366 * 24 * 3600
)

// hostService serves the protocol's Host service. A plugin names the call it is working
// on; the tenant comes from the host's own record of that call, never from the plugin, and
// the call id is valid only while the call runs.
type hostService struct {
	pluginpb.UnimplementedHostServer
	lookup Lookup
	batch  BatchLookup // lookup, when it answers in batches; else nil
	calls  sync.Map    // call id -> tenant
}

func newHostService(l Lookup) *hostService {
	s := &hostService{lookup: l}
	s.batch, _ = l.(BatchLookup)
	return s
}

func (s *hostService) begin(callID, tenant string) { s.calls.Store(callID, tenant) }
func (s *hostService) end(callID string)           { s.calls.Delete(callID) }

func (s *hostService) tenant(callID string) (string, error) {
	t, ok := s.calls.Load(callID)
	if !ok {
		return "", status.Error(codes.PermissionDenied, "the call id names no call in progress")
	}
	return t.(string), nil
}

func (s *hostService) ListContains(ctx context.Context, r *pluginpb.ListContainsRequest) (*pluginpb.ListContainsResponse, error) {
	t, err := s.tenant(r.CallId)
	if err != nil {
		return nil, err
	}
	if len(r.Values) > maxLookupValues {
		return nil, status.Errorf(codes.InvalidArgument, "at most %d values per lookup", maxLookupValues)
	}
	found, err := s.lookup.ListContains(ctx, t, r.List, r.Values)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "list lookup: %v", err)
	}
	return &pluginpb.ListContainsResponse{Found: found}, nil
}

func (s *hostService) Count(ctx context.Context, r *pluginpb.CountRequest) (*pluginpb.CountResponse, error) {
	t, err := s.tenant(r.CallId)
	if err != nil {
		return nil, err
	}
	if err := checkWindow(r.WindowSeconds); err != nil {
		return nil, err
	}
	n, err := s.lookup.Count(ctx, t, r.Form, r.Field, r.Value, time.Now().Add(-time.Duration(r.WindowSeconds)*time.Second))
	if err != nil {
		return nil, status.Errorf(codes.Internal, "count: %v", err)
	}
	return &pluginpb.CountResponse{Count: n}, nil
}

// Lookup answers several list and count questions in one round trip. The whole request
// is checked before the store is asked anything; then the list questions and the count
// questions are answered on this goroutine, together when the Lookup answers in batches,
// so one plugin call holds at most one store reader at a time. Any failure fails the
// whole lookup: a plugin must not read a partial answer.
func (s *hostService) Lookup(ctx context.Context, r *pluginpb.LookupRequest) (*pluginpb.LookupResponse, error) {
	t, err := s.tenant(r.CallId)
	if err != nil {
		return nil, err
	}
	if len(r.Lists) > maxLookupLists {
		return nil, status.Errorf(codes.InvalidArgument, "at most %d list questions per lookup", maxLookupLists)
	}
	if len(r.Counts) > maxLookupCounts {
		return nil, status.Errorf(codes.InvalidArgument, "at most %d count questions per lookup", maxLookupCounts)
	}
	for i, q := range r.Lists {
		if len(q.Values) > maxLookupValues {
			return nil, status.Errorf(codes.InvalidArgument, "list question %d: at most %d values per lookup", i, maxLookupValues)
		}
	}
	for i, q := range r.Counts {
		if err := checkWindow(q.WindowSeconds); err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "count question %d: %s", i, status.Convert(err).Message())
		}
	}
	lists := make([]ListQuestion, len(r.Lists))
	for i, q := range r.Lists {
		lists[i] = ListQuestion{List: q.List, Values: q.Values}
	}
	// One clock for every count, so windows of the same length cover the same records.
	now := time.Now()
	counts := make([]CountQuestion, len(r.Counts))
	for i, q := range r.Counts {
		counts[i] = CountQuestion{Form: q.Form, Field: q.Field, Value: q.Value, Since: now.Add(-time.Duration(q.WindowSeconds) * time.Second)}
	}
	found, err := s.listsContain(ctx, t, lists)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "list lookup: %v", err)
	}
	n, err := s.counts(ctx, t, counts)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "count: %v", err)
	}
	out := &pluginpb.LookupResponse{Lists: make([]*pluginpb.ListAnswer, len(found)), Counts: n}
	for i, f := range found {
		out.Lists[i] = &pluginpb.ListAnswer{Found: f}
	}
	return out, nil
}

// listsContain answers list questions in one batch, or one by one.
func (s *hostService) listsContain(ctx context.Context, tenant string, qs []ListQuestion) ([][]string, error) {
	var batch func([]ListQuestion) ([][]string, error)
	if s.batch != nil {
		batch = func(qs []ListQuestion) ([][]string, error) { return s.batch.ListsContain(ctx, tenant, qs) }
	}
	return answer(qs, batch, func(q ListQuestion) ([]string, error) {
		return s.lookup.ListContains(ctx, tenant, q.List, q.Values)
	})
}

// counts answers count questions in one batch, or one by one.
func (s *hostService) counts(ctx context.Context, tenant string, qs []CountQuestion) ([]int64, error) {
	var batch func([]CountQuestion) ([]int64, error)
	if s.batch != nil {
		batch = func(qs []CountQuestion) ([]int64, error) { return s.batch.Counts(ctx, tenant, qs) }
	}
	return answer(qs, batch, func(q CountQuestion) (int64, error) {
		return s.lookup.Count(ctx, tenant, q.Form, q.Field, q.Value, q.Since)
	})
}

// answer answers qs with batch when there is one (checking it answered each), else with
// one call of each per question.
func answer[Q, A any](qs []Q, batch func([]Q) ([]A, error), each func(Q) (A, error)) ([]A, error) {
	if len(qs) == 0 {
		return []A{}, nil
	}
	if batch != nil {
		out, err := batch(qs)
		if err == nil && len(out) != len(qs) {
			err = fmt.Errorf("%d answers to %d questions", len(out), len(qs))
		}
		return out, err
	}
	out := make([]A, len(qs))
	for i, q := range qs {
		var err error
		if out[i], err = each(q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func checkWindow(seconds int64) error {
	if seconds <= 0 || seconds > maxWindowSeconds {
		return status.Error(codes.InvalidArgument, "window must be between 1 second and a year")
	}
	return nil
}
