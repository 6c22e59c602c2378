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
