package store

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"
)

// NewID returns a new time-ordered unique id (UUID v7), so ids sort by creation.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// MaxFilterDepth and MaxFilterNodes bound a filter tree so a hostile query cannot
// exhaust the engine.
const (
	MaxFilterDepth = 8
	MaxFilterNodes = 200
)

// MaxMeasures bounds the measures of one aggregation, each of which may carry a filter
// of its own.
const MaxMeasures = 100

// Validate checks the tree's shape, operators and field names.
func (f *Filter) Validate() error {
	n := 0
	return f.validate(1, &n)
}

func (f *Filter) validate(depth int, n *int) error {
	if f == nil {
		return nil
	}
	*n++
	if depth > MaxFilterDepth || *n > MaxFilterNodes {
		return fmt.Errorf("filter too deep or too large: %w", ErrInvalid)
	}
	set := 0
	if len(f.And) > 0 {
		set++
	}
	if len(f.Or) > 0 {
		set++
	}
	if f.Not != nil {
		set++
	}
	if f.Op != "" || f.Field != "" {
		set++
	}
	if set != 1 {
		return fmt.Errorf("filter node must be exactly one of and, or, not or a comparison: %w", ErrInvalid)
	}
	for _, c := range f.And {
		if err := c.validate(depth+1, n); err != nil {
			return err
		}
	}
	for _, c := range f.Or {
		if err := c.validate(depth+1, n); err != nil {
			return err
		}
	}
	if f.Not != nil {
		return f.Not.validate(depth+1, n)
	}
	if f.Op == "" && f.Field == "" {
		return nil
	}
	if !ValidField(f.Field) {
		return fmt.Errorf("filter field %q: %w", f.Field, ErrInvalid)
	}
	switch f.Op {
	case OpEq, OpNe, OpGt, OpGte, OpLt, OpLte:
		if !scalar(f.Value) {
			return fmt.Errorf("filter %s %s needs a string, number, boolean or time: %w", f.Field, f.Op, ErrInvalid)
		}
	case OpIn, OpNin:
		vs, ok := f.Value.([]any)
		if !ok || len(vs) > MaxFilterNodes {
			return fmt.Errorf("filter %s %s needs a list of at most %d values: %w", f.Field, f.Op, MaxFilterNodes, ErrInvalid)
		}
		for _, v := range vs {
			if !scalar(v) {
				return fmt.Errorf("filter %s %s: list values must be scalars: %w", f.Field, f.Op, ErrInvalid)
			}
		}
	case OpExists:
		if _, ok := f.Value.(bool); !ok {
			return fmt.Errorf("filter %s exists needs true or false: %w", f.Field, ErrInvalid)
		}
	case OpContains, OpPrefix:
		if _, ok := f.Value.(string); !ok {
			return fmt.Errorf("filter %s %s needs a string: %w", f.Field, f.Op, ErrInvalid)
		}
	default:
		return fmt.Errorf("filter operator %q: %w", f.Op, ErrInvalid)
	}
	return nil
}

// Fields lists every field a filter reads (for permission checks by callers).
func (f *Filter) Fields() []string {
	if f == nil {
		return nil
	}
	var out []string
	for _, c := range f.And {
		out = append(out, c.Fields()...)
	}
	for _, c := range f.Or {
		out = append(out, c.Fields()...)
	}
	if f.Not != nil {
		out = append(out, f.Not.Fields()...)
	}
	if f.Field != "" {
		out = append(out, f.Field)
	}
	return out
}

// Validate checks a query's filter, sorts, limit and projection and returns the limit to use.
func (q Query) Validate() (int, error) {
	if err := q.Filter.Validate(); err != nil {
		return 0, err
	}
	if len(q.Sort) > 4 {
		return 0, fmt.Errorf("at most 4 sort fields: %w", ErrInvalid)
	}
	for _, s := range q.Sort {
		if !ValidField(s.Field) {
			return 0, fmt.Errorf("sort field %q: %w", s.Field, ErrInvalid)
		}
	}
	for _, f := range q.Fields {
		if !ValidField(f) {
			return 0, fmt.Errorf("projection field %q: %w", f, ErrInvalid)
		}
	}
	switch {
	case q.Limit < 0:
		return 0, fmt.Errorf("negative limit: %w", ErrInvalid)
	case q.Limit == 0:
		return 50, nil
	case q.Limit > MaxLimit:
		return MaxLimit, nil
	}
	return q.Limit, nil
}

// Validate checks an aggregation's filter, keys and measures.
func (a Aggregation) Validate() error {
	if err := a.Filter.Validate(); err != nil {
		return err
	}
	if len(a.GroupBy) > 4 {
		return fmt.Errorf("at most 4 group keys: %w", ErrInvalid)
	}
	for _, k := range a.GroupBy {
		if !ValidField(k.Field) {
			return fmt.Errorf("group field %q: %w", k.Field, ErrInvalid)
		}
		switch k.Bucket {
		case BucketValue, BucketDay, BucketMonth:
		case BucketRange:
			if len(k.Bounds) == 0 || len(k.Bounds) > 100 {
				return fmt.Errorf("range bucket on %q needs 1 to 100 bounds: %w", k.Field, ErrInvalid)
			}
			for i := 1; i < len(k.Bounds); i++ {
				if k.Bounds[i] <= k.Bounds[i-1] {
					return fmt.Errorf("range bounds on %q must increase: %w", k.Field, ErrInvalid)
				}
			}
		default:
			return fmt.Errorf("bucket %q: %w", k.Bucket, ErrInvalid)
		}
	}
	if len(a.Measures) == 0 || len(a.Measures) > MaxMeasures {
		return fmt.Errorf("1 to %d measures: %w", MaxMeasures, ErrInvalid)
	}
	seen := map[string]bool{}
	for _, m := range a.Measures {
		if m.Name == "" || seen[m.Name] {
			return fmt.Errorf("measure names must be unique and not empty: %w", ErrInvalid)
		}
		seen[m.Name] = true
		if err := m.Filter.Validate(); err != nil {
			return fmt.Errorf("measure %q filter: %w", m.Name, err)
		}
		switch m.Op {
		case MeasureCount:
		case MeasureSum, MeasureAvg, MeasureMin, MeasureMax:
			if !ValidField(m.Field) {
				return fmt.Errorf("measure %q field %q: %w", m.Name, m.Field, ErrInvalid)
			}
		default:
			return fmt.Errorf("measure op %q: %w", m.Op, ErrInvalid)
		}
	}
	return nil
}

func scalar(v any) bool {
	switch v.(type) {
	case string, bool, float64, float32, int, int32, int64, json.Number, time.Time:
		return true
	}
	return false
}

// incrementKey reports whether k may be an Add key: a lowercase letter, then up to 63
// letters, digits and underscores. A loop rather than a regular expression: a record
// write validates one key per rollup column, on the store's single writer's path.
func incrementKey(k string) bool {
	if len(k) == 0 || len(k) > 64 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Validate checks an increment: an id, Set keys that may name data (not empty, not
// starting with "_" or "$", without "."), and Add keys that are plain top-level data
// keys with finite amounts, none of them also in Set.
func (inc Increment) Validate() error {
	if inc.ID == "" {
		return fmt.Errorf("increment needs an id: %w", ErrInvalid)
	}
	for k := range inc.Set {
		if k == "" || k[0] == '_' || k[0] == '$' || strings.ContainsRune(k, '.') {
			return fmt.Errorf("increment of %s: set key %q must not be empty, start with \"_\" or \"$\", or contain \".\": %w", inc.ID, k, ErrInvalid)
		}
	}
	for k, v := range inc.Add {
		if !incrementKey(k) {
			return fmt.Errorf("increment of %s: key %q must be letters, digits and underscores: %w", inc.ID, k, ErrInvalid)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("increment of %s: %s by %v: %w", inc.ID, k, v, ErrInvalid)
		}
		if _, both := inc.Set[k]; both {
			return fmt.Errorf("increment of %s: %s is both set and added: %w", inc.ID, k, ErrInvalid)
		}
	}
	return nil
}

// MergeIncrements folds increments of the same id into one (amounts added, the first
// Set kept), in order of first appearance, so an engine writes each document once.
// Without repeated ids it returns incs itself; it never changes the caller's maps.
func MergeIncrements(incs []Increment) []Increment {
	if len(incs) < 2 {
		return incs
	}
	seen := make(map[string]struct{}, len(incs))
	for _, inc := range incs {
		if _, dup := seen[inc.ID]; dup {
			return mergeRepeated(incs)
		}
		seen[inc.ID] = struct{}{}
	}
	return incs
}

// mergeRepeated is MergeIncrements of increments that repeat an id.
func mergeRepeated(incs []Increment) []Increment {
	at := make(map[string]int, len(incs))
	out := make([]Increment, 0, len(incs))
	for _, inc := range incs {
		i, ok := at[inc.ID]
		if !ok {
			at[inc.ID] = len(out)
			add := make(map[string]float64, len(inc.Add))
			for k, v := range inc.Add {
				add[k] = v
			}
			out = append(out, Increment{ID: inc.ID, Set: inc.Set, Add: add})
			continue
		}
		for k, v := range inc.Add {
			out[i].Add[k] += v
		}
	}
	return out
}
