package card

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Input is the bridge from a record to one feature: the fields it reads and how their
// values become the feature's value (a category code or a number in the training
// data's units). It lives in the model file, so mapping a new form needs no code.
//
// A value is computed in three steps: Derive combines the fields into one raw value,
// then Map (string to code) or Bands (number to code or value) translate it, then Scale
// multiplies a number. A record without the fields scores the feature as neutral.
type Input struct {
	// Fields are the record fields read, in the order Derive expects.
	Fields []string `json:"fields"`
	// Derive is how the fields become one raw value:
	//   ""                 the value of the one field
	//   "join"             the fields' values joined with "|" ("male|married")
	//   "age_years"        full years from a date field ("1990-05-17") to the scoring day
	//                      (the calendar day of the scoring time in its own location)
	//   "installment_pct"  fields amount, term in months, monthly income: the flat
	//                      monthly instalment as a percentage of income
	Derive string `json:"derive,omitempty"`
	// Map translates a string raw value to a category code; a value not in the map
	// scores as neutral.
	Map map[string]string `json:"map,omitempty"`
	// Bands translate a numeric raw value: the first band whose Below exceeds the value
	// gives the result; the last band has no Below.
	Bands []Band `json:"bands,omitempty"`
	// Scale multiplies a numeric raw value into the training data's units (CNY to DM).
	Scale float64 `json:"scale,omitempty"`
	// Unit names the record's unit, for bin labels shown to people, when it differs from
	// the training data's.
	Unit *Text `json:"unit,omitempty"`
	// Note explains the mapping for the people who review it.
	Note string `json:"note,omitempty"`
}

// Band is one step of Input.Bands.
type Band struct {
	// Below is the band's exclusive upper bound; nil for the last band.
	Below *float64 `json:"below,omitempty"`
	// Code is the result for a categorical feature, Value for a numeric one.
	Code  string   `json:"code,omitempty"`
	Value *float64 `json:"value,omitempty"`
}

// The derivations Input.Derive knows.
const (
	DeriveNone           = ""
	DeriveJoin           = "join"
	DeriveAgeYears       = "age_years"
	DeriveInstallmentPct = "installment_pct"
)

// Status says how a feature's value was found.
type Status int

// The statuses.
const (
	// Found: the record gave a value the scorecard has a bin for.
	Found Status = iota
	// Missing: the record lacks a field the feature reads.
	Missing
	// Unmapped: the record's value has no bin (a category the bridge does not map, or
	// that training never saw).
	Unmapped
)

// InputError is a record value of the wrong type or form, such as text where a number
// belongs or a date that does not parse. It is the caller's fault, not the model's.
type InputError struct {
	Field string
	Msg   string
}

func (e *InputError) Error() string { return fmt.Sprintf("field %s: %s", e.Field, e.Msg) }

// resolve computes the feature's value from rec. A Missing or Unmapped status comes
// with a zero Value; a wrongly typed field is an *InputError.
func (in *Input) resolve(kind Kind, rec map[string]any, now time.Time) (Value, Status, error) {
	raw, st, err := in.derive(rec, now)
	if err != nil || st != Found {
		return Value{}, st, err
	}
	switch kind {
	case Categorical:
		var code string
		if len(in.Bands) > 0 {
			x, err := rawNumber(in.Fields[0], raw)
			if err != nil {
				return Value{}, 0, err
			}
			code = in.band(x).Code
		} else {
			s, err := asString(in.Fields[0], raw)
			if err != nil {
				return Value{}, 0, err
			}
			var ok bool
			if code, ok = in.Map[s]; !ok {
				return Value{}, Unmapped, nil
			}
		}
		return Value{Cat: code}, Found, nil
	default:
		x, err := rawNumber(in.Fields[0], raw)
		if err != nil {
			return Value{}, 0, err
		}
		if len(in.Bands) > 0 {
			x = *in.band(x).Value
		}
		if in.Scale != 0 {
			x *= in.Scale
		}
		return Value{Num: x}, Found, nil
	}
}

func (in *Input) band(x float64) Band {
	for _, b := range in.Bands {
		if b.Below == nil || x < *b.Below {
			return b
		}
	}
	return in.Bands[len(in.Bands)-1] // unreachable: validate requires an open last band
}

// derive combines the fields into one raw value (a string, a float64 or a json.Number).
func (in *Input) derive(rec map[string]any, now time.Time) (any, Status, error) {
	vals := make([]any, len(in.Fields))
	for i, f := range in.Fields {
		v, ok := rec[f]
		if !ok || v == nil {
			return nil, Missing, nil
		}
		if s, isStr := v.(string); isStr && strings.TrimSpace(s) == "" {
			return nil, Missing, nil
		}
		vals[i] = v
	}
	switch in.Derive {
	case DeriveNone:
		return vals[0], Found, nil
	case DeriveJoin:
		parts := make([]string, len(vals))
		for i, v := range vals {
			s, err := asString(in.Fields[i], v)
			if err != nil {
				return nil, 0, err
			}
			parts[i] = s
		}
		return strings.Join(parts, "|"), Found, nil
	case DeriveAgeYears:
		s, err := asString(in.Fields[0], vals[0])
		if err != nil {
			return nil, 0, err
		}
		born, err := parseDate(s)
		if err != nil {
			return nil, 0, &InputError{Field: in.Fields[0], Msg: fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s)}
		}
		age := fullYears(born, now)
		if age < 0 {
			return nil, 0, &InputError{Field: in.Fields[0], Msg: "date of birth is in the future"}
		}
		return float64(age), Found, nil
	case DeriveInstallmentPct:
		var x [3]float64
		for i := range 3 {
			n, err := asNumber(in.Fields[i], vals[i])
			if err != nil {
				return nil, 0, err
			}
			x[i] = n
		}
		amount, term, income := x[0], x[1], x[2]
		if amount < 0 || term <= 0 || income < 0 {
			return nil, 0, &InputError{Field: in.Fields[1],
				Msg: "amount and income must not be negative and the term must be positive"}
		}
		if income == 0 {
			// No income: any instalment is beyond every band.
			return math.Inf(1), Found, nil
		}
		return amount / term / income * 100, Found, nil
	}
	return nil, 0, fmt.Errorf("unknown derive %q", in.Derive)
}

// parseDate accepts a calendar date, or a timestamp whose date part is used.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

// fullYears is the age in completed years on the calendar day of now, in now's own
// location.
func fullYears(born, now time.Time) int {
	age := now.Year() - born.Year()
	if now.Month() < born.Month() || (now.Month() == born.Month() && now.Day() < born.Day()) {
		age--
	}
	return age
}

func asString(field string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x), nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	}
	return "", &InputError{Field: field, Msg: fmt.Sprintf("expected text, got %T", v)}
}

// rawNumber reads a raw value as a number; a derived float64 passes as is, since a
// derivation may legitimately give +Inf (an instalment against no income).
func rawNumber(field string, v any) (float64, error) {
	if x, ok := v.(float64); ok && !math.IsNaN(x) {
		return x, nil
	}
	return asNumber(field, v)
}

func asNumber(field string, v any) (float64, error) {
	var x float64
	var err error
	switch n := v.(type) {
	case float64:
		x = n
	case int:
		x = float64(n)
	case int64:
		x = float64(n)
	case json.Number:
		x, err = n.Float64()
	case string:
		x, err = strconv.ParseFloat(strings.TrimSpace(n), 64)
	default:
		return 0, &InputError{Field: field, Msg: fmt.Sprintf("expected a number, got %T", v)}
	}
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, &InputError{Field: field, Msg: fmt.Sprintf("%v is not a finite number", v)}
	}
	return x, nil
}

func (in *Input) validate(f *Feature) error {
	if len(in.Fields) == 0 {
		return errors.New("input reads no field")
	}
	for _, name := range in.Fields {
		if name == "" {
			return errors.New("input has an empty field name")
		}
	}
	want := map[string]int{DeriveNone: 1, DeriveAgeYears: 1, DeriveInstallmentPct: 3}
	if n, ok := want[in.Derive]; ok && len(in.Fields) != n {
		return fmt.Errorf("derive %q reads %d field(s), input lists %d", in.Derive, n, len(in.Fields))
	}
	if in.Derive == DeriveJoin && len(in.Fields) < 2 {
		return errors.New(`derive "join" needs at least two fields`)
	}
	if _, ok := want[in.Derive]; !ok && in.Derive != DeriveJoin {
		return fmt.Errorf("unknown derive %q", in.Derive)
	}
	numericRaw := in.Derive == DeriveAgeYears || in.Derive == DeriveInstallmentPct
	if len(in.Map) > 0 && len(in.Bands) > 0 {
		return errors.New("input has both map and bands")
	}
	for i, b := range in.Bands {
		last := i == len(in.Bands)-1
		if last != (b.Below == nil) {
			return errors.New("only the last band has no below")
		}
		if i > 0 && !last && *b.Below <= *in.Bands[i-1].Below {
			return errors.New("bands are not in rising order")
		}
		if _, known := f.category(b.Code); f.Kind == Categorical && (!known || b.Value != nil) {
			return fmt.Errorf("band %d: a categorical feature's band needs one of its codes", i)
		}
		if f.Kind == Numeric && (b.Value == nil || b.Code != "") {
			return fmt.Errorf("band %d: a numeric feature's band needs a value", i)
		}
	}
	switch f.Kind {
	case Categorical:
		if len(in.Map) == 0 && len(in.Bands) == 0 {
			return errors.New("a categorical feature's input needs a map or bands")
		}
		if len(in.Map) > 0 && numericRaw {
			return fmt.Errorf("derive %q gives a number; map needs text", in.Derive)
		}
		for k, code := range in.Map {
			if _, ok := f.category(code); !ok {
				return fmt.Errorf("map sends %q to %q, which is not one of the feature's codes", k, code)
			}
		}
		if in.Scale != 0 {
			return errors.New("scale applies to numeric features only")
		}
	case Numeric:
		if len(in.Map) > 0 {
			return errors.New("map applies to categorical features only")
		}
		if in.Derive == DeriveJoin {
			return errors.New(`derive "join" gives text; a numeric feature needs a number`)
		}
		if in.Scale < 0 || math.IsNaN(in.Scale) || math.IsInf(in.Scale, 0) {
			return errors.New("scale must be positive")
		}
	}
	return nil
}
