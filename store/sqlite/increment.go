package sqlite

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// incrementChunk is how many new documents one insert statement writes (6 bound values
// each).
const incrementChunk = 128

// Increment applies the increments on the writer, in the caller's transaction or one of
// its own, so every increment counts and they commit together: each document is
// updated in place with its amounts bound to the statement (cheaper than an upsert,
// which reads the amounts back from the row it failed to insert), and those no update
// found are inserted with Set and Add, a chunk of them per statement.
func (c *collection) Increment(ctx context.Context, incs []store.Increment) error {
	if c.err != nil {
		return fmt.Errorf("increment in %s: %w", c.name, c.err)
	}
	for _, inc := range incs {
		if err := inc.Validate(); err != nil {
			return fmt.Errorf("increment in %s: %w", c.name, err)
		}
		if err := checkID(inc.ID); err != nil {
			return fmt.Errorf("increment %s in %s: %w", inc.ID, c.name, err)
		}
	}
	merged := store.MergeIncrements(incs)
	if len(merged) == 0 {
		return nil
	}
	bodies := make([][]byte, len(merged))
	keys := make([][]string, len(merged))
	for i, inc := range merged {
		data := make(map[string]any, len(inc.Set)+len(inc.Add))
		maps.Copy(data, inc.Set)
		for k, v := range inc.Add {
			data[k] = v // json.Marshal writes an integral float64 as an integer
		}
		b, err := encodeData(data)
		if err != nil {
			return fmt.Errorf("increment %s in %s: %w", inc.ID, c.name, err)
		}
		bodies[i] = b
		keys[i] = slices.Sorted(maps.Keys(inc.Add))
	}
	now := time.Now().UnixMilli()
	err := c.b.withTx(ctx, func(ctx context.Context) error {
		return c.b.run(ctx, true, func(ctx context.Context, r *runner) error {
			if _, err := r.exec(ctx, sqlSavepointIncrement); err != nil {
				return err
			}
			err := c.applyIncrements(ctx, r, merged, keys, bodies, now)
			bracket := context.WithoutCancel(ctx)
			if err != nil {
				_, rbErr := r.exec(bracket, sqlRollbackToIncrement)
				if rbErr == nil {
					_, rbErr = r.exec(bracket, sqlReleaseIncrement)
				}
				return errors.Join(err, rbErr)
			}
			_, err = r.exec(bracket, sqlReleaseIncrement)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("increment %d documents in %s: %w", len(merged), c.name, err)
	}
	return nil
}

// applyIncrements updates the documents that exist and inserts the others; the caller
// holds the writer, so none can appear in between.
func (c *collection) applyIncrements(ctx context.Context, r *runner, incs []store.Increment, keys [][]string, bodies [][]byte, now int64) error {
	var fresh []int
	for i, inc := range incs {
		args := make([]any, 0, len(keys[i])+4)
		args = append(args, now)
		for _, k := range keys[i] {
			args = append(args, amountArg(inc.Add[k]))
		}
		args = append(args, c.tenant, c.name, inc.ID)
		res, err := r.exec(ctx, incrementSQL(keys[i]), args...)
		if err != nil {
			return engineError(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			fresh = append(fresh, i)
		}
	}
	for start, n := 0, 0; start < len(fresh); start += n {
		n = chunkOf(len(fresh) - start)
		args := make([]any, 0, 6*n)
		for _, i := range fresh[start : start+n] {
			args = append(args, c.tenant, c.name, incs[i].ID, now, now, bodies[i])
		}
		if _, err := r.exec(ctx, multiInsertSQL(n), args...); err != nil {
			return engineError(err)
		}
	}
	return nil
}

// amountArg binds an integral amount as an integer, so integer counters stay integers.
func amountArg(v float64) any {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		return int64(v)
	}
	return v
}

// chunkOf is how many of left rows the next insert writes: incrementChunk, or the
// largest power of two below it, so a few statement texts serve every count.
func chunkOf(left int) int {
	n := incrementChunk
	for n > left {
		n /= 2
	}
	return n
}

const (
	sqlSavepointIncrement  = "SAVEPOINT increment"
	sqlRollbackToIncrement = "ROLLBACK TO increment"
	sqlReleaseIncrement    = "RELEASE increment"
)

// incrementSQL is the update adding bound amounts to keys of one document. The keys
// passed store.Increment.Validate (letters, digits, underscores), so they are safe in a
// path; an Add field holds a number or is missing (the contract), so no type check.
func incrementSQL(keys []string) string {
	var sb strings.Builder
	sb.WriteString(`UPDATE docs SET version = version + 1, updated_at = ?`)
	if len(keys) > 0 {
		sb.WriteString(", data = jsonb_set(data")
		for _, k := range keys {
			p := "'$." + k + "'"
			fmt.Fprintf(&sb, ", %s, coalesce(json_extract(data, %s), 0) + ?", p, p)
		}
		sb.WriteString(")")
	}
	sb.WriteString(` WHERE tenant = ? AND coll = ? AND id = ?`)
	return sb.String()
}
