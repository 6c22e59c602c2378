package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/credolabs/credo/store"
)

// datePrefix matches a string that starts with a YYYY-MM-DD date, as every RFC 3339
// date and date-time does.
const datePrefix = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"

// keyKind says how to read a group key column back into Go.
type keyKind int

const (
	keyValue    keyKind = iota // data value: followed by an is-boolean column
	keyString                  // text or NULL
	keyNumber                  // _version
	keyTime                    // _created_at, _updated_at by value
	keyRangeIdx                // range index or NULL
)

// Aggregate groups the matching documents in one GROUP BY and computes the measures.
// Without group keys it returns exactly one group, even when nothing matched.
func (c *collection) Aggregate(ctx context.Context, a store.Aggregation) ([]store.Group, error) {
	if c.err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", c.name, c.err)
	}
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", c.name, err)
	}
	w := &sqlWriter{}
	w.raw("SELECT ")
	kinds := make([]keyKind, len(a.GroupBy))
	ncols := 0
	for i, k := range a.GroupBy {
		kinds[i] = groupKey(w, k)
		w.raw(", ")
		ncols++
		if kinds[i] == keyValue {
			ncols++
		}
	}
	w.raw("count(*)")
	for _, m := range a.Measures {
		if m.Op == store.MeasureCount && m.Filter == nil {
			continue
		}
		if m.Op == store.MeasureCount {
			w.raw(", count(*)")
		} else {
			w.raw(", ", measureFunc(m.Op), "(", columnOf(m.Field).numeric(), ")")
		}
		if m.Filter != nil {
			// A measure's own filter narrows its rows within the group in the same
			// pass, so many filtered figures cost one scan.
			w.raw(" FILTER (WHERE ")
			if err := w.filter(m.Filter, false); err != nil {
				return nil, fmt.Errorf("aggregate %s: measure %s: %w", c.name, m.Name, err)
			}
			w.raw(")")
		}
	}
	w.raw(" FROM " + docsTable)
	if err := c.where(w, a.Filter); err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", c.name, err)
	}
	if ncols > 0 {
		// Ordinals keep the key expressions (and their bound range bounds) written once.
		w.raw(" GROUP BY ")
		for i := 1; i <= ncols; i++ {
			if i > 1 {
				w.raw(", ")
			}
			w.raw(strconv.Itoa(i))
		}
		w.raw(" ORDER BY ")
		for i := 1; i <= ncols; i++ {
			if i > 1 {
				w.raw(", ")
			}
			w.raw(strconv.Itoa(i))
		}
	}
	var groups []store.Group
	err := c.b.run(ctx, false, func(ctx context.Context, r *runner) error {
		return r.query(ctx, c.readSQL(ctx, w.sb.String()), w.args, func(rows *sql.Rows) error {
			g, err := scanGroup(rows, kinds, ncols, a.Measures)
			if err == nil {
				groups = append(groups, g)
			}
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", c.name, err)
	}
	return groups, nil
}

// measureFunc is the SQL aggregate of a measure. TOTAL, unlike SUM, is 0.0 (not NULL)
// over no values, as the contract wants of sum.
func measureFunc(op store.MeasureOp) string {
	switch op {
	case store.MeasureAvg:
		return "AVG"
	case store.MeasureMin:
		return "MIN"
	case store.MeasureMax:
		return "MAX"
	}
	return "TOTAL"
}

// groupKey writes the SELECT expression(s) of one group key.
func groupKey(w *sqlWriter, k store.GroupKey) keyKind {
	col := columnOf(k.Field)
	switch k.Bucket {
	case store.BucketDay, store.BucketMonth:
		n := choose(k.Bucket == store.BucketDay, "10", "7")
		switch {
		case col.time:
			w.raw("strftime(", choose(k.Bucket == store.BucketDay, "'%Y-%m-%d'", "'%Y-%m'"), ", ", col.expr, " / 1000, 'unixepoch')")
		case col.meta != 0:
			w.raw("NULL")
		default:
			// The calendar date as written: a date-time keeps the day of its own offset.
			w.raw("CASE WHEN ", col.jsonType(), " = 'text' AND ", col.expr, " GLOB ", datePrefix,
				" THEN substr(", col.expr, ", 1, ", n, ") END")
		}
		return keyString
	case store.BucketRange:
		num := col.numeric()
		w.raw("CASE WHEN ", num, " IS NULL THEN NULL")
		for i, b := range k.Bounds {
			w.raw(" WHEN ", num, " < ")
			w.arg(b)
			w.raw(" THEN ", strconv.Itoa(i))
		}
		w.raw(" ELSE ", strconv.Itoa(len(k.Bounds)), " END")
		return keyRangeIdx
	}
	switch {
	case col.time:
		w.raw(col.expr)
		return keyTime
	case col.meta == classText:
		w.raw(col.expr)
		return keyString
	case col.meta == classNum:
		w.raw(col.expr)
		return keyNumber
	}
	// json_extract gives 1/0 for true/false: the type column keeps them apart from
	// numbers. IS TRUE keeps missing (type NULL) and null (type 'null') in one group.
	w.raw(col.expr, ", (", col.jsonType(), " IN ('true', 'false')) IS TRUE")
	return keyValue
}

func scanGroup(rows *sql.Rows, kinds []keyKind, ncols int, measures []store.Measure) (store.Group, error) {
	raw := make([]any, ncols+1)
	values := make([]sql.NullFloat64, 0, len(measures))
	dest := make([]any, 0, ncols+1+len(measures))
	for i := range raw {
		dest = append(dest, &raw[i])
	}
	for _, m := range measures {
		if m.Op != store.MeasureCount || m.Filter != nil {
			values = append(values, sql.NullFloat64{})
			dest = append(dest, &values[len(values)-1])
		}
	}
	if err := rows.Scan(dest...); err != nil {
		return store.Group{}, err
	}
	g := store.Group{Key: make([]any, len(kinds)), Values: make(map[string]float64, len(measures))}
	col := 0
	for i, kind := range kinds {
		v := raw[col]
		col++
		switch kind {
		case keyValue:
			isBool := raw[col] != nil && raw[col] != int64(0)
			col++
			g.Key[i] = dataKey(v, isBool)
		case keyString:
			g.Key[i] = textKey(v)
		case keyNumber:
			g.Key[i] = numberKey(v)
		case keyTime:
			if ms, ok := v.(int64); ok {
				g.Key[i] = time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z07:00")
			}
		case keyRangeIdx:
			if n, ok := v.(int64); ok {
				g.Key[i] = int(n)
			}
		}
	}
	count, _ := raw[col].(int64)
	j := 0
	for _, m := range measures {
		if m.Op == store.MeasureCount && m.Filter == nil {
			g.Values[m.Name] = float64(count)
			continue
		}
		if values[j].Valid {
			g.Values[m.Name] = values[j].Float64
		}
		j++
	}
	return g, nil
}

// dataKey turns a json_extract value into a group key: string, float64, bool or nil.
func dataKey(v any, isBool bool) any {
	if isBool {
		return v == int64(1)
	}
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	}
	return numberKey(v)
}

func textKey(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return nil
}

func numberKey(v any) any {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return nil
}
