package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/credolabs/credo/plugins/scorecard/card"
)

// Config is a tenant's configuration of the plugin. Every field is optional; an absent
// field keeps the model's default credit-limit policy.
type Config struct {
	// LimitMultiples are the multiples of monthly income per grade; absent grades keep
	// their default.
	LimitMultiples *MultiplesConfig `json:"limit_multiples,omitempty"`
	// LimitCap is the largest limit suggested.
	LimitCap *float64 `json:"limit_cap,omitempty"`
	// LimitStep is what limits are rounded down to.
	LimitStep *float64 `json:"limit_step,omitempty"`
	// Currency is the ISO 4217 code of income, cap and limit.
	Currency *string `json:"currency,omitempty"`
	// IncomeField is the record field the income is read from.
	IncomeField *string `json:"income_field,omitempty"`
}

// MultiplesConfig overrides some or all of the per-grade multiples.
type MultiplesConfig struct {
	S *float64 `json:"S,omitempty"`
	A *float64 `json:"A,omitempty"`
	B *float64 `json:"B,omitempty"`
	C *float64 `json:"C,omitempty"`
	D *float64 `json:"D,omitempty"`
}

// policyFor decodes a tenant's configuration strictly (unknown fields and trailing data
// are errors) over the default policy and validates the result. Empty configuration
// means the defaults.
func policyFor(raw json.RawMessage, def card.LimitPolicy) (card.LimitPolicy, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return def, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return card.LimitPolicy{}, fmt.Errorf("decode config: %w", err)
	}
	if dec.More() {
		return card.LimitPolicy{}, errors.New("decode config: trailing data after the object")
	}
	p := def
	// The policy's map is shared with the model; it is only read, never written.
	if m := c.LimitMultiples; m != nil {
		set := func(dst *float64, v *float64) {
			if v != nil {
				*dst = *v
			}
		}
		set(&p.Multiples.S, m.S)
		set(&p.Multiples.A, m.A)
		set(&p.Multiples.B, m.B)
		set(&p.Multiples.C, m.C)
		set(&p.Multiples.D, m.D)
	}
	if c.LimitCap != nil {
		p.Cap = *c.LimitCap
	}
	if c.LimitStep != nil {
		p.Step = *c.LimitStep
	}
	if c.Currency != nil {
		p.Currency = *c.Currency
	}
	if c.IncomeField != nil {
		p.IncomeField = *c.IncomeField
	}
	if err := p.Validate(); err != nil {
		return card.LimitPolicy{}, fmt.Errorf("config: %w", err)
	}
	return p, nil
}

// configSchema is the JSON Schema (2020-12) of Config, with the model's defaults.
func configSchema(def card.LimitPolicy) (json.RawMessage, error) {
	type obj = map[string]any
	mult := obj{}
	for _, g := range card.Grades {
		mult[g] = obj{"type": "number", "minimum": 0, "default": def.Multiples.Of(g),
			"description": fmt.Sprintf("Multiple of monthly income for grade %s.", g)}
	}
	var incomeFields, factors []string
	for f := range def.IncomeFields {
		incomeFields = append(incomeFields, f)
	}
	slices.Sort(incomeFields)
	for _, f := range incomeFields {
		factors = append(factors, fmt.Sprintf("%s × %.6g", f, def.IncomeFields[f]))
	}
	s := obj{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"title":                "credo-scorecard configuration",
		"description":          "Credit-limit policy: monthly income × the grade's multiple, at most limit_cap, rounded down to limit_step. Every field is optional; absent fields keep the defaults shown.",
		"type":                 "object",
		"additionalProperties": false,
		"properties": obj{
			"limit_multiples": obj{"type": "object", "additionalProperties": false, "properties": mult,
				"description": "Multiples of monthly income per grade. A worse grade may not get a larger multiple than a better one."},
			"limit_cap": obj{"type": "number", "exclusiveMinimum": 0, "default": def.Cap,
				"description": "Largest limit suggested, in currency."},
			"limit_step": obj{"type": "number", "exclusiveMinimum": 0, "default": def.Step,
				"description": "Limits are rounded down to a multiple of this."},
			"currency": obj{"type": "string", "pattern": "^[A-Z]{3}$", "default": def.Currency,
				"description": "ISO 4217 code of income, cap and limit. The model's loan-amount bridge assumes CNY."},
			"income_field": obj{"type": "string", "enum": incomeFields, "default": def.IncomeField,
				"description": "Record field holding the income, turned into a monthly income as " + strings.Join(factors, ", ") + "."},
		},
	}
	return json.Marshal(s)
}
