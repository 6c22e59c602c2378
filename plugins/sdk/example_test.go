package sdk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"google.golang.org/grpc/status"

	"github.com/credolabs/credo/plugins/sdk"
	"github.com/credolabs/credo/plugins/sdk/sdktest"
)

// info is what the plugin says of itself; its manifest must agree on name and version.
var info = sdk.Info{
	Name:        "acme-dti",
	Version:     "1.0.0",
	Description: "Debt-to-income scorecard",
	Reads:       []string{"monthly_income", "monthly_debt"},
	ConfigSchema: json.RawMessage(`{
		"type": "object",
		"properties": {"max_limit": {"type": "number", "exclusiveMinimum": 0}},
		"additionalProperties": false
	}`),
}

// config is a tenant's binding configuration, valid against info.ConfigSchema.
type config struct {
	MaxLimit float64 `json:"max_limit"`
}

// score rates an applicant by debt payments over income.
func score(ctx context.Context, call *sdk.Call) (*sdk.Score, error) {
	income, ok := call.Number("monthly_income")
	if !ok || income <= 0 {
		return nil, sdk.BadInput("monthly_income must be a positive number")
	}
	debt, _ := call.Number("monthly_debt") // absent: no debt
	cfg := config{MaxLimit: 50000}
	if len(call.Config) > 0 {
		if err := json.Unmarshal(call.Config, &cfg); err != nil {
			return nil, sdk.BadInput("config: %v", err)
		}
	}

	dti := debt / income
	r := sdk.Reason{Code: "dti_moderate", Points: 0, Text: map[string]string{
		"en": "Debt payments are 20-40% of income", "zh-CN": "负债月供占收入 20-40%"}}
	switch {
	case dti <= 0.2:
		r = sdk.Reason{Code: "dti_low", Points: 80, Text: map[string]string{
			"en": "Debt payments are at most 20% of income", "zh-CN": "负债月供不超过收入的 20%"}}
	case dti > 0.4:
		r = sdk.Reason{Code: "dti_high", Points: -120, Text: map[string]string{
			"en": "Debt payments exceed 40% of income", "zh-CN": "负债月供超过收入的 40%"}}
	}
	points := 600 + int(r.Points)
	s := &sdk.Score{
		Score: points,
		// Good:bad odds of 20:1 at 600 points, doubling every 40 points.
		ProbabilityOfDefault: 1 / (1 + 20*math.Pow(2, float64(points-600)/40)),
		Grade:                grade(points),
		Currency:             "CNY",
		Reasons:              []sdk.Reason{r},
		ModelVersion:         "dti-2026.1",
	}
	// A year of half the income left after debt, capped by the tenant's limit.
	if limit := math.Min(12*(income/2-debt), cfg.MaxLimit); limit >= 1000 && s.Grade != sdk.GradeD {
		s.SuggestedLimit = fmt.Sprintf("%.2f", math.Floor(limit/100)*100)
	}
	return s, nil
}

func grade(points int) sdk.Grade {
	switch {
	case points >= 720:
		return sdk.GradeS
	case points >= 660:
		return sdk.GradeA
	case points >= 600:
		return sdk.GradeB
	case points >= 540:
		return sdk.GradeC
	}
	return sdk.GradeD
}

// Example serves the scorer through sdktest, over the same gRPC protocol the Credo host
// uses, and calls it as the host would. In a plugin's own tests, pass the test's t to
// sdktest.New.
func Example() {
	t := &exampleT{}
	defer t.cleanup()
	h := sdktest.New(t, sdk.ServeOpts{Info: info, Scorer: sdk.ScorerFunc(score)})
	ctx := context.Background()

	d, err := h.Describe(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %s, scorer %v, fraud detector %v, reads %v\n",
		d.Info.Name, d.Info.Version, d.Scorer, d.FraudDetector, d.Info.Reads)

	for _, c := range []sdktest.Call{
		{Record: map[string]any{"monthly_income": 9000, "monthly_debt": 1200}},
		{Record: map[string]any{"monthly_income": 9000, "monthly_debt": 1200}, Config: map[string]any{"max_limit": 20000}},
		{Record: map[string]any{"monthly_income": "6000", "monthly_debt": 3000}},
		{Record: map[string]any{"monthly_debt": 3000}},
	} {
		s, err := h.Score(ctx, c)
		if err != nil {
			fmt.Printf("%s: %s\n", status.Code(err), status.Convert(err).Message())
			continue
		}
		fmt.Printf("%d %s pd=%.4f limit=%q %s\n", s.Score, s.Grade, s.ProbabilityOfDefault, s.SuggestedLimit, s.Reasons[0].Code)
	}
	// Output:
	// acme-dti 1.0.0, scorer true, fraud detector false, reads [monthly_income monthly_debt]
	// 680 A pd=0.0123 limit="39600.00" dti_low
	// 680 A pd=0.0123 limit="20000.00" dti_low
	// 480 D pd=0.2857 limit="" dti_high
	// InvalidArgument: bad input: monthly_income must be a positive number
}

// exampleT stands in for the *testing.T a plugin's tests pass to sdktest.New, since an
// Example gets none; sdktest and go-plugin call only these methods.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (t *exampleT) Helper()                      {}
func (t *exampleT) Cleanup(f func())             { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Fatal(args ...any)            { panic(fmt.Sprint(args...)) }
func (t *exampleT) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }

func (t *exampleT) cleanup() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
