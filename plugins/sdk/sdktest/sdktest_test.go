package sdktest_test

import (
	"context"
	"fmt"
	"maps"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/credolabs/credo/plugins/sdk"
	"github.com/credolabs/credo/plugins/sdk/sdktest"
)

func newTestPlugin(t *testing.T) *sdktest.Harness {
	return sdktest.New(t, sdk.ServeOpts{
		Info: sdk.Info{Name: "probe", Version: "0.1.0", Reads: []string{"income", "phone"}},
		Scorer: sdk.ScorerFunc(func(ctx context.Context, c *sdk.Call) (*sdk.Score, error) {
			income, ok := c.Number("income")
			if !ok {
				return nil, sdk.BadInput("income missing")
			}
			if income < 0 {
				panic("negative income")
			}
			return &sdk.Score{Score: int(income / 10), Grade: sdk.GradeA, SuggestedLimit: "1000.00",
				Reasons: []sdk.Reason{{Code: "income", Text: map[string]string{"en": "income", "zh-CN": "收入"}, Points: -3}}}, nil
		}),
		FraudDetector: sdk.FraudDetectorFunc(func(ctx context.Context, c *sdk.Call) (*sdk.Verdict, error) {
			found, err := c.Host.ListContains(ctx, "blacklist_phone", []string{c.String("phone")})
			if err != nil {
				return nil, err
			}
			n, err := c.Host.Count(ctx, c.Form, "phone", c.String("phone"), time.Hour)
			if err != nil {
				return nil, err
			}
			v := &sdk.Verdict{Decision: sdk.Pass}
			if len(found) > 0 {
				v.Hits = append(v.Hits, sdk.Hit{Rule: "blacklist.phone", Decision: sdk.Reject})
				v.Decision = v.Decision.Worse(sdk.Reject)
			}
			if n > 3 {
				v.Hits = append(v.Hits, sdk.Hit{Rule: "velocity.phone", Decision: sdk.Review})
				v.Decision = v.Decision.Worse(sdk.Review)
			}
			return v, nil
		}),
	})
}

func TestRoundTrip(t *testing.T) {
	h := newTestPlugin(t)
	ctx := context.Background()
	d, err := h.Describe(ctx)
	if err != nil || d.Info.Name != "probe" || !d.Scorer || !d.FraudDetector {
		t.Fatalf("describe: %+v %v", d, err)
	}
	s, err := h.Score(ctx, sdktest.Call{Record: map[string]any{"income": 8000}})
	if err != nil || s.Score != 800 || s.Grade != sdk.GradeA || s.Reasons[0].Text["zh-CN"] != "收入" {
		t.Fatalf("score: %+v %v", s, err)
	}
}

func TestErrorsKeepTheirKind(t *testing.T) {
	h := newTestPlugin(t)
	ctx := context.Background()
	_, err := h.Score(ctx, sdktest.Call{Record: map[string]any{}})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("bad input: %v", err)
	}
	_, err = h.Score(ctx, sdktest.Call{Record: map[string]any{"income": -1}})
	if status.Code(err) != codes.Internal || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("panic: %v", err)
	}
	// The plugin survived its panic.
	if _, err := h.Score(ctx, sdktest.Call{Record: map[string]any{"income": 1}}); err != nil {
		t.Fatal(err)
	}
}

func TestHostCallbacksStayInTheirTenant(t *testing.T) {
	h := newTestPlugin(t)
	ctx := context.Background()
	h.Host.AddToList("a", "blacklist_phone", "13800000000")
	h.Host.SetCount("b", "loan", "phone", "13800000000", 5)
	rec := map[string]any{"phone": "13800000000"}
	va, err := h.Check(ctx, sdktest.Call{Tenant: "a", Form: "loan", Record: rec})
	if err != nil || va.Decision != sdk.Reject || len(va.Hits) != 1 {
		t.Fatalf("tenant a: %+v %v", va, err)
	}
	vb, err := h.Check(ctx, sdktest.Call{Tenant: "b", Form: "loan", Record: rec})
	if err != nil || vb.Decision != sdk.Review || vb.Hits[0].Rule != "velocity.phone" {
		t.Fatalf("tenant b: %+v %v", vb, err)
	}
}

// TestLookupAnswersInOrderWithinTheTenant asks several questions in one Lookup: answers
// come back in the order asked, from the call's own tenant only, and the host's bounds
// and window rule hold.
func TestLookupAnswersInOrderWithinTheTenant(t *testing.T) {
	var q sdk.Lookups
	h := sdktest.New(t, sdk.ServeOpts{
		Info: sdk.Info{Name: "batch", Version: "0.1.0"},
		FraudDetector: sdk.FraudDetectorFunc(func(ctx context.Context, c *sdk.Call) (*sdk.Verdict, error) {
			r, err := c.Host.Lookup(ctx, q)
			if err != nil {
				return nil, err
			}
			// The answers travel back as evidence, so the test can read them.
			ev := map[string]string{}
			for i, found := range r.Lists {
				ev[fmt.Sprintf("list%d", i)] = strings.Join(found, ",")
			}
			for i, n := range r.Counts {
				ev[fmt.Sprintf("count%d", i)] = strconv.FormatInt(n, 10)
			}
			return &sdk.Verdict{Decision: sdk.Pass, Hits: []sdk.Hit{{Rule: "answers", Evidence: ev, Decision: sdk.Pass}}}, nil
		}),
	})
	ctx := context.Background()
	h.Host.AddToList("a", "blacklist.phone", "138", "139")
	h.Host.AddToList("a", "blacklist.ip", "10.0.0.1")
	h.Host.AddToList("b", "blacklist.device", "d1")
	h.Host.SetCount("a", "loan", "phone", "138", 4)
	h.Host.SetCount("a", "loan", "ip", "10.0.0.1", 9)
	h.Host.SetCount("b", "loan", "phone", "138", 50)
	q = sdk.Lookups{
		Lists: []sdk.ListQuery{
			{List: "blacklist.ip", Values: []string{"10.0.0.2", "10.0.0.1"}},
			{List: "blacklist.device", Values: []string{"d1"}},
			{List: "blacklist.phone", Values: []string{"137", "139", "138"}},
		},
		Counts: []sdk.CountQuery{
			{Form: "loan", Field: "ip", Value: "10.0.0.1", Window: time.Hour},
			{Form: "other", Field: "phone", Value: "138", Window: time.Hour},
			{Form: "loan", Field: "phone", Value: "138", Window: 24 * time.Hour},
		},
	}
	v, err := h.Check(ctx, sdktest.Call{Tenant: "a", Form: "loan"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"list0": "10.0.0.1", "list1": "", "list2": "139,138", "count0": "9", "count1": "0", "count2": "4"}
	if got := v.Hits[0].Evidence; !maps.Equal(got, want) {
		t.Fatalf("tenant a answers %v, want %v", got, want)
	}
	v, err = h.Check(ctx, sdktest.Call{Tenant: "b", Form: "loan"})
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"list0": "", "list1": "d1", "list2": "", "count0": "0", "count1": "0", "count2": "50"}
	if got := v.Hits[0].Evidence; !maps.Equal(got, want) {
		t.Fatalf("tenant b answers %v, want %v", got, want)
	}

	tooMany := make([]sdk.CountQuery, 21)
	for i := range tooMany {
		tooMany[i] = sdk.CountQuery{Form: "loan", Field: "phone", Value: "138", Window: time.Hour}
	}
	for name, bad := range map[string]sdk.Lookups{
		"21 counts":      {Counts: tooMany},
		"101 values":     {Lists: []sdk.ListQuery{{List: "l", Values: make([]string, 101)}}},
		"no window":      {Counts: []sdk.CountQuery{{Form: "loan", Field: "phone", Value: "138"}}},
		"window too big": {Counts: []sdk.CountQuery{{Form: "loan", Field: "phone", Value: "138", Window: 367 * 24 * time.Hour}}},
	} {
		q = bad
		if _, err := h.Check(ctx, sdktest.Call{Tenant: "a", Form: "loan"}); status.Code(err) != codes.Internal ||
			!strings.Contains(err.Error(), "host call failed: Lookup") {
			t.Errorf("%s: %v, want a failed host call", name, err)
		}
	}
}

// TestDependencies keeps the SDK free of the platform: vendors import it, never Fiber,
// MongoDB or casbin.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "github.com/credolabs/credo/plugins/sdk/...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/credolabs/credo/") && !strings.HasPrefix(p, "github.com/credolabs/credo/plugins/sdk") &&
			p != "github.com/credolabs/credo/plugins/proto" {
			t.Errorf("the SDK depends on %s; it may use only plugins/proto of the platform", p)
		}
		for _, banned := range []string{"gofiber", "mongo-driver", "casbin", "modernc.org/sqlite"} {
			if strings.Contains(p, banned) {
				t.Errorf("the SDK depends on %s", p)
			}
		}
	}
}
