package card

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func defaultPolicy() LimitPolicy {
	return LimitPolicy{Multiples: Multiples{S: 8, A: 6, B: 4, C: 2, D: 0}, Cap: 200000, Step: 100, Currency: "CNY",
		IncomeField: "monthly_income", IncomeFields: map[string]float64{"monthly_income": 1, "annual_income": 1.0 / 12}}
}

func TestLimit(t *testing.T) {
	p := defaultPolicy()
	annual := defaultPolicy()
	annual.IncomeField = "annual_income"
	cases := []struct {
		name   string
		p      LimitPolicy
		grade  string
		income float64
		want   float64
	}{
		{"income times the multiple", p, "A", 8000, 48000},
		{"rounded down to the step", p, "A", 8333.33, 49900},
		{"an exact step stays", p, "B", 12025, 48100},
		{"capped", p, "S", 30000, 200000},
		{"grade D gets nothing", p, "D", 50000, 0},
		{"no income, no limit", p, "S", 0, 0},
		{"annual income is made monthly", annual, "C", 120000, 20000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, tc.p.Limit(tc.grade, tc.income), 1e-9)
		})
	}
	assert.Equal(t, "48000.00", FormatAmount(48000))
}

func TestLimitPolicyValidate(t *testing.T) {
	assert.NoError(t, defaultPolicy().Validate())
	cases := map[string]func(*LimitPolicy){
		"negative multiple":          func(p *LimitPolicy) { p.Multiples.D = -1 },
		"worse grade, more credit":   func(p *LimitPolicy) { p.Multiples.B = 7 },
		"no cap":                     func(p *LimitPolicy) { p.Cap = 0 },
		"no step":                    func(p *LimitPolicy) { p.Step = 0 },
		"currency not ISO":           func(p *LimitPolicy) { p.Currency = "yuan" },
		"unknown income field":       func(p *LimitPolicy) { p.IncomeField = "salary" },
		"income factor not positive": func(p *LimitPolicy) { p.IncomeFields = map[string]float64{"monthly_income": 0} },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			p := defaultPolicy()
			mutate(&p)
			assert.Error(t, p.Validate())
		})
	}
}
