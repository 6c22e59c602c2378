package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/plugins/scorecard/card"
	"github.com/credolabs/credo/plugins/sdk"
)

// Name and Version identify the plugin to the host.
const (
	Name    = "credo-scorecard"
	Version = "1.0.0"
)

// plugin scores loan applications with one compiled scorecard.
type plugin struct {
	card   *card.Card
	schema json.RawMessage
	// now is the scoring time (ages are counted to it); tests fix it.
	now func() time.Time
}

// newPlugin compiles a model file into a plugin.
func newPlugin(modelJSON []byte) (*plugin, error) {
	m, err := card.Decode(bytes.NewReader(modelJSON))
	if err != nil {
		return nil, err
	}
	c, err := card.Compile(m)
	if err != nil {
		return nil, err
	}
	schema, err := configSchema(m.Policy)
	if err != nil {
		return nil, fmt.Errorf("config schema: %w", err)
	}
	return &plugin{card: c, schema: schema, now: func() time.Time { return time.Now().In(chinaTime) }}, nil
}

// chinaTime is China Standard Time (no daylight saving): the loan application's dates
// are calendar dates there, so ages turn over at midnight in China.
var chinaTime = time.FixedZone("CST", 8*60*60)

// serveOpts is what the plugin offers the host: a scorer only.
func (p *plugin) serveOpts() sdk.ServeOpts {
	m := p.card.Model()
	return sdk.ServeOpts{
		Info: sdk.Info{
			Name:    Name,
			Version: Version,
			Description: "Weight-of-evidence logistic-regression scorecard (UCI German credit): score, probability of default, " +
				"grade S–D, suggested credit limit and reasons in English and Chinese; model " + m.ModelVersion,
			ConfigSchema: p.schema,
			Reads:        m.Reads(),
		},
		Scorer: sdk.ScorerFunc(p.Score),
	}
}

// Score scores one application. Bad configuration and wrongly typed fields are
// sdk.BadInput; missing fields score as neutral and are named in the reasons.
func (p *plugin) Score(ctx context.Context, call *sdk.Call) (*sdk.Score, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := p.card.Model()
	pol, err := policyFor(call.Config, m.Policy)
	if err != nil {
		return nil, sdk.BadInput("%v", err)
	}
	res, err := p.card.Score(call.Record, p.now())
	if err != nil {
		var ie *card.InputError
		if errors.As(err, &ie) {
			return nil, sdk.BadInput("%v", err)
		}
		return nil, err
	}
	out := &sdk.Score{Score: res.Score, ProbabilityOfDefault: res.PD, Grade: sdk.Grade(res.Grade),
		Currency: pol.Currency, ModelVersion: m.ModelVersion}
	for _, r := range res.Reasons {
		out.Reasons = append(out.Reasons, sdk.Reason{Code: r.Code, Text: r.Text.Map(), Points: float64(r.Points)})
	}
	for _, r := range res.Notes {
		out.Reasons = append(out.Reasons, sdk.Reason{Code: r.Code, Text: r.Text.Map()})
	}
	if v, present := call.Record[pol.IncomeField]; !present || v == nil {
		out.Reasons = append(out.Reasons, sdk.Reason{Code: "credit_limit.no_income", Text: card.Text{
			EN: "No income given, so no credit limit is suggested",
			ZH: "未提供收入，不建议授信额度",
		}.Map()})
		return out, nil
	}
	income, ok := call.Number(pol.IncomeField)
	if !ok || income < 0 {
		return nil, sdk.BadInput("field %s: income must be a number >= 0", pol.IncomeField)
	}
	out.SuggestedLimit = card.FormatAmount(pol.Limit(res.Grade, income))
	return out, nil
}
