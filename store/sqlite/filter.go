package sqlite

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// class is the SQLite storage class a value compares in. json_extract yields INTEGER or
// REAL for JSON numbers (and 1/0 for booleans) and TEXT for strings; SQLite orders
// NULL < numbers < text, which the range comparisons below rely on to keep a number
// from matching a string bound and the other way round (MongoDB's type bracketing).
type class int

const (
	classNum class = iota + 1
	classText
)

// column is how one field reads in SQL.
type column struct {
	// expr is the SQL expression of the value: a column, or json_extract over data.
	expr string
	// path is the quoted JSON path of a data field; empty for metadata.
	path string
	// meta is the class of a metadata field; 0 for data fields.
	meta class
	// time marks _created_at and _updated_at, stored as unix milliseconds.
	time bool
}

// columnOf maps a field validated by store.ValidField to SQL. Only the characters
// ValidField admits (letters, digits, underscore, dot) reach the path literal.
func columnOf(field string) column {
	switch field {
	case store.FieldID:
		return column{expr: "id", meta: classText}
	case store.FieldVersion:
		return column{expr: "version", meta: classNum}
	case store.FieldCreatedAt:
		return column{expr: "created_at", meta: classNum, time: true}
	case store.FieldUpdatedAt:
		return column{expr: "updated_at", meta: classNum, time: true}
	}
	p := "'$." + field + "'"
	return column{expr: "json_extract(data, " + p + ")", path: p}
}

// jsonType is the SQL expression of a data field's JSON type (NULL when missing).
func (c column) jsonType() string { return "json_type(data, " + c.path + ")" }

// numeric is the field's value when it is a JSON number, else NULL (for measures and
// ranges, which ignore booleans and strings).
func (c column) numeric() string {
	switch {
	case c.time, c.meta == classText:
		return "NULL"
	case c.meta == classNum:
		return c.expr
	}
	return "CASE WHEN " + c.jsonType() + " IN ('integer', 'real') THEN " + c.expr + " END"
}

// sqlWriter accumulates a SQL fragment and its bound arguments.
type sqlWriter struct {
	sb   strings.Builder
	args []any
}

func (w *sqlWriter) raw(parts ...string) {
	for _, p := range parts {
		w.sb.WriteString(p)
	}
}

func (w *sqlWriter) arg(v any) {
	w.sb.WriteByte('?')
	w.args = append(w.args, v)
}

// filter writes f as a SQL condition. neg asks for its negation: SQL comparisons with
// NULL (a missing field) are neither true nor false, so negations are pushed down to
// the leaves, where a NULL is turned into "no match" before NOT applies. That gives
// not(x > 5) the documents without x, as MongoDB's $nor does.
func (w *sqlWriter) filter(f *store.Filter, neg bool) error {
	switch {
	case f == nil:
		w.raw(choose(neg, "0", "1"))
	case len(f.And) > 0:
		return w.group(f.And, neg, choose(neg, " OR ", " AND "))
	case len(f.Or) > 0:
		return w.group(f.Or, neg, choose(neg, " AND ", " OR "))
	case f.Not != nil:
		return w.filter(f.Not, !neg)
	case neg:
		w.raw("NOT IFNULL(")
		if err := w.leaf(f); err != nil {
			return err
		}
		w.raw(", 0)")
	default:
		return w.leaf(f)
	}
	return nil
}

func (w *sqlWriter) group(fs []*store.Filter, neg bool, op string) error {
	w.raw("(")
	for i, c := range fs {
		if i > 0 {
			w.raw(op)
		}
		if err := w.filter(c, neg); err != nil {
			return err
		}
	}
	w.raw(")")
	return nil
}

// leaf writes one comparison; the tree was validated by store (Query.Validate), so the
// value types per operator are known.
func (w *sqlWriter) leaf(f *store.Filter) error {
	col := columnOf(f.Field)
	e := col.expr
	switch f.Op {
	case store.OpExists:
		want, _ := f.Value.(bool)
		switch {
		case col.meta != 0:
			w.raw(choose(want, "1", "0"))
		case want:
			w.raw(e, " IS NOT NULL")
		default:
			w.raw(e, " IS NULL")
		}
		return nil
	case store.OpContains:
		return w.contains(col, f.Value.(string))
	case store.OpPrefix:
		return w.prefix(col, f.Value.(string))
	case store.OpIn, store.OpNin:
		return w.in(col, f.Op == store.OpNin, f.Value.([]any))
	}
	v, cls, ok, err := bindValue(col, f.Value)
	if err != nil {
		return fmt.Errorf("filter %s %s: %w", f.Field, f.Op, err)
	}
	if !ok { // a metadata field never holds a value of this type
		w.raw(choose(f.Op == store.OpNe, "1", "0"))
		return nil
	}
	data := col.meta == 0
	switch f.Op {
	case store.OpEq:
		w.raw(e, " = ")
		w.arg(v)
	case store.OpNe:
		if data {
			w.raw("(", e, " IS NULL OR ", e, " <> ")
			w.arg(v)
			w.raw(")")
		} else {
			w.raw(e, " <> ")
			w.arg(v)
		}
	case store.OpGt, store.OpGte:
		w.raw("(", e, choose(f.Op == store.OpGt, " > ", " >= "))
		w.arg(v)
		if data && cls == classNum {
			w.raw(" AND ", e, " < ''") // numbers only: every text sorts after ''
		}
		w.raw(")")
	case store.OpLt, store.OpLte:
		w.raw("(", e, choose(f.Op == store.OpLt, " < ", " <= "))
		w.arg(v)
		if data && cls == classText {
			w.raw(" AND ", e, " >= ''") // text only: numbers sort before every text
		}
		w.raw(")")
	default:
		return fmt.Errorf("filter operator %q: %w", f.Op, store.ErrInvalid)
	}
	return nil
}

func (w *sqlWriter) in(col column, not bool, vs []any) error {
	var vals []any
	for _, raw := range vs {
		v, _, ok, err := bindValue(col, raw)
		if err != nil {
			return fmt.Errorf("filter list value: %w", err)
		}
		if ok {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 { // nothing can be in an empty list
		w.raw(choose(not, "1", "0"))
		return nil
	}
	w.raw("(")
	if not && col.meta == 0 {
		w.raw(col.expr, " IS NULL OR ")
	}
	w.raw(col.expr, choose(not, " NOT IN (", " IN ("))
	for i, v := range vals {
		if i > 0 {
			w.raw(", ")
		}
		w.arg(v)
	}
	w.raw("))")
	return nil
}

// contains: a string holding the substring (case-sensitive), or an array with an
// element equal to it.
func (w *sqlWriter) contains(col column, s string) error {
	switch col.meta {
	case classText:
		w.raw("instr(", col.expr, ", ")
		w.arg(s)
		w.raw(") > 0")
		return nil
	case classNum:
		w.raw("0")
		return nil
	}
	t := col.jsonType()
	w.raw("(", t, " = 'text' AND instr(", col.expr, ", ")
	w.arg(s)
	w.raw(") > 0 OR ", t, " = 'array' AND EXISTS (SELECT 1 FROM json_each(data, ", col.path, ") WHERE type = 'text' AND value = ")
	w.arg(s)
	w.raw("))")
	return nil
}

// prefix compiles to a range [p, p+1) so an index on the field serves it; byte order
// is SQLite's BINARY collation, so the match is case-sensitive.
func (w *sqlWriter) prefix(col column, p string) error {
	if col.meta == classNum {
		w.raw("0")
		return nil
	}
	w.raw("(", col.expr, " >= ")
	w.arg(p)
	if upper, ok := prefixUpper(p); ok {
		w.raw(" AND ", col.expr, " < ")
		w.arg(upper)
	}
	w.raw(")")
	return nil
}

// prefixUpper is the smallest string greater than every string starting with p.
func prefixUpper(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// bindValue converts a filter value into the argument compared with col. ok is false
// when a metadata field can never hold a value of that type.
func bindValue(col column, v any) (arg any, cls class, ok bool, err error) {
	if col.time {
		ms, err := timeMillis(v)
		if err != nil {
			return nil, 0, false, err
		}
		return ms, classNum, true, nil
	}
	switch x := v.(type) {
	case string:
		arg, cls = x, classText
	case bool:
		arg, cls = int64(0), classNum
		if x {
			arg = int64(1)
		}
	case int:
		arg, cls = int64(x), classNum
	case int32:
		arg, cls = int64(x), classNum
	case int64:
		arg, cls = x, classNum
	case float32:
		arg, cls, err = finite(float64(x))
	case float64:
		arg, cls, err = finite(x)
	case json.Number:
		if i, perr := strconv.ParseInt(string(x), 10, 64); perr == nil {
			arg, cls = i, classNum
		} else if f, perr := strconv.ParseFloat(string(x), 64); perr == nil {
			arg, cls, err = finite(f)
		} else {
			err = fmt.Errorf("number %q: %w", x, store.ErrInvalid)
		}
	case time.Time:
		arg, cls = x.UTC().Format(time.RFC3339Nano), classText
	default:
		err = fmt.Errorf("value of type %T: %w", v, store.ErrInvalid)
	}
	if err != nil {
		return nil, 0, false, err
	}
	return arg, cls, col.meta == 0 || col.meta == cls, nil
}

func finite(f float64) (any, class, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, 0, fmt.Errorf("number %v is not finite: %w", f, store.ErrInvalid)
	}
	return f, classNum, nil
}

// timeMillis reads a value compared with _created_at or _updated_at: a time.Time or an
// RFC 3339 string, truncated to the stored millisecond.
func timeMillis(v any) (int64, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UnixMilli(), nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return 0, fmt.Errorf("time %q is not RFC 3339: %w", x, store.ErrInvalid)
		}
		return t.UnixMilli(), nil
	}
	return 0, fmt.Errorf("a time field compares with a time, not %T: %w", v, store.ErrInvalid)
}

// orderBy writes the ORDER BY list: the sorts, then id ascending as the final
// tie-break. SQLite puts NULL (missing or null) first ascending and last descending.
func orderBy(w *sqlWriter, sorts []store.Sort) {
	w.raw(" ORDER BY ")
	for _, s := range sorts {
		w.raw(columnOf(s.Field).expr, choose(s.Desc, " DESC, ", " ASC, "))
	}
	w.raw("id ASC")
}

func choose(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
