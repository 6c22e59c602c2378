package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/credolabs/credo/plugins/sdk"
	"github.com/credolabs/credo/plugins/sdk/sdktest"
)

// testNow is the clock of every test: ages below are reckoned against 15 June 2025.
var testNow = time.Date(2025, 6, 15, 9, 30, 0, 0, chinaTime)

const testForm = "loan_application"

// allRules is every rule id with the decision a hit calls for, as README.md lists them.
var allRules = map[string]sdk.Decision{
	"blacklist.id_number":          sdk.Reject,
	"blacklist.phone":              sdk.Reject,
	"blacklist.device_id":          sdk.Reject,
	"blacklist.ip":                 sdk.Reject,
	"blacklist.bank_card":          sdk.Reject,
	"velocity.phone":               sdk.Review,
	"velocity.id_number":           sdk.Review,
	"velocity.device_id":           sdk.Review,
	"velocity.ip":                  sdk.Review,
	"contact.overdue":              sdk.Review,
	"contact.own_phone":            sdk.Review,
	"contact.own_name":             sdk.Review,
	"identity.id_invalid":          sdk.Reject,
	"identity.birth_date_mismatch": sdk.Review,
	"identity.gender_mismatch":     sdk.Review,
	"identity.age_out_of_range":    sdk.Reject,
}

// makeID builds a resident ID number from region, birth date (YYYYMMDD) and sequence,
// with the check digit the plugin computes.
func makeID(t testing.TB, region, birth, seq string) string {
	t.Helper()
	first17 := region + birth + seq
	require.Len(t, first17, 17)
	return first17 + string(checkDigit(first17))
}

// wrongCheckDigit returns id with a check digit that cannot be right.
func wrongCheckDigit(id string) string {
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}

// The clean applicant: male, born 17 May 1990, every value unlisted and uncounted.
const (
	cleanPhone  = "13812345678"
	cleanCard   = "6222021234567890123"
	cleanDevice = "dev-7f3a9c2e41b8"
	cleanIP     = "203.0.113.45"
)

func cleanRecord(t testing.TB) map[string]any {
	return map[string]any{
		"applicant_name":    "王小明",
		"gender":            "male",
		"birth_date":        "1990-05-17",
		"id_number":         makeID(t, "110105", "19900517", "123"),
		"mobile_phone":      cleanPhone,
		"disbursement_card": cleanCard,
		"device_id":         cleanDevice,
		"client_ip":         cleanIP,
		"amount":            json.Number("50000"),
		"emergency_contacts": []any{
			map[string]any{"name": "李华", "relation": "friend", "phone": "13900001111"},
			map[string]any{"name": "王建国", "relation": "parent", "phone": "13700002222"},
		},
	}
}

// with returns a copy of rec with the given fields replaced; a nil value removes one.
func with(rec map[string]any, kv ...any) map[string]any {
	out := maps.Clone(rec)
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

type callCtxKey struct{}

// spyHost sits between the plugin and sdktest's Host: per tenant, it records every
// question asked and every round trip, checks that each runs under the context of the
// call it belongs to, and fails the lookups that ask what a test names.
type spyHost struct {
	mu      sync.Mutex
	tenants map[string]*spyState
}

type spyState struct {
	lists  []string
	counts []countCall
	// trips are the round trips to the host, by method.
	trips     []string
	wrongCtx  int
	failList  map[string]error
	failCount map[string]error
}

type countCall struct {
	form, field, value string
	window             time.Duration
}

func (s *spyHost) state(tenant string) *spyState {
	if s.tenants[tenant] == nil {
		s.tenants[tenant] = &spyState{}
	}
	return s.tenants[tenant]
}

// spyCall is the Host one call sees.
type spyCall struct {
	spy            *spyHost
	inner          sdk.Host
	callID, tenant string
}

func (c *spyCall) ListContains(ctx context.Context, list string, values []string) ([]string, error) {
	c.spy.mu.Lock()
	st := c.spy.state(c.tenant)
	st.trips = append(st.trips, "ListContains")
	st.lists = append(st.lists, list)
	if ctx.Value(callCtxKey{}) != c.callID {
		st.wrongCtx++
	}
	err := st.failList[list]
	c.spy.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c.inner.ListContains(ctx, list, values)
}

func (c *spyCall) Count(ctx context.Context, form, field, value string, window time.Duration) (int64, error) {
	c.spy.mu.Lock()
	st := c.spy.state(c.tenant)
	st.trips = append(st.trips, "Count")
	st.counts = append(st.counts, countCall{form, field, value, window})
	if ctx.Value(callCtxKey{}) != c.callID {
		st.wrongCtx++
	}
	err := st.failCount[field]
	c.spy.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return c.inner.Count(ctx, form, field, value, window)
}

// Lookup fails as a whole when any question it asks is one a test made fail.
func (c *spyCall) Lookup(ctx context.Context, q sdk.Lookups) (*sdk.LookupResults, error) {
	c.spy.mu.Lock()
	st := c.spy.state(c.tenant)
	st.trips = append(st.trips, "Lookup")
	if ctx.Value(callCtxKey{}) != c.callID {
		st.wrongCtx++
	}
	var err error
	for _, l := range q.Lists {
		st.lists = append(st.lists, l.List)
		if e := st.failList[l.List]; e != nil && err == nil {
			err = e
		}
	}
	for _, n := range q.Counts {
		st.counts = append(st.counts, countCall{n.Form, n.Field, n.Value, n.Window})
		if e := st.failCount[n.Field]; e != nil && err == nil {
			err = e
		}
	}
	c.spy.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c.inner.Lookup(ctx, q)
}

var (
	spy       = &spyHost{tenants: map[string]*spyState{}}
	tenantSeq atomic.Int64
)

// testPlugin is the plugin served through sdktest with a spy in front of its Host, seen
// from one tenant of its own, so the spy's records of tests never mix.
type testPlugin struct {
	*sdktest.Harness
	tenant string
	t      *testing.T
}

func newTestPlugin(t *testing.T) *testPlugin {
	t.Helper()
	opts := serveOpts(func() time.Time { return testNow })
	d := opts.FraudDetector
	opts.FraudDetector = sdk.FraudDetectorFunc(func(ctx context.Context, c *sdk.Call) (*sdk.Verdict, error) {
		ctx = context.WithValue(ctx, callCtxKey{}, c.ID)
		c.Host = &spyCall{spy: spy, inner: c.Host, callID: c.ID, tenant: c.Tenant}
		return d.Check(ctx, c)
	})
	// A fresh tenant per test, also when -count runs the test again.
	p := &testPlugin{Harness: sdktest.New(t, opts), tenant: fmt.Sprintf("%s#%d", t.Name(), tenantSeq.Add(1)), t: t}
	t.Cleanup(func() {
		spy.mu.Lock()
		defer spy.mu.Unlock()
		assert.Zero(t, spy.state(p.tenant).wrongCtx, "host lookups made outside the call's context")
	})
	return p
}

// check runs one record in the plugin's tenant with config cfg (nil for none).
func (p *testPlugin) check(rec map[string]any, cfg any) *sdk.Verdict {
	p.t.Helper()
	v, err := p.Check(context.Background(), p.call(rec, cfg))
	require.NoError(p.t, err)
	return v
}

func (p *testPlugin) call(rec map[string]any, cfg any) sdktest.Call {
	return sdktest.Call{Tenant: p.tenant, Form: testForm, Record: rec, Config: cfg}
}

func (p *testPlugin) addToList(list string, values ...string) {
	p.Host.AddToList(p.tenant, list, values...)
}

func (p *testPlugin) setCount(field, value string, n int64) {
	p.Host.SetCount(p.tenant, testForm, field, value, n)
}

// failLookups makes the tenant's lookups of these lists and count fields fail with err;
// it also forgets the lookups recorded so far.
func (p *testPlugin) failLookups(err error, lists []string, fields []string) {
	spy.mu.Lock()
	defer spy.mu.Unlock()
	st := spy.state(p.tenant)
	st.lists, st.counts, st.trips, st.failList, st.failCount = nil, nil, nil, map[string]error{}, map[string]error{}
	for _, l := range lists {
		st.failList[l] = err
	}
	for _, f := range fields {
		st.failCount[f] = err
	}
}

// listCalls are the lists the tenant's calls looked up, sorted.
func (p *testPlugin) listCalls() []string {
	spy.mu.Lock()
	defer spy.mu.Unlock()
	return slices.Sorted(slices.Values(spy.state(p.tenant).lists))
}

// trips are the round trips the tenant's calls made to the host, in order.
func (p *testPlugin) trips() []string {
	spy.mu.Lock()
	defer spy.mu.Unlock()
	return slices.Clone(spy.state(p.tenant).trips)
}

func (p *testPlugin) countCalls() []countCall {
	spy.mu.Lock()
	defer spy.mu.Unlock()
	return slices.Clone(spy.state(p.tenant).counts)
}

func ruleIDs(v *sdk.Verdict) []string {
	var out []string
	for _, h := range v.Hits {
		out = append(out, h.Rule)
	}
	return out
}

func hitOf(t *testing.T, v *sdk.Verdict, rule string) sdk.Hit {
	t.Helper()
	for _, h := range v.Hits {
		if h.Rule == rule {
			return h
		}
	}
	require.Failf(t, "no hit", "rule %s did not fire; hits: %v", rule, ruleIDs(v))
	return sdk.Hit{}
}

func TestDescribe(t *testing.T) {
	p := newTestPlugin(t)
	d, err := p.Describe(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "credo-antifraud", d.Info.Name)
	assert.Equal(t, "1.0.0", d.Info.Version)
	assert.NotEmpty(t, d.Info.Description)
	assert.True(t, d.FraudDetector)
	assert.False(t, d.Scorer)
	assert.Equal(t, []string{"applicant_name", "birth_date", "client_ip", "device_id", "disbursement_card",
		"emergency_contacts", "gender", "id_number", "mobile_phone"}, d.Info.Reads)

	var schema struct {
		Schema               string `json:"$schema"`
		AdditionalProperties *bool  `json:"additionalProperties"`
		Properties           struct {
			DisabledRules struct {
				Items struct {
					Enum []string `json:"enum"`
				} `json:"items"`
			} `json:"disabled_rules"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(d.Info.ConfigSchema, &schema))
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", schema.Schema)
	require.NotNil(t, schema.AdditionalProperties)
	assert.False(t, *schema.AdditionalProperties)
	assert.ElementsMatch(t, slices.Collect(maps.Keys(allRules)), schema.Properties.DisabledRules.Items.Enum)
	compileSchema(t, d.Info.ConfigSchema)
}

func compileSchema(t *testing.T, raw []byte) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	require.NoError(t, c.AddResource("config.schema.json", bytes.NewReader(raw)))
	s, err := c.Compile("config.schema.json")
	require.NoError(t, err)
	return s
}

func TestCleanApplicationPasses(t *testing.T) {
	p := newTestPlugin(t)
	v := p.check(cleanRecord(t), nil)
	assert.Equal(t, sdk.Pass, v.Decision)
	assert.Empty(t, v.Hits)
	assert.True(t, strings.HasPrefix(v.ModelVersion, "1.0.0+cfg."), v.ModelVersion)
	// Every lookup ran: one per list, one overdue lookup for the contacts, four counts,
	// all in a single round trip to the host.
	assert.Equal(t, []string{"blacklist.bank_card", "blacklist.device_id", "blacklist.id_number", "blacklist.ip",
		"blacklist.phone", "overdue.phone"}, p.listCalls())
	assert.Len(t, p.countCalls(), 4)
	assert.Equal(t, []string{"Lookup"}, p.trips())
}

// everythingRecord fires every rule but identity.id_invalid (which rules out the ID
// checks that need a valid ID); fillHost puts what it needs into tenant's lists and counts.
func everythingRecord(t *testing.T) map[string]any {
	return map[string]any{
		"applicant_name":    "王小明",
		"gender":            "female",     // the ID says male
		"birth_date":        "2008-01-02", // the ID says 2008-01-01
		"id_number":         makeID(t, "110105", "20080101", "123"),
		"mobile_phone":      cleanPhone,
		"disbursement_card": cleanCard,
		"device_id":         cleanDevice,
		"client_ip":         cleanIP,
		"emergency_contacts": []any{
			map[string]any{"name": "王小明", "relation": "friend", "phone": cleanPhone},
			map[string]any{"name": "李华", "relation": "sibling", "phone": "13900001111"},
		},
	}
}

func fillHost(h *sdktest.Harness, tenant string, rec map[string]any) {
	h.Host.AddToList(tenant, "blacklist.id_number", rec["id_number"].(string))
	h.Host.AddToList(tenant, "blacklist.phone", cleanPhone)
	h.Host.AddToList(tenant, "blacklist.device_id", cleanDevice)
	h.Host.AddToList(tenant, "blacklist.ip", cleanIP)
	h.Host.AddToList(tenant, "blacklist.bank_card", cleanCard)
	h.Host.AddToList(tenant, "overdue.phone", "13900001111")
	h.Host.SetCount(tenant, testForm, "mobile_phone", cleanPhone, 4)
	h.Host.SetCount(tenant, testForm, "id_number", rec["id_number"].(string), 4)
	h.Host.SetCount(tenant, testForm, "device_id", cleanDevice, 6)
	h.Host.SetCount(tenant, testForm, "client_ip", cleanIP, 21)
}

func TestEveryRuleCanBeDisabled(t *testing.T) {
	p := newTestPlugin(t)
	rec := everythingRecord(t)
	fillHost(p.Harness, p.tenant, rec)
	all := p.check(rec, nil)
	want := slices.Collect(maps.Keys(allRules))
	want = slices.DeleteFunc(want, func(id string) bool { return id == "identity.id_invalid" })
	assert.ElementsMatch(t, want, slices.Compact(slices.Sorted(slices.Values(ruleIDs(all)))))
	assert.Equal(t, sdk.Reject, all.Decision)
	for _, h := range all.Hits {
		assert.Equal(t, allRules[h.Rule], h.Decision, h.Rule)
		assert.NotEmpty(t, h.Reason["en"], h.Rule)
		assert.NotEmpty(t, h.Reason["zh-CN"], h.Rule)
		assert.NotEmpty(t, h.Evidence, h.Rule)
	}
	// Rejections come first, in registry order among equals.
	assert.Equal(t, "blacklist.id_number", all.Hits[0].Rule)
	for i := 1; i < len(all.Hits); i++ {
		assert.False(t, all.Hits[i].Decision == sdk.Reject && all.Hits[i-1].Decision == sdk.Review,
			"reject hit %s after a review hit", all.Hits[i].Rule)
	}

	for _, id := range want {
		t.Run(id, func(t *testing.T) {
			v := p.check(rec, map[string]any{"disabled_rules": []string{id}})
			assert.NotContains(t, ruleIDs(v), id)
			assert.Len(t, v.Hits, len(all.Hits)-countOf(ruleIDs(all), id))
		})
	}
	t.Run("identity.id_invalid", func(t *testing.T) {
		bad := with(rec, "id_number", wrongCheckDigit(rec["id_number"].(string)))
		require.Contains(t, ruleIDs(p.check(bad, nil)), "identity.id_invalid")
		assert.NotContains(t, ruleIDs(p.check(bad, map[string]any{"disabled_rules": []string{"identity.id_invalid"}})),
			"identity.id_invalid")
	})
	t.Run("disabled rules look nothing up", func(t *testing.T) {
		p.failLookups(nil, nil, nil)
		var lists []string
		for id := range allRules {
			if strings.HasPrefix(id, "blacklist.") || strings.HasPrefix(id, "velocity.") || id == "contact.overdue" {
				lists = append(lists, id)
			}
		}
		v := p.check(rec, map[string]any{"disabled_rules": lists})
		assert.Empty(t, p.listCalls())
		assert.Empty(t, p.countCalls())
		assert.Empty(t, p.trips(), "nothing to ask, no round trip")
		assert.ElementsMatch(t, []string{"contact.own_phone", "contact.own_name", "identity.birth_date_mismatch",
			"identity.gender_mismatch", "identity.age_out_of_range"}, ruleIDs(v))
	})
}

func countOf(ids []string, id string) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}

func TestDecisionIsTheWorstHit(t *testing.T) {
	p := newTestPlugin(t)
	rec := cleanRecord(t)

	p.setCount("mobile_phone", cleanPhone, 9)
	v := p.check(rec, nil)
	assert.Equal(t, sdk.Review, v.Decision)
	assert.Equal(t, []string{"velocity.phone"}, ruleIDs(v))

	p.addToList("blacklist.bank_card", cleanCard)
	v = p.check(rec, nil)
	assert.Equal(t, sdk.Reject, v.Decision)
	assert.Equal(t, []string{"blacklist.bank_card", "velocity.phone"}, ruleIDs(v))
}

func TestTenantIsolation(t *testing.T) {
	p := newTestPlugin(t)
	rec := everythingRecord(t)
	lenderA, lenderB := p.tenant+"/lender-a", p.tenant+"/lender-b"
	fillHost(p.Harness, lenderA, rec)
	ctx := context.Background()

	a, err := p.Check(ctx, sdktest.Call{Tenant: lenderA, Form: testForm, Record: rec})
	require.NoError(t, err)
	b, err := p.Check(ctx, sdktest.Call{Tenant: lenderB, Form: testForm, Record: rec})
	require.NoError(t, err)

	hostRules := func(v *sdk.Verdict) []string {
		return slices.DeleteFunc(ruleIDs(v), func(id string) bool {
			return !strings.HasPrefix(id, "blacklist.") && !strings.HasPrefix(id, "velocity.") && id != "contact.overdue"
		})
	}
	assert.Len(t, hostRules(a), 10, "lender-a's own lists and counts fire")
	assert.Empty(t, hostRules(b), "lender-b sees none of lender-a's lists or counts")
	// The record-only rules fire in both tenants alike.
	assert.Equal(t, len(a.Hits)-10, len(b.Hits))

	// Counts are per tenant too: the same phone counted in lender-b only.
	p.Host.SetCount(lenderB, testForm, "mobile_phone", cleanPhone, 50)
	b, err = p.Check(ctx, sdktest.Call{Tenant: lenderB, Form: testForm, Record: cleanRecord(t)})
	require.NoError(t, err)
	assert.Equal(t, []string{"velocity.phone"}, ruleIDs(b))
	assert.Equal(t, "51", b.Hits[0].Evidence["count"])
}

func TestHostFailureFailsTheCheck(t *testing.T) {
	p := newTestPlugin(t)
	rec := cleanRecord(t)
	unavailable := status.Error(codes.Unavailable, "store: connection refused")
	cases := []struct {
		name      string
		failList  string
		failCount string
		err       error
		code      codes.Code
	}{
		{name: "blacklist.id_number", failList: "blacklist.id_number", err: unavailable, code: codes.Unavailable},
		{name: "blacklist.phone", failList: "blacklist.phone", err: unavailable, code: codes.Unavailable},
		{name: "blacklist.device_id", failList: "blacklist.device_id", err: unavailable, code: codes.Unavailable},
		{name: "blacklist.ip", failList: "blacklist.ip", err: unavailable, code: codes.Unavailable},
		{name: "blacklist.bank_card", failList: "blacklist.bank_card", err: unavailable, code: codes.Unavailable},
		{name: "overdue.phone", failList: "overdue.phone", err: unavailable, code: codes.Unavailable},
		{name: "count mobile_phone", failCount: "mobile_phone", err: unavailable, code: codes.Unavailable},
		{name: "count id_number", failCount: "id_number", err: unavailable, code: codes.Unavailable},
		{name: "count device_id", failCount: "device_id", err: unavailable, code: codes.Unavailable},
		{name: "count client_ip", failCount: "client_ip", err: unavailable, code: codes.Unavailable},
		{name: "no host service", failList: "blacklist.phone", err: sdk.ErrNoHost, code: codes.Internal},
		{name: "host deadline", failCount: "client_ip", err: status.Error(codes.DeadlineExceeded, "deadline"),
			code: codes.DeadlineExceeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p.failLookups(tc.err, []string{tc.failList}, []string{tc.failCount})
			v, err := p.Check(context.Background(), p.call(rec, nil))
			require.Error(t, err)
			assert.Nil(t, v)
			assert.Equal(t, tc.code, status.Code(err), err.Error())
			// The error names the operation but never the applicant's data.
			for _, secret := range []string{cleanPhone, cleanCard, cleanDevice, cleanIP, rec["id_number"].(string)} {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
	t.Run("a record the failing rule skips still passes", func(t *testing.T) {
		p.failLookups(unavailable, []string{"blacklist.device_id"}, []string{"device_id"})
		assert.Equal(t, sdk.Pass, p.check(with(rec, "device_id", nil), nil).Decision)
	})
}

func TestBadConfigIsInvalidArgument(t *testing.T) {
	p := newTestPlugin(t)
	d, err := p.Describe(context.Background())
	require.NoError(t, err)
	schema := compileSchema(t, d.Info.ConfigSchema)

	cases := []struct {
		name string
		cfg  string
		// schemaSees is false where JSON Schema cannot express the rule, so only the
		// plugin's own decoding catches it.
		schemaSees bool
	}{
		{"unknown key", `{"velocity_phone": {"max": 3}}`, true},
		{"unknown nested key", `{"velocity": {"phone": {"max": 3, "windows": "1h"}}}`, true},
		{"unknown velocity", `{"velocity": {"email": {"max": 3}}}`, true},
		{"not an object", `[1, 2]`, true},
		{"max a string", `{"velocity": {"phone": {"max": "3"}}}`, true},
		{"max fractional", `{"velocity": {"phone": {"max": 3.5}}}`, true},
		{"max zero", `{"velocity": {"ip": {"max": 0}}}`, true},
		{"window without unit", `{"velocity": {"phone": {"window": "24"}}}`, true},
		{"window zero", `{"velocity": {"phone": {"window": "0h"}}}`, true},
		{"window compound", `{"velocity": {"phone": {"window": "1h30m"}}}`, true},
		{"window a number", `{"velocity": {"phone": {"window": 3600}}}`, true},
		{"window over a year", `{"velocity": {"phone": {"window": "367d"}}}`, false},
		{"age min negative", `{"age": {"min": -1}}`, true},
		{"age max too high", `{"age": {"max": 121}}`, true},
		{"age min above max", `{"age": {"min": 40, "max": 30}}`, false},
		{"age min above default max", `{"age": {"min": 70}}`, false},
		{"unknown rule", `{"disabled_rules": ["blacklist.email"]}`, true},
		{"rule twice", `{"disabled_rules": ["velocity.ip", "velocity.ip"]}`, true},
		{"null", `{"age": null}`, true},
		{"null leaf", `{"age": {"min": null}}`, true},
		{"duplicate key", `{"age": {"min": 20, "min": 21}}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := p.Check(context.Background(), p.call(cleanRecord(t), json.RawMessage(tc.cfg)))
			require.Error(t, err)
			assert.Nil(t, v)
			assert.Equal(t, codes.InvalidArgument, status.Code(err), err.Error())
			if tc.schemaSees {
				var doc any
				require.NoError(t, json.Unmarshal([]byte(tc.cfg), &doc))
				assert.Error(t, schema.Validate(doc), "the schema should refuse %s", tc.cfg)
			}
		})
	}

	good := []string{
		`{}`,
		`{"disabled_rules": []}`,
		`{"velocity": {"phone": {"max": 5}}}`,
		`{"velocity": {"ip": {"window": "30m"}, "device_id": {"max": 2, "window": "7d"}}}`,
		`{"velocity": {"id_number": {"max": 100000, "window": "366d"}}}`,
		`{"age": {"min": 22, "max": 60}, "disabled_rules": ["contact.own_name", "blacklist.ip"]}`,
	}
	for _, cfg := range good {
		t.Run("accepts "+cfg, func(t *testing.T) {
			var doc any
			require.NoError(t, json.Unmarshal([]byte(cfg), &doc))
			require.NoError(t, schema.Validate(doc))
			v := p.check(cleanRecord(t), json.RawMessage(cfg))
			assert.Equal(t, sdk.Pass, v.Decision)
		})
	}
}

func TestModelVersionNamesTheEffectiveConfig(t *testing.T) {
	p := newTestPlugin(t)
	rec := cleanRecord(t)
	none := p.check(rec, nil).ModelVersion
	assert.Equal(t, none, p.check(rec, json.RawMessage(`{}`)).ModelVersion)
	// The defaults spelled out are the same configuration.
	spelled := `{"velocity": {"phone": {"max": 3, "window": "24h"}, "ip": {"max": 20, "window": "1h"}}, "age": {"min": 18, "max": 65}}`
	assert.Equal(t, none, p.check(rec, json.RawMessage(spelled)).ModelVersion)
	// Rule order in disabled_rules does not matter; a threshold does.
	a := p.check(rec, json.RawMessage(`{"disabled_rules": ["velocity.ip", "contact.own_name"]}`)).ModelVersion
	b := p.check(rec, json.RawMessage(`{"disabled_rules": ["contact.own_name", "velocity.ip"]}`)).ModelVersion
	assert.Equal(t, a, b)
	assert.NotEqual(t, none, a)
	assert.NotEqual(t, none, p.check(rec, json.RawMessage(`{"velocity": {"phone": {"max": 4}}}`)).ModelVersion)
	assert.NotEqual(t, none, p.check(rec, json.RawMessage(`{"velocity": {"phone": {"window": "12h"}}}`)).ModelVersion)
}

func TestBadRecordIsInvalidArgument(t *testing.T) {
	p := newTestPlugin(t)
	for name, rec := range map[string]map[string]any{
		"id_number a number":       with(cleanRecord(t), "id_number", 110105),
		"mobile_phone a bool":      with(cleanRecord(t), "mobile_phone", true),
		"contacts an object":       with(cleanRecord(t), "emergency_contacts", map[string]any{"name": "x"}),
		"contact a string":         with(cleanRecord(t), "emergency_contacts", []any{"13900001111"}),
		"contact phone a number":   with(cleanRecord(t), "emergency_contacts", []any{map[string]any{"phone": 13900001111}}),
		"applicant_name a list":    with(cleanRecord(t), "applicant_name", []any{"王"}),
		"client_ip a number value": with(cleanRecord(t), "client_ip", 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := p.Check(context.Background(), p.call(rec, nil))
			assert.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
		})
	}
}

// TestReadsIsExact proves Info.Reads is what the plugin reads: each declared field
// changes the verdict of a record that fires every rule, and fields outside it change
// nothing.
func TestReadsIsExact(t *testing.T) {
	p := newTestPlugin(t)
	d, err := p.Describe(context.Background())
	require.NoError(t, err)
	rec := everythingRecord(t)
	fillHost(p.Harness, p.tenant, rec)
	full := p.check(rec, nil)

	for _, f := range d.Info.Reads {
		t.Run(f, func(t *testing.T) {
			assert.NotEqual(t, full.Hits, p.check(with(rec, f, nil), nil).Hits, "dropping %s changed nothing", f)
		})
	}
	extra := with(rec, "email", "x@example.com", "residential_region", "110105", "monthly_income", json.Number("1"))
	assert.Equal(t, full, p.check(extra, nil))
	for k := range rec {
		assert.Contains(t, d.Info.Reads, k)
	}
}

// TestMain lets the tests run the compiled test binary as the plugin's own command.
func TestMain(m *testing.M) {
	if os.Getenv("CREDO_ANTIFRAUD_RUN_MAIN") == "1" {
		os.Args = append([]string{"credo-antifraud"}, strings.Fields(os.Getenv("CREDO_ANTIFRAUD_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runMain(t *testing.T, args string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CREDO_ANTIFRAUD_RUN_MAIN=1", "CREDO_ANTIFRAUD_ARGS="+args)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errb.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), errb.String(), 0
}

func TestCommand(t *testing.T) {
	out, _, code := runMain(t, "version")
	assert.Equal(t, 0, code)
	assert.Equal(t, "1.0.0\n", out)

	// Started by hand rather than by a host, it explains itself instead of serving.
	_, errOut, code := runMain(t, "")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "credo-antifraud 1.0.0 is a Credo plugin")

	_, errOut, code = runMain(t, "serve --now")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: credo-antifraud")
}

// BenchmarkCheck measures one check through the real in-process gRPC connection: every
// rule runs and every host lookup answers, with no hit.
func BenchmarkCheck(b *testing.B) {
	h := sdktest.New(b, serveOpts(func() time.Time { return testNow }))
	call := sdktest.Call{Tenant: "bench", Form: testForm, Record: cleanRecord(b)}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		v, err := h.Check(ctx, call)
		if err != nil || v.Decision != sdk.Pass {
			b.Fatalf("check: %+v %v", v, err)
		}
	}
}
