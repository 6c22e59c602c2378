// Package sdk is what a vendor imports to build a Credo scoring or anti-fraud plugin.
//
// A plugin is a small executable whose main calls Serve with the handlers it implements:
//
//	func main() {
//		sdk.Serve(sdk.ServeOpts{
//			Info:   sdk.Info{Name: "acme-score", Version: "1.0.0"},
//			Scorer: sdk.ScorerFunc(score),
//		})
//	}
//
// Vendors never see protobuf or go-plugin types; the sdktest package runs a plugin over a
// real in-process gRPC connection for the vendor's own tests. Every exported item names
// the SDK version it appeared in.
package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Info describes a plugin to the host.
//
// Since: v0.1.0
type Info struct {
	// Name identifies the plugin, lowercase with dashes ("acme-score").
	Name string
	// Version is the plugin's semantic version ("1.2.0").
	Version string
	// Description is one line a person can read.
	Description string
	// ConfigSchema is the JSON Schema (2020-12) of the configuration a tenant supplies;
	// nil means the plugin takes no configuration.
	ConfigSchema json.RawMessage
	// Reads lists the record fields the plugin reads; the host sends no others.
	Reads []string
}

// Call is one scoring or fraud request.
//
// Since: v0.1.0
type Call struct {
	// ID identifies the call; the Host uses it to keep lookups inside the call's tenant.
	ID       string
	Tenant   string
	Form     string
	RecordID string
	// Record holds the fields the plugin declared it reads. Numbers are json.Number.
	Record map[string]any
	// Config is the tenant's configuration, valid against Info.ConfigSchema.
	Config json.RawMessage
	// Host answers read-only lookups inside the call's tenant. Never nil: when the host
	// offers no service, its methods return ErrNoHost.
	Host Host
}

// String returns a record field as a string ("" when absent or not a string).
//
// Since: v0.1.0
func (c *Call) String(field string) string {
	s, _ := c.Record[field].(string)
	return s
}

// Number returns a record field as a float64 and whether it was a number (or a string
// holding one).
//
// Since: v0.1.0
func (c *Call) Number(field string) (float64, bool) {
	switch v := c.Record[field].(type) {
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case float64:
		return v, true
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

// Host is the read-only service the Credo host offers a plugin during a call.
//
// Since: v0.1.0
type Host interface {
	// ListContains returns the subset of values that are on the tenant's named list.
	ListContains(ctx context.Context, list string, values []string) ([]string, error)
	// Count counts the tenant's records of form whose field equals value, created within
	// window before now.
	Count(ctx context.Context, form, field, value string, window time.Duration) (int64, error)
	// Lookup asks several ListContains and Count questions in one round trip and answers
	// them in the order asked; a plugin with many questions per call asks them this way.
	// The host takes at most 20 list questions, 20 count questions and 100 values per
	// list in one Lookup. Against a host that predates Lookup it asks one at a time.
	Lookup(ctx context.Context, q Lookups) (*LookupResults, error)
}

// Lookups are the questions of one Host.Lookup.
//
// Since: v0.1.0
type Lookups struct {
	// Lists are questions as ListContains asks them.
	Lists []ListQuery
	// Counts are questions as Count asks them.
	Counts []CountQuery
}

// ListQuery asks which of Values are on the tenant's List.
//
// Since: v0.1.0
type ListQuery struct {
	List   string
	Values []string
}

// CountQuery asks how many of the tenant's records of Form have Field equal to Value,
// created within Window before now. Window is taken in whole seconds.
//
// Since: v0.1.0
type CountQuery struct {
	Form, Field, Value string
	Window             time.Duration
}

// LookupResults answers Lookups in request order.
//
// Since: v0.1.0
type LookupResults struct {
	// Lists[i] is the subset of Lookups.Lists[i].Values that is on the list.
	Lists [][]string
	// Counts[i] answers Lookups.Counts[i].
	Counts []int64
}

// ErrNoHost is returned by Host methods when the host serves no callback service.
//
// Since: v0.1.0
var ErrNoHost = errors.New("sdk: host service not available")

// Grade is a credit grade, S best, D worst.
//
// Since: v0.1.0
type Grade string

// The grades, best first.
//
// Since: v0.1.0
const (
	GradeS Grade = "S"
	GradeA Grade = "A"
	GradeB Grade = "B"
	GradeC Grade = "C"
	GradeD Grade = "D"
)

// Valid reports whether g is one of S, A, B, C, D.
//
// Since: v0.1.0
func (g Grade) Valid() bool {
	switch g {
	case GradeS, GradeA, GradeB, GradeC, GradeD:
		return true
	}
	return false
}

// Reason explains one thing that moved a score, in words a person understands.
//
// Since: v0.1.0
type Reason struct {
	// Code is stable and machine-readable ("checking_account_none").
	Code string
	// Text per locale: "en" and "zh-CN".
	Text map[string]string
	// Points this reason cost (negative) or earned (positive).
	Points float64
}

// Score is a scorer's answer.
//
// Since: v0.1.0
type Score struct {
	Score                int
	ProbabilityOfDefault float64
	Grade                Grade
	// SuggestedLimit is a decimal string ("12000.00"); empty when no limit is suggested.
	SuggestedLimit string
	Currency       string
	// Reasons, most adverse first.
	Reasons      []Reason
	ModelVersion string
}

// Scorer rates a credit applicant.
//
// Since: v0.1.0
type Scorer interface {
	Score(ctx context.Context, call *Call) (*Score, error)
}

// ScorerFunc adapts a function to Scorer.
//
// Since: v0.1.0
type ScorerFunc func(ctx context.Context, call *Call) (*Score, error)

// Score calls f.
func (f ScorerFunc) Score(ctx context.Context, call *Call) (*Score, error) { return f(ctx, call) }

// Decision is a fraud verdict.
//
// Since: v0.1.0
type Decision string

// The decisions, mildest first.
//
// Since: v0.1.0
const (
	Pass   Decision = "pass"
	Review Decision = "review"
	Reject Decision = "reject"
)

// Worse returns the stricter of d and o.
//
// Since: v0.1.0
func (d Decision) Worse(o Decision) Decision {
	if decisionRank(o) > decisionRank(d) {
		return o
	}
	return d
}

func decisionRank(d Decision) int {
	switch d {
	case Review:
		return 1
	case Reject:
		return 2
	}
	return 0
}

// Hit is one fraud rule that fired.
//
// Since: v0.1.0
type Hit struct {
	// Rule is a stable id ("blacklist.id_number").
	Rule string
	// Evidence maps what the rule saw to its value, masked where sensible.
	Evidence map[string]string
	// Reason per locale: "en" and "zh-CN".
	Reason map[string]string
	// Decision is what this hit alone calls for.
	Decision Decision
}

// Verdict is a fraud detector's answer.
//
// Since: v0.1.0
type Verdict struct {
	Decision     Decision
	Hits         []Hit
	ModelVersion string
}

// FraudDetector checks an application for fraud.
//
// Since: v0.1.0
type FraudDetector interface {
	Check(ctx context.Context, call *Call) (*Verdict, error)
}

// FraudDetectorFunc adapts a function to FraudDetector.
//
// Since: v0.1.0
type FraudDetectorFunc func(ctx context.Context, call *Call) (*Verdict, error)

// Check calls f.
func (f FraudDetectorFunc) Check(ctx context.Context, call *Call) (*Verdict, error) {
	return f(ctx, call)
}

// BadInputError marks a failure caused by the record or the configuration rather than by
// the plugin, so the host does not count it against the plugin's health.
//
// Since: v0.1.0
type BadInputError struct{ Err error }

// Error returns the message, prefixed "bad input: ".
func (e *BadInputError) Error() string { return "bad input: " + e.Err.Error() }

// Unwrap returns the wrapped error, for errors.Is and errors.As.
//
// Since: v0.1.0
func (e *BadInputError) Unwrap() error { return e.Err }

// BadInput wraps a formatted message as a BadInputError.
//
// Since: v0.1.0
func BadInput(format string, args ...any) error {
	return &BadInputError{Err: fmt.Errorf(format, args...)}
}
