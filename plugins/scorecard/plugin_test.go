package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/credolabs/credo/plugins/scorecard/card"
	"github.com/credolabs/credo/plugins/sdk"
	"github.com/credolabs/credo/plugins/sdk/sdktest"
)

// testNow is the clock of every test.
var testNow = time.Date(2026, 6, 1, 9, 30, 0, 0, chinaTime)

// loanTemplate is the lending template's loan-application form, whose records the
// plugin scores.
const loanTemplate = "../../schemas/templates/lending/loan_application.json"

// newTestPlugin compiles the committed model with the test clock.
func newTestPlugin(t testing.TB) *plugin {
	t.Helper()
	p, err := newPlugin(modelJSON)
	require.NoError(t, err)
	p.now = func() time.Time { return testNow }
	return p
}

// newTestHarness serves the plugin over sdktest's in-process gRPC connection.
func newTestHarness(t testing.TB) (*sdktest.Harness, *plugin) {
	t.Helper()
	p := newTestPlugin(t)
	return sdktest.New(t, p.serveOpts()), p
}

// application is a complete, valid loan application.
func application() map[string]any {
	return map[string]any{
		"applicant_name": "张伟", "gender": "male", "birth_date": "1988-03-15",
		"id_number": "110101198803150031", "marital_status": "married", "education": "bachelor",
		"mobile_phone": "13800138000", "residential_region": "110101",
		"residential_address": "北京市东城区东华门街道1号", "years_at_address": 6,
		"employer_name": "北京某某科技有限公司", "industry": "it", "years_employed": 2.5,
		"monthly_income": 9000, "other_income": 0, "monthly_debt": 1500, "existing_loans_count": 1,
		"housing_status": "rented", "product": "personal_consumer", "purpose": "durable_goods",
		"amount": 60000, "term_months": 36, "repayment_method": "equal_installment",
		"disbursement_card": "6222020200001234567", "channel": "online",
		"emergency_contacts":   []any{map[string]any{"name": "李娜", "relation": "spouse", "phone": "13900139000"}},
		"consent_credit_check": true, "consent_privacy": true, "debt_to_income": 0.1667, "annual_income": 108000,
	}
}

// hostView keeps only the fields the plugin declared, as the host does.
func hostView(t testing.TB, p *plugin, rec map[string]any) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, f := range p.card.Model().Reads() {
		if v, ok := rec[f]; ok {
			out[f] = v
		}
	}
	return out
}

// formSchema compiles the loan application's record schema.
func formSchema(t testing.TB) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	raw, err := os.ReadFile(loanTemplate)
	require.NoError(t, err)
	var tmpl struct {
		Schema json.RawMessage `json:"schema"`
	}
	require.NoError(t, json.Unmarshal(raw, &tmpl))
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	require.NoError(t, c.AddResource("loan_application.json", bytes.NewReader(tmpl.Schema)))
	s, err := c.Compile("loan_application.json")
	require.NoError(t, err)
	var props struct {
		Properties map[string]any `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(tmpl.Schema, &props))
	return s, props.Properties
}

// asJSON round-trips v through JSON, the shape validators and the host see.
func asJSON(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func TestDescribe(t *testing.T) {
	h, p := newTestHarness(t)
	d, err := h.Describe(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "credo-scorecard", d.Info.Name)
	assert.Equal(t, "1.0.0", d.Info.Version)
	assert.True(t, d.Scorer)
	assert.False(t, d.FraudDetector)
	assert.Contains(t, d.Info.Description, p.card.Model().ModelVersion)
	assert.Equal(t, p.card.Model().Reads(), d.Info.Reads)
	for _, f := range []string{"term_months", "amount", "birth_date", "purpose", "housing_status", "monthly_income"} {
		assert.Contains(t, d.Info.Reads, f)
	}
	assert.NotContains(t, d.Info.Reads, "id_number", "the scorecard has no use for identity data")

	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("config.json", bytes.NewReader(d.Info.ConfigSchema)))
	s, err := c.Compile("config.json")
	require.NoError(t, err, "the config schema is valid JSON Schema")
	assert.Equal(t, jsonschema.Draft2020, s.Draft)
	assert.Error(t, s.Validate(asJSON(t, map[string]any{"limit_cap": 1000, "colour": "red"})), "strict")
}

func TestScoreALoanApplication(t *testing.T) {
	h, p := newTestHarness(t)
	m := p.card.Model()
	schema, _ := formSchema(t)
	rec := application()
	require.NoError(t, schema.Validate(asJSON(t, rec)), "the test record is a valid loan application")

	got, err := h.Score(context.Background(), sdktest.Call{Form: "loan_application", Record: hostView(t, p, rec)})
	require.NoError(t, err)
	assert.Equal(t, m.ModelVersion, got.ModelVersion)
	assert.True(t, got.Grade.Valid(), got.Grade)
	assert.Greater(t, got.Score, 350)
	assert.Less(t, got.Score, 700)
	assert.InDelta(t, m.Scaling.PD(float64(got.Score)), got.ProbabilityOfDefault, 1e-12)
	assert.Equal(t, "CNY", got.Currency)

	// The suggested limit is 9,000 a month times the grade's default multiple.
	mult := m.Policy.Multiples.Of(string(got.Grade))
	want := math.Floor(math.Min(9000*mult, m.Policy.Cap)/100) * 100
	assert.Equal(t, strconv.FormatFloat(want, 'f', 2, 64), got.SuggestedLimit)

	require.NotEmpty(t, got.Reasons)
	var adverse int
	codes := map[string]bool{}
	for _, r := range got.Reasons {
		codes[r.Code] = true
		assert.NotEmpty(t, r.Text["en"], r.Code)
		assert.NotEmpty(t, r.Text["zh-CN"], r.Code)
		if r.Points < 0 {
			adverse++
		}
	}
	assert.LessOrEqual(t, adverse, m.MaxReasons)
	// Adverse reasons come first, most costly first, then the notes (0 points).
	assert.True(t, slices.IsSortedFunc(got.Reasons, func(a, b sdk.Reason) int {
		switch {
		case a.Points < b.Points:
			return -1
		case a.Points > b.Points:
			return 1
		}
		return 0
	}), "%+v", got.Reasons)
	assert.True(t, codes["checking_status.missing"], "the form has no checking account: %v", codes)
	assert.True(t, codes["property.unmapped"], "a renter's property is not known")
}

func TestMissingFieldsScoreAsNeutral(t *testing.T) {
	h, p := newTestHarness(t)
	m := p.card.Model()
	got, err := h.Score(context.Background(), sdktest.Call{Record: map[string]any{}})
	require.NoError(t, err)
	assert.Equal(t, m.InterceptPoints, got.Score, "every feature neutral")
	assert.Empty(t, got.SuggestedLimit, "no income, no limit")
	codes := map[string]bool{}
	for _, r := range got.Reasons {
		codes[r.Code] = true
		assert.InDelta(t, 0, r.Points, 0)
	}
	for _, f := range m.Features {
		assert.True(t, codes[f.Name+".missing"], f.Name)
	}
	assert.True(t, codes["credit_limit.no_income"])

	// Half an application: what is there counts, the rest is noted.
	partial := map[string]any{"term_months": 48, "amount": 150000, "monthly_income": 6000}
	got, err = h.Score(context.Background(), sdktest.Call{Record: partial})
	require.NoError(t, err)
	assert.Less(t, got.Score, m.InterceptPoints, "a long, large loan costs points")
	assert.NotEmpty(t, got.SuggestedLimit)
}

func TestConfig(t *testing.T) {
	h, p := newTestHarness(t)
	ctx := context.Background()
	rec := hostView(t, p, application())
	base, err := h.Score(ctx, sdktest.Call{Record: rec})
	require.NoError(t, err)

	t.Run("empty config means the defaults", func(t *testing.T) {
		for _, cfg := range []any{nil, map[string]any{}} {
			got, err := h.Score(ctx, sdktest.Call{Record: rec, Config: cfg})
			require.NoError(t, err)
			assert.Equal(t, base.SuggestedLimit, got.SuggestedLimit)
			assert.Equal(t, "CNY", got.Currency)
		}
	})
	t.Run("overrides", func(t *testing.T) {
		cfg := map[string]any{
			"limit_multiples": map[string]any{"S": 20, "A": 20, "B": 20, "C": 20, "D": 20},
			"limit_cap":       150000, "limit_step": 1000, "currency": "HKD",
		}
		got, err := h.Score(ctx, sdktest.Call{Record: rec, Config: cfg})
		require.NoError(t, err)
		assert.Equal(t, "150000.00", got.SuggestedLimit, "20 × 9,000 capped at 150,000")
		assert.Equal(t, "HKD", got.Currency)
		assert.Equal(t, base.Score, got.Score, "configuration never changes the score")
	})
	t.Run("annual income", func(t *testing.T) {
		got, err := h.Score(ctx, sdktest.Call{Record: rec, Config: map[string]any{"income_field": "annual_income"}})
		require.NoError(t, err)
		// 108,000 a year is 9,000 a month, the same limit as from monthly_income.
		assert.Equal(t, base.SuggestedLimit, got.SuggestedLimit)
	})

	bad := map[string]any{
		"unknown field":           map[string]any{"limit_multiplier": 3},
		"wrong type":              map[string]any{"limit_cap": "lots"},
		"negative cap":            map[string]any{"limit_cap": -1},
		"worse grade, more":       map[string]any{"limit_multiples": map[string]any{"D": 9}},
		"unknown grade":           map[string]any{"limit_multiples": map[string]any{"E": 1}},
		"lower-case currency":     map[string]any{"currency": "cny"},
		"income field not read":   map[string]any{"income_field": "salary"},
		"not an object":           []any{1, 2},
		"negative multiple":       map[string]any{"limit_multiples": map[string]any{"D": -1}},
		"zero step":               map[string]any{"limit_step": 0},
		"multiples not an object": map[string]any{"limit_multiples": 4},
	}
	for name, cfg := range bad {
		t.Run("rejects "+name, func(t *testing.T) {
			_, err := h.Score(ctx, sdktest.Call{Record: rec, Config: cfg})
			assert.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
			assert.ErrorContains(t, err, "config")
		})
	}
}

// TestConfigSchemaAgreesWithTheDecoder: what the host's schema check lets through, the
// plugin accepts, and the other way round; the one rule a schema cannot state (multiples
// never rising for worse grades) is the decoder's alone.
func TestConfigSchemaAgreesWithTheDecoder(t *testing.T) {
	p := newTestPlugin(t)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("config.json", bytes.NewReader(p.schema)))
	schema, err := c.Compile("config.json")
	require.NoError(t, err)
	cases := []struct {
		cfg        string
		schemaOnly bool // the schema accepts it, the decoder does not
	}{
		{cfg: `{}`},
		{cfg: `{"limit_multiples": {"A": 5}}`},
		{cfg: `{"limit_multiples": {"S": 10, "A": 8, "B": 6, "C": 3, "D": 1}, "limit_cap": 50000, "limit_step": 50, "currency": "USD", "income_field": "monthly_income"}`},
		{cfg: `{"limit_multiples": {"D": 3}}`, schemaOnly: true},
		{cfg: `{"limit_multiples": {"X": 1}}`},
		{cfg: `{"limit_cap": 0}`},
		{cfg: `{"limit_cap": "1"}`},
		{cfg: `{"currency": "RMB1"}`},
		{cfg: `{"income_field": "salary"}`},
		{cfg: `{"extra": true}`},
		{cfg: `[]`},
	}
	for _, tc := range cases {
		var v any
		require.NoError(t, json.Unmarshal([]byte(tc.cfg), &v))
		schemaOK := schema.Validate(v) == nil
		_, err := policyFor(json.RawMessage(tc.cfg), p.card.Model().Policy)
		decoderOK := err == nil
		if tc.schemaOnly {
			assert.True(t, schemaOK && !decoderOK, "%s: schema %v, decoder %v", tc.cfg, schemaOK, err)
			continue
		}
		assert.Equal(t, schemaOK, decoderOK, "%s: schema %v, decoder %v", tc.cfg, schemaOK, err)
	}
}

func TestBadRecordsAreBadInput(t *testing.T) {
	h, p := newTestHarness(t)
	cases := map[string]map[string]any{
		"amount is text":       {"amount": "lots", "term_months": 12},
		"birth date malformed": {"birth_date": "15/03/1988"},
		"born in the future":   {"birth_date": "2040-01-01"},
		"income is text":       {"monthly_income": "a good salary"},
		"negative income":      {"monthly_income": -5},
	}
	for name, rec := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := h.Score(context.Background(), sdktest.Call{Record: hostView(t, p, rec)})
			assert.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
		})
	}
}

// TestPDFallsAsTheScoreRises scores a grid of applications through the plugin: a
// higher score must always mean a lower probability of default, and an equal score the
// same one.
func TestPDFallsAsTheScoreRises(t *testing.T) {
	h, p := newTestHarness(t)
	type point struct {
		score int
		pd    float64
	}
	var pts []point
	for _, term := range []int{6, 12, 24, 36} {
		for _, amount := range []int{5000, 40000, 150000} {
			for _, housing := range []string{"owned_no_mortgage", "rented", "family"} {
				for _, birth := range []string{"2003-01-01", "1990-06-01", "1960-01-01"} {
					rec := application()
					rec["term_months"], rec["amount"], rec["housing_status"], rec["birth_date"] = term, amount, housing, birth
					got, err := h.Score(context.Background(), sdktest.Call{Record: hostView(t, p, rec)})
					require.NoError(t, err)
					pts = append(pts, point{got.Score, got.ProbabilityOfDefault})
				}
			}
		}
	}
	slices.SortFunc(pts, func(a, b point) int { return a.score - b.score })
	distinct := 0
	for i := 1; i < len(pts); i++ {
		switch {
		case pts[i].score == pts[i-1].score:
			assert.InDelta(t, pts[i-1].pd, pts[i].pd, 0)
		default:
			distinct++
			assert.Less(t, pts[i].pd, pts[i-1].pd, "score %d vs %d", pts[i].score, pts[i-1].score)
		}
	}
	assert.Greater(t, distinct, 30, "the grid spans many scores")
}

// TestBridgeCoversTheLoanApplication keeps the bridge in step with the form: every field
// it reads is a field of the loan application or a German attribute carried by name,
// and every value of the form's mapped choice fields has a mapping, except the ones
// deliberately scored as neutral.
func TestBridgeCoversTheLoanApplication(t *testing.T) {
	p := newTestPlugin(t)
	_, props := formSchema(t)
	neutral := map[string][]string{
		"housing":  {"other"},
		"property": {"rented", "family", "dormitory", "other"},
	}
	enum := func(field string) []string {
		prop, _ := props[field].(map[string]any)
		var out []string
		for _, v := range prop["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	for _, f := range p.card.Model().Features {
		for _, field := range f.Input.Fields {
			_, inForm := props[field]
			assert.True(t, inForm || field == f.Name, "%s reads %s, which the form lacks", f.Name, field)
		}
		if len(f.Input.Map) == 0 || f.Input.Fields[0] == f.Name {
			continue
		}
		var values []string
		if f.Input.Derive == card.DeriveJoin {
			values = []string{""}
			for _, field := range f.Input.Fields {
				var next []string
				for _, prefix := range values {
					for _, v := range enum(field) {
						if prefix == "" {
							next = append(next, v)
						} else {
							next = append(next, prefix+"|"+v)
						}
					}
				}
				values = next
			}
		} else {
			values = enum(f.Input.Fields[0])
		}
		for _, v := range values {
			_, mapped := f.Input.Map[v]
			assert.True(t, mapped || slices.Contains(neutral[f.Name], v), "%s: the form's %q has no mapping", f.Name, v)
		}
	}
}

func TestScoringHonoursTheDeadline(t *testing.T) {
	p := newTestPlugin(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.Score(ctx, &sdk.Call{Record: map[string]any{}})
	assert.ErrorIs(t, err, context.Canceled)
}
