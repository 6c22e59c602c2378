package sdk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// hostDialer opens the connection back to the host's service once per broker id and
// keeps it for the life of the plugin.
type hostDialer struct {
	broker *goplugin.GRPCBroker
	mu     sync.Mutex
	conns  map[uint32]*grpc.ClientConn
	// noLookup marks the host services that answered Lookup with Unimplemented: the
	// host on the other end does not change, so later calls go straight to one question
	// at a time instead of paying a refused round trip each.
	noLookup map[uint32]bool
}

func (h *hostDialer) host(id uint32, callID string) Host {
	if id == 0 || h.broker == nil {
		return noHost{}
	}
	return &hostClient{dialer: h, id: id, callID: callID}
}

func (h *hostDialer) client(id uint32) (pluginpb.HostClient, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.conns[id]; ok {
		return pluginpb.NewHostClient(c), nil
	}
	c, err := h.broker.Dial(id)
	if err != nil {
		return nil, err
	}
	if h.conns == nil {
		h.conns = map[uint32]*grpc.ClientConn{}
	}
	h.conns[id] = c
	return pluginpb.NewHostClient(c), nil
}

func (h *hostDialer) lookupAbsent(id uint32) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.noLookup[id]
}

func (h *hostDialer) markLookupAbsent(id uint32) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.noLookup == nil {
		h.noLookup = map[uint32]bool{}
	}
	h.noLookup[id] = true
}

type hostClient struct {
	dialer *hostDialer
	id     uint32
	callID string
}

func (c *hostClient) ListContains(ctx context.Context, list string, values []string) ([]string, error) {
	cl, err := c.dialer.client(c.id)
	if err != nil {
		return nil, err
	}
	resp, err := cl.ListContains(ctx, &pluginpb.ListContainsRequest{CallId: c.callID, List: list, Values: values})
	if err != nil {
		return nil, hostError("ListContains", err)
	}
	return resp.Found, nil
}

func (c *hostClient) Count(ctx context.Context, form, field, value string, window time.Duration) (int64, error) {
	cl, err := c.dialer.client(c.id)
	if err != nil {
		return 0, err
	}
	resp, err := cl.Count(ctx, &pluginpb.CountRequest{CallId: c.callID, Form: form, Field: field, Value: value,
		WindowSeconds: int64(window / time.Second)})
	if err != nil {
		return 0, hostError("Count", err)
	}
	return resp.Count, nil
}

func (c *hostClient) Lookup(ctx context.Context, q Lookups) (*LookupResults, error) {
	if len(q.Lists) == 0 && len(q.Counts) == 0 {
		return &LookupResults{}, nil
	}
	if c.dialer.lookupAbsent(c.id) {
		return lookupEach(ctx, c, q)
	}
	cl, err := c.dialer.client(c.id)
	if err != nil {
		return nil, err
	}
	req := &pluginpb.LookupRequest{CallId: c.callID,
		Lists:  make([]*pluginpb.ListQuery, len(q.Lists)),
		Counts: make([]*pluginpb.CountQuery, len(q.Counts))}
	for i, l := range q.Lists {
		req.Lists[i] = &pluginpb.ListQuery{List: l.List, Values: l.Values}
	}
	for i, n := range q.Counts {
		req.Counts[i] = &pluginpb.CountQuery{Form: n.Form, Field: n.Field, Value: n.Value,
			WindowSeconds: int64(n.Window / time.Second)}
	}
	resp, err := cl.Lookup(ctx, req)
	if status.Code(err) == codes.Unimplemented {
		// A host older than Lookup: the same questions, one round trip each.
		c.dialer.markLookupAbsent(c.id)
		return lookupEach(ctx, c, q)
	}
	if err != nil {
		return nil, hostError("Lookup", err)
	}
	// Answers are matched to questions by position, so a short answer cannot be read.
	if len(resp.Lists) != len(q.Lists) || len(resp.Counts) != len(q.Counts) {
		return nil, fmt.Errorf("%w: Lookup: %d list and %d count answers to %d and %d questions", ErrHostCall,
			len(resp.Lists), len(resp.Counts), len(q.Lists), len(q.Counts))
	}
	out := &LookupResults{Lists: make([][]string, len(resp.Lists)), Counts: resp.Counts}
	for i, a := range resp.Lists {
		out.Lists[i] = a.GetFound()
	}
	return out, nil
}

// lookupEach answers q with one ListContains or Count per question, in order.
func lookupEach(ctx context.Context, h Host, q Lookups) (*LookupResults, error) {
	out := &LookupResults{Lists: make([][]string, len(q.Lists)), Counts: make([]int64, len(q.Counts))}
	for i, l := range q.Lists {
		found, err := h.ListContains(ctx, l.List, l.Values)
		if err != nil {
			return nil, err
		}
		out.Lists[i] = found
	}
	for i, n := range q.Counts {
		count, err := h.Count(ctx, n.Form, n.Field, n.Value, n.Window)
		if err != nil {
			return nil, err
		}
		out.Counts[i] = count
	}
	return out, nil
}

// ErrHostCall wraps a failed callback to the host. The host's gRPC status is not passed
// on: a refused lookup is the plugin's failure, not bad input of the record.
//
// Since: v0.1.0
var ErrHostCall = errors.New("sdk: host call failed")

func hostError(method string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || status.Code(err) == codes.DeadlineExceeded {
		return fmt.Errorf("%w: %s: %w", ErrHostCall, method, context.DeadlineExceeded)
	}
	return fmt.Errorf("%w: %s: %s", ErrHostCall, method, status.Convert(err).Message())
}

type noHost struct{}

func (noHost) ListContains(context.Context, string, []string) ([]string, error) {
	return nil, ErrNoHost
}
func (noHost) Count(context.Context, string, string, string, time.Duration) (int64, error) {
	return 0, ErrNoHost
}
func (noHost) Lookup(context.Context, Lookups) (*LookupResults, error) {
	return nil, ErrNoHost
}
