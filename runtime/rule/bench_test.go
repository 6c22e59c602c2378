package rule

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// benchRules builds 100 enabled record.created rules mixing CEL expressions, visual
// trees, comprehensions over sub-tables and set_field expressions; about a third match.
func benchRules() []string {
	conds := []string{
		`"condition":"has(record.credit_score.score) && record.credit_score.score < %d"`,
		`"condition":{"all":[{"field":"amount","op":"gt","value":%d},{"field":"channel","op":"in","value":["online","partner"]}]}`,
		`"condition":"record.fraud_check.hits.exists(h, h.rule == \"contact.overdue\") || record.term_months > %d"`,
		`"condition":{"any":[{"field":"monthly_income","op":"lt","value":%d},{"all":[{"field":"purpose","op":"eq","value":"education"},{"field":"email","op":"is_set"}]}]}`,
		`"condition":"record.debt_to_income > 0.5 && record.amount > double(%d)"`,
	}
	var out []string
	for i := range 100 {
		cond := fmt.Sprintf(conds[i%len(conds)], 300+i*10)
		action := `{"type":"flag","flag":"bench"}`
		if i%4 == 0 {
			action = `{"type":"set_field","field":"position","expr":"record.applicant_name + ' ' + record.channel"}`
		}
		out = append(out, fmt.Sprintf(`{"key":"r%03d","title":{"en":"r"},"priority":%d,"trigger":{"on":"record.created"},%s,"actions":[%s]}`, i, i%7, cond, action))
	}
	return out
}

// BenchmarkEvaluate100SimpleRules is the breakdown of the above: 100 comparisons whose
// cost is bounded statically (no run-time cost tracking, no comprehension, no string
// building), so the difference is what comprehensions and set_field expressions cost.
func BenchmarkEvaluate100SimpleRules(b *testing.B) {
	var rules []string
	for i := range 100 {
		rules = append(rules, fmt.Sprintf(`{"key":"r%03d","title":{"en":"r"},"trigger":{"on":"record.created"},
			"condition":{"all":[{"field":"amount","op":"gt","value":%d},{"field":"credit_score.score","op":"lt","value":%d}]},
			"actions":[{"type":"flag","flag":"bench"}]}`, i, 40000+i*100, 600+i))
	}
	s := mustSet(b, rules...)
	ev := created(loanRecord(b, ""))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Evaluate(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate100Rules evaluates 100 enabled rules against one record.created event.
// Target: at most 100 µs per event.
func BenchmarkEvaluate100Rules(b *testing.B) {
	s := mustSet(b, benchRules()...)
	rec := loanRecord(b, `{"credit_score":{"status":"done","score":655,"grade":"B"},
		"fraud_check":{"status":"done","decision":"review","hits":[{"rule":"velocity.phone"},{"rule":"contact.overdue"}]}}`)
	ev := created(rec)
	ctx := context.Background()
	res, err := s.Evaluate(ctx, ev)
	require.NoError(b, err)
	require.Empty(b, res.Failures)
	require.NotEmpty(b, res.Matched)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Evaluate(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(res.Matched)), "matched")
}
