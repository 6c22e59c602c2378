package card

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// Multiples are the credit-limit multiples of monthly income per grade.
type Multiples struct {
	S float64 `json:"S"`
	A float64 `json:"A"`
	B float64 `json:"B"`
	C float64 `json:"C"`
	D float64 `json:"D"`
}

// Of returns the multiple for grade g (0 for an unknown grade).
func (m Multiples) Of(g string) float64 {
	switch g {
	case "S":
		return m.S
	case "A":
		return m.A
	case "B":
		return m.B
	case "C":
		return m.C
	case "D":
		return m.D
	}
	return 0
}

// LimitPolicy suggests a credit limit: monthly income × the grade's multiple, capped,
// rounded down to a step.
type LimitPolicy struct {
	Multiples Multiples `json:"multiples"`
	// Cap is the largest limit suggested.
	Cap float64 `json:"cap"`
	// Step is what limits are rounded down to (100: 12,345 becomes 12,300).
	Step float64 `json:"step"`
	// Currency is the ISO 4217 code of income, cap and limit.
	Currency string `json:"currency"`
	// IncomeField is the record field holding the income.
	IncomeField string `json:"income_field"`
	// IncomeFields lists the fields IncomeField may name, each with the factor that
	// turns it into a monthly income (1 for monthly_income, 1/12 for annual_income).
	IncomeFields map[string]float64 `json:"income_fields"`
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// Validate checks the policy: multiples not negative and never larger for a worse
// grade, a positive cap and step, an ISO currency code and a known income field.
func (p LimitPolicy) Validate() error {
	m := []float64{p.Multiples.S, p.Multiples.A, p.Multiples.B, p.Multiples.C, p.Multiples.D}
	for i, x := range m {
		if !(x >= 0) || math.IsInf(x, 0) {
			return fmt.Errorf("multiple for grade %s must be a number >= 0", Grades[i])
		}
		if i > 0 && x > m[i-1] {
			return fmt.Errorf("multiple for grade %s (%g) exceeds grade %s's (%g); a worse grade never gets more",
				Grades[i], x, Grades[i-1], m[i-1])
		}
	}
	if !(p.Cap > 0) || math.IsInf(p.Cap, 0) {
		return errors.New("cap must be a number > 0")
	}
	if !(p.Step > 0) || math.IsInf(p.Step, 0) {
		return errors.New("step must be a number > 0")
	}
	if !currencyCode.MatchString(p.Currency) {
		return fmt.Errorf("currency %q is not an ISO 4217 code", p.Currency)
	}
	for f, k := range p.IncomeFields {
		if !(k > 0) || math.IsInf(k, 0) {
			return fmt.Errorf("income field %s: factor must be > 0", f)
		}
	}
	if _, ok := p.IncomeFields[p.IncomeField]; !ok {
		return fmt.Errorf("income_field %q is not one of the income fields", p.IncomeField)
	}
	return nil
}

// Limit is the suggested limit for grade g and the record's income (in IncomeField's
// terms): income × factor × multiple, at most Cap, rounded down to Step.
func (p LimitPolicy) Limit(g string, income float64) float64 {
	x := income * p.IncomeFields[p.IncomeField] * p.Multiples.Of(g)
	x = min(x, p.Cap)
	// The small epsilon keeps 480.0000000001 steps from flooring to 479.
	steps := math.Floor(x/p.Step + 1e-9)
	return max(steps*p.Step, 0)
}

// FormatAmount writes an amount as a decimal string with two places ("12000.00").
func FormatAmount(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
