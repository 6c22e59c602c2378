package sdk

import (
	"context"
	"errors"
	"net"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// recordingHost is a Host service that records which methods a plugin called. With
// noLookup it is a host older than Lookup; lookupErr and shortAnswer make Lookup fail
// or answer fewer questions than asked.
type recordingHost struct {
	pluginpb.UnimplementedHostServer
	noLookup    bool
	lookupErr   error
	shortAnswer bool

	mu      sync.Mutex
	methods []string
}

func (h *recordingHost) record(m string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.methods = append(h.methods, m)
}

func (h *recordingHost) calls() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.methods)
}

// found puts every value starting with "bad" on every list.
func found(values []string) []string {
	var out []string
	for _, v := range values {
		if strings.HasPrefix(v, "bad") {
			out = append(out, v)
		}
	}
	return out
}

// count answers the value's length times the window in hours, so a mixed-up order or a
// lost window shows.
func count(value string, windowSeconds int64) int64 { return int64(len(value)) * windowSeconds / 3600 }

func (h *recordingHost) ListContains(_ context.Context, r *pluginpb.ListContainsRequest) (*pluginpb.ListContainsResponse, error) {
	h.record("ListContains " + r.List)
	return &pluginpb.ListContainsResponse{Found: found(r.Values)}, nil
}

func (h *recordingHost) Count(_ context.Context, r *pluginpb.CountRequest) (*pluginpb.CountResponse, error) {
	h.record("Count " + r.Field)
	return &pluginpb.CountResponse{Count: count(r.Value, r.WindowSeconds)}, nil
}

func (h *recordingHost) Lookup(ctx context.Context, r *pluginpb.LookupRequest) (*pluginpb.LookupResponse, error) {
	if h.noLookup {
		h.record("Lookup refused")
		return h.UnimplementedHostServer.Lookup(ctx, r)
	}
	h.record("Lookup")
	if h.lookupErr != nil {
		return nil, h.lookupErr
	}
	out := &pluginpb.LookupResponse{}
	for _, q := range r.Lists {
		out.Lists = append(out.Lists, &pluginpb.ListAnswer{Found: found(q.Values)})
	}
	for _, q := range r.Counts {
		out.Counts = append(out.Counts, count(q.Value, q.WindowSeconds))
	}
	if h.shortAnswer {
		out.Counts = out.Counts[:len(out.Counts)-1]
	}
	return out, nil
}

// newHostClient serves srv over an in-memory connection and returns the Host a plugin
// would see, dialled the way the SDK dials the broker, with the connection in place.
func newHostClient(t *testing.T, srv pluginpb.HostServer) Host {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	s := grpc.NewServer()
	pluginpb.RegisterHostServer(s, srv)
	go func() { _ = s.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(); s.Stop() })
	d := &hostDialer{conns: map[uint32]*grpc.ClientConn{7: conn}}
	return &hostClient{dialer: d, id: 7, callID: "call-1"}
}

var testLookups = Lookups{
	Lists: []ListQuery{
		{List: "blacklist.phone", Values: []string{"good", "bad-1"}},
		{List: "blacklist.ip", Values: []string{"fine"}},
		{List: "overdue.phone", Values: []string{"bad-2", "ok", "bad-3"}},
	},
	Counts: []CountQuery{
		{Form: "loan", Field: "phone", Value: "1234", Window: 24 * time.Hour},
		{Form: "loan", Field: "ip", Value: "12", Window: time.Hour},
	},
}

var testAnswers = &LookupResults{
	Lists:  [][]string{{"bad-1"}, nil, {"bad-2", "bad-3"}},
	Counts: []int64{4 * 24, 2},
}

func TestLookupIsOneRoundTrip(t *testing.T) {
	srv := &recordingHost{}
	h := newHostClient(t, srv)
	got, err := h.Lookup(context.Background(), testLookups)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, testAnswers) {
		t.Fatalf("answers %+v, want %+v", got, testAnswers)
	}
	if want := []string{"Lookup"}; !slices.Equal(srv.calls(), want) {
		t.Fatalf("host saw %v, want %v", srv.calls(), want)
	}

	// No questions, no round trip.
	got, err = h.Lookup(context.Background(), Lookups{})
	if err != nil || len(got.Lists) != 0 || len(got.Counts) != 0 {
		t.Fatalf("empty lookup: %+v %v", got, err)
	}
	if len(srv.calls()) != 1 {
		t.Fatalf("an empty lookup reached the host: %v", srv.calls())
	}
}

func TestLookupFallsBackOnAnOlderHost(t *testing.T) {
	srv := &recordingHost{noLookup: true}
	h := newHostClient(t, srv)
	one := []string{"ListContains blacklist.phone", "ListContains blacklist.ip", "ListContains overdue.phone",
		"Count phone", "Count ip"}
	// The first call is refused once, then asks each question in order; the second
	// remembers the refusal and goes straight to the questions.
	want := append([]string{"Lookup refused"}, one...)
	for range 2 {
		got, err := h.Lookup(context.Background(), testLookups)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, testAnswers) {
			t.Fatalf("answers %+v, want %+v", got, testAnswers)
		}
		if !slices.Equal(srv.calls(), want) {
			t.Fatalf("host saw %v, want %v", srv.calls(), want)
		}
		want = append(want, one...)
	}
}

func TestLookupErrors(t *testing.T) {
	cases := []struct {
		name     string
		srv      *recordingHost
		want     string
		deadline bool
	}{
		{name: "refused", srv: &recordingHost{lookupErr: status.Error(codes.InvalidArgument, "at most 20 list questions")},
			want: "sdk: host call failed: Lookup: at most 20 list questions"},
		{name: "store down", srv: &recordingHost{lookupErr: status.Error(codes.Internal, "count: database is locked")},
			want: "sdk: host call failed: Lookup: count: database is locked"},
		{name: "deadline", srv: &recordingHost{lookupErr: status.Error(codes.DeadlineExceeded, "slow")},
			want: "sdk: host call failed: Lookup: context deadline exceeded", deadline: true},
		{name: "short answer", srv: &recordingHost{shortAnswer: true},
			want: "sdk: host call failed: Lookup: 3 list and 1 count answers to 3 and 2 questions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := newHostClient(t, tc.srv).Lookup(context.Background(), testLookups)
			if got != nil || err == nil || err.Error() != tc.want {
				t.Fatalf("got %+v, %v; want error %q", got, err, tc.want)
			}
			if !errors.Is(err, ErrHostCall) {
				t.Errorf("%v is not ErrHostCall", err)
			}
			if errors.Is(err, context.DeadlineExceeded) != tc.deadline {
				t.Errorf("%v: is deadline exceeded = %v, want %v", err, !tc.deadline, tc.deadline)
			}
		})
	}
}

func TestLookupWithoutAHost(t *testing.T) {
	h := (&hostDialer{}).host(0, "call-1")
	if _, err := h.Lookup(context.Background(), testLookups); !errors.Is(err, ErrNoHost) {
		t.Fatalf("got %v, want ErrNoHost", err)
	}
}
