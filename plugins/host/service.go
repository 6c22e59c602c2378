package host

import (
	"context"
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

// maxLookupValues bounds one ListContains call.
const maxLookupValues = 100

// hostService serves the protocol's Host service. A plugin names the call it is working
// on; the tenant comes from the host's own record of that call, never from the plugin, and
// the call id is valid only while the call runs.
type hostService struct {
	pluginpb.UnimplementedHostServer
	lookup Lookup
	calls  sync.Map // call id -> tenant
}

func newHostService(l Lookup) *hostService { return &hostService{lookup: l} }

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
	if r.WindowSeconds <= 0 || r.WindowSeconds > 366*24*3600 {
		return nil, status.Error(codes.InvalidArgument, "window must be between 1 second and a year")
	}
	n, err := s.lookup.Count(ctx, t, r.Form, r.Field, r.Value, time.Now().Add(-time.Duration(r.WindowSeconds)*time.Second))
	if err != nil {
		return nil, status.Errorf(codes.Internal, "count: %v", err)
	}
	return &pluginpb.CountResponse{Count: n}, nil
}
