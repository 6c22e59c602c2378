// Package sdktest runs a plugin in the vendor's own tests over a real in-process gRPC
// connection, through the same go-plugin machinery and protocol the Credo host uses, with
// an in-memory Host for lists and counts.
//
//	h := sdktest.New(t, sdk.ServeOpts{Info: info, Scorer: sdk.ScorerFunc(score)})
//	got, err := h.Score(ctx, sdktest.Call{Record: map[string]any{"income": 8000}})
//
// Since: v0.1.0
package sdktest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pluginpb "github.com/credolabs/credo/plugins/proto"
	"github.com/credolabs/credo/plugins/sdk"
)

// Harness is a plugin served in-process and a client to it.
//
// Since: v0.1.0
type Harness struct {
	// Host answers the plugin's callbacks; fill its lists and counts before calling.
	Host    *Host
	clients *clients
	calls   atomic.Int64
}

// New serves opts in-process and connects to it; everything is closed when t ends.
//
// Since: v0.1.0
func New(t testing.TB, opts sdk.ServeOpts) *Harness {
	t.Helper()
	h := &Harness{Host: &Host{}}
	server := sdk.PluginSet(opts)[pluginpb.PluginName].(goplugin.GRPCPlugin)
	ps := map[string]goplugin.Plugin{pluginpb.PluginName: &harnessPlugin{server: server, host: h.Host}}
	client, srv := goplugin.TestPluginGRPCConn(t, false, ps)
	// client.Close already stops the server from inside a handler; stopping the server
	// first keeps the two from racing.
	t.Cleanup(func() { srv.Stop(); _ = client.Close() })
	raw, err := client.Dispense(pluginpb.PluginName)
	if err != nil {
		t.Fatalf("sdktest: dispense: %v", err)
	}
	h.clients = raw.(*clients)
	return h
}

// Call is the input of one call; Config is marshalled to JSON.
//
// Since: v0.1.0
type Call struct {
	Tenant   string
	Form     string
	RecordID string
	Record   map[string]any
	Config   any
}

// Description is what the plugin says of itself.
//
// Since: v0.1.0
type Description struct {
	Info          sdk.Info
	Scorer        bool
	FraudDetector bool
}

// Describe asks the plugin who it is.
//
// Since: v0.1.0
func (h *Harness) Describe(ctx context.Context) (*Description, error) {
	r, err := h.clients.plugin.Describe(ctx, &pluginpb.DescribeRequest{})
	if err != nil {
		return nil, err
	}
	d := &Description{Info: sdk.Info{Name: r.Name, Version: r.Version, Description: r.Description,
		ConfigSchema: r.ConfigSchema, Reads: r.Reads}}
	for _, k := range r.Kinds {
		d.Scorer = d.Scorer || k == pluginpb.Kind_KIND_SCORER
		d.FraudDetector = d.FraudDetector || k == pluginpb.Kind_KIND_FRAUD_DETECTOR
	}
	return d, nil
}

// Score calls the plugin's scorer.
//
// Since: v0.1.0
func (h *Harness) Score(ctx context.Context, c Call) (*sdk.Score, error) {
	pc, err := h.call(c)
	if err != nil {
		return nil, err
	}
	r, err := h.clients.scorer.Score(ctx, &pluginpb.ScoreRequest{Call: pc})
	if err != nil {
		return nil, err
	}
	s := &sdk.Score{Score: int(r.Score), ProbabilityOfDefault: r.ProbabilityOfDefault, Grade: sdk.Grade(r.Grade),
		SuggestedLimit: r.SuggestedLimit, Currency: r.Currency, ModelVersion: r.ModelVersion}
	for _, x := range r.Reasons {
		s.Reasons = append(s.Reasons, sdk.Reason{Code: x.Code, Text: x.Text, Points: x.Points})
	}
	return s, nil
}

// Check calls the plugin's fraud detector.
//
// Since: v0.1.0
func (h *Harness) Check(ctx context.Context, c Call) (*sdk.Verdict, error) {
	pc, err := h.call(c)
	if err != nil {
		return nil, err
	}
	r, err := h.clients.fraud.Check(ctx, &pluginpb.CheckRequest{Call: pc})
	if err != nil {
		return nil, err
	}
	v := &sdk.Verdict{Decision: sdk.DecisionFromPB(r.Decision), ModelVersion: r.ModelVersion}
	for _, x := range r.Hits {
		v.Hits = append(v.Hits, sdk.Hit{Rule: x.Rule, Evidence: x.Evidence, Reason: x.Reason, Decision: sdk.DecisionFromPB(x.Decision)})
	}
	return v, nil
}

func (h *Harness) call(c Call) (*pluginpb.Call, error) {
	if c.Tenant == "" {
		c.Tenant = "test"
	}
	rec, err := json.Marshal(c.Record)
	if err != nil {
		return nil, fmt.Errorf("sdktest: record: %w", err)
	}
	var cfg []byte
	if c.Config != nil {
		if cfg, err = json.Marshal(c.Config); err != nil {
			return nil, fmt.Errorf("sdktest: config: %w", err)
		}
	}
	id := fmt.Sprintf("call-%d", h.calls.Add(1))
	h.Host.begin(id, c.Tenant)
	return &pluginpb.Call{CallId: id, Tenant: c.Tenant, Form: c.Form, RecordId: c.RecordID, Record: rec,
		Config: cfg, HostBrokerId: h.clients.hostID}, nil
}

// Host is an in-memory host service: lists and counts per tenant.
//
// Since: v0.1.0
type Host struct {
	pluginpb.UnimplementedHostServer
	mu     sync.Mutex
	calls  map[string]string // call id -> tenant
	lists  map[string]map[string]bool
	counts map[string]int64
}

// AddToList puts values on a tenant's list.
//
// Since: v0.1.0
func (h *Host) AddToList(tenant, list string, values ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lists == nil {
		h.lists = map[string]map[string]bool{}
	}
	k := tenant + "\x00" + list
	if h.lists[k] == nil {
		h.lists[k] = map[string]bool{}
	}
	for _, v := range values {
		h.lists[k][v] = true
	}
}

// SetCount fixes what Count answers for (tenant, form, field, value), whatever the window.
//
// Since: v0.1.0
func (h *Host) SetCount(tenant, form, field, value string, n int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.counts == nil {
		h.counts = map[string]int64{}
	}
	h.counts[tenant+"\x00"+form+"\x00"+field+"\x00"+value] = n
}

func (h *Host) begin(callID, tenant string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.calls == nil {
		h.calls = map[string]string{}
	}
	h.calls[callID] = tenant
}

func (h *Host) tenant(callID string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t, ok := h.calls[callID]
	if !ok {
		return "", status.Error(codes.PermissionDenied, "unknown call id")
	}
	return t, nil
}

// ListContains implements the protocol's Host service.
func (h *Host) ListContains(_ context.Context, r *pluginpb.ListContainsRequest) (*pluginpb.ListContainsResponse, error) {
	t, err := h.tenant(r.CallId)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	out := &pluginpb.ListContainsResponse{}
	for _, v := range r.Values {
		if h.lists[t+"\x00"+r.List][v] {
			out.Found = append(out.Found, v)
		}
	}
	return out, nil
}

// Count implements the protocol's Host service.
func (h *Host) Count(_ context.Context, r *pluginpb.CountRequest) (*pluginpb.CountResponse, error) {
	t, err := h.tenant(r.CallId)
	if err != nil {
		return nil, err
	}
	if err := checkWindow(r.WindowSeconds); err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return &pluginpb.CountResponse{Count: h.counts[t+"\x00"+r.Form+"\x00"+r.Field+"\x00"+r.Value]}, nil
}

// Lookup implements the protocol's Host service, with the Credo host's bounds: at most
// 20 list and 20 count questions, 100 values per list.
func (h *Host) Lookup(_ context.Context, r *pluginpb.LookupRequest) (*pluginpb.LookupResponse, error) {
	t, err := h.tenant(r.CallId)
	if err != nil {
		return nil, err
	}
	if len(r.Lists) > 20 || len(r.Counts) > 20 {
		return nil, status.Error(codes.InvalidArgument, "at most 20 list and 20 count questions per lookup")
	}
	for _, q := range r.Lists {
		if len(q.Values) > 100 {
			return nil, status.Error(codes.InvalidArgument, "at most 100 values per list question")
		}
	}
	for _, q := range r.Counts {
		if err := checkWindow(q.WindowSeconds); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	out := &pluginpb.LookupResponse{Lists: make([]*pluginpb.ListAnswer, len(r.Lists)), Counts: make([]int64, len(r.Counts))}
	for i, q := range r.Lists {
		a := &pluginpb.ListAnswer{}
		for _, v := range q.Values {
			if h.lists[t+"\x00"+q.List][v] {
				a.Found = append(a.Found, v)
			}
		}
		out.Lists[i] = a
	}
	for i, q := range r.Counts {
		out.Counts[i] = h.counts[t+"\x00"+q.Form+"\x00"+q.Field+"\x00"+q.Value]
	}
	return out, nil
}

func checkWindow(seconds int64) error {
	// Compared in seconds: a huge value multiplied into a Duration would wrap around.
	if seconds <= 0 || seconds > int64(366*24*time.Hour/time.Second) {
		return status.Error(codes.InvalidArgument, "window must be between 1 second and a year")
	}
	return nil
}

type clients struct {
	plugin pluginpb.PluginClient
	scorer pluginpb.ScorerClient
	fraud  pluginpb.FraudDetectorClient
	hostID uint32
}

// harnessPlugin serves the SDK's plugin and, on the client side, the Host service
// through the broker, as the Credo host does.
type harnessPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	server goplugin.GRPCPlugin
	host   *Host
}

func (p *harnessPlugin) GRPCServer(b *goplugin.GRPCBroker, s *grpc.Server) error {
	return p.server.GRPCServer(b, s)
}

func (p *harnessPlugin) GRPCClient(_ context.Context, b *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	id := b.NextId()
	go b.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		pluginpb.RegisterHostServer(s, p.host)
		return s
	})
	return &clients{plugin: pluginpb.NewPluginClient(conn), scorer: pluginpb.NewScorerClient(conn),
		fraud: pluginpb.NewFraudDetectorClient(conn), hostID: id}, nil
}
