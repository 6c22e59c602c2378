package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// incrementChunk is how many documents one statement writes (6 bound values each) or
// one read asks for.
const incrementChunk = 128

// Increment applies the increments on the writer, in the caller's transaction or one of
// its own, so every increment counts and they commit together. A few (a record write's)
// are a statement each (applyFew). Of more, the documents that exist are read, their
// amounts added in Go (to their JSONB, without decoding it) and written back by rowid,
// a chunk per statement, and the new ones inserted: the caller holds the writer
// throughout, so no other write comes in between, and a batch of increments costs a few
// statements rather than one per document. In the caller's transaction a failure puts
// back what the call wrote (see InsertMany for why not a savepoint).
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
		if err := checkKeys(inc.Set); err != nil {
			return fmt.Errorf("increment %s in %s: %w", inc.ID, c.name, err)
		}
	}
	merged := store.MergeIncrements(incs)
	if len(merged) == 0 {
		return nil
	}
	now := time.Now().UnixMilli()
	joined := c.b.txFrom(ctx) != nil
	err := c.b.withTx(ctx, func(ctx context.Context) error {
		return c.b.run(ctx, true, func(ctx context.Context, r *runner) error {
			if len(merged) <= fewIncrements {
				return c.applyFew(ctx, r, merged, now, joined)
			}
			return c.applyIncrements(ctx, r, merged, now, joined)
		})
	})
	if err != nil {
		return fmt.Errorf("increment %d documents in %s: %w", len(merged), c.name, err)
	}
	return nil
}

// fewIncrements is the most increments applyFew takes: a record write's, one row per
// rollup, or two when an update moves the record to another row.
const fewIncrements = 4

// applyFew applies a few increments a statement each: an update that adds the amounts
// in SQL, and an insert when no document has the id. One increment needs no more to be
// all or nothing, being one statement that writes; a few, in the caller's transaction,
// run in a savepoint, which for a few rows costs little.
func (c *collection) applyFew(ctx context.Context, r *runner, incs []store.Increment, now int64, joined bool) error {
	if len(incs) == 1 || !joined {
		return c.incrementEach(ctx, r, incs, now)
	}
	return inUndoSavepoint(ctx, r, func() error { return c.incrementEach(ctx, r, incs, now) })
}

// incrementEach updates each document in place with its amounts bound to the statement
// (cheaper than an upsert, which reads the amounts back from the row it failed to
// insert) and inserts those no update found.
func (c *collection) incrementEach(ctx context.Context, r *runner, incs []store.Increment, now int64) error {
	for _, inc := range incs {
		keys := slices.Sorted(maps.Keys(inc.Add))
		args := make([]any, 0, len(keys)+4)
		args = append(args, now)
		for _, k := range keys {
			args = append(args, amountValue(inc.Add[k]))
		}
		args = append(args, c.tenant, c.name, inc.ID)
		res, err := r.exec(ctx, incrementSQL(keys), args...)
		if err != nil {
			return engineError(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n > 0 {
			continue
		}
		body, err := c.incremented(inc, nil)
		if err != nil {
			return err
		}
		if _, err := r.exec(ctx, multiInsertSQL(1), c.tenant, c.name, inc.ID, now, now, body); err != nil {
			return engineError(err)
		}
	}
	return nil
}

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

// storedDoc is what an increment reads of a document before writing it.
type storedDoc struct {
	rowid, version, updated int64
	data                    []byte
}

// applyIncrements reads the documents that exist, adds the amounts to them and writes
// every document, a chunk per statement; the caller holds the writer. With undo, a
// failure is undone before it is returned.
func (c *collection) applyIncrements(ctx context.Context, r *runner, incs []store.Increment, now int64, undo bool) error {
	stored, err := c.readStored(ctx, r, incs)
	if err != nil {
		return err
	}
	if !undo {
		return c.writeIncrements(ctx, r, incs, stored, now, -1)
	}
	return undoable(ctx, r, func(last int64) error {
		return c.writeIncrements(ctx, r, incs, stored, now, last)
	})
}

// writeIncrements writes the documents of incs: the stored ones updated by rowid, a
// chunk per statement, the new ones inserted. With last >= 0 a failure is undone
// before it is returned (see undoable).
func (c *collection) writeIncrements(ctx context.Context, r *runner, incs []store.Increment, stored map[string]*storedDoc, now, last int64) error {
	var fresh, old []int
	for i, inc := range incs {
		if stored[inc.ID] == nil {
			fresh = append(fresh, i)
		} else {
			old = append(old, i)
		}
	}
	var sent []store.Increment
	args := make([]any, 0, 6*incrementChunk)
	for start, n := 0, 0; start < len(old); start += n {
		n = chunkOf(len(old) - start)
		args = append(args[:0], now)
		for _, i := range old[start : start+n] {
			inc := incs[i]
			body, err := c.incremented(inc, stored[inc.ID])
			if err != nil {
				return c.undone(ctx, r, err, sent, stored, last)
			}
			args = append(args, stored[inc.ID].rowid, body)
			sent = append(sent, inc)
		}
		if _, err := r.exec(ctx, updateRowsSQL(n), args...); err != nil {
			return c.undone(ctx, r, engineError(err), sent, stored, last)
		}
	}
	for start, n := 0, 0; start < len(fresh); start += n {
		n = chunkOf(len(fresh) - start)
		args = args[:0]
		for _, i := range fresh[start : start+n] {
			inc := incs[i]
			body, err := c.incremented(inc, nil)
			if err != nil {
				return c.undone(ctx, r, err, sent, stored, last)
			}
			args = append(args, c.tenant, c.name, inc.ID, now, now, body)
		}
		if _, err := r.exec(ctx, multiInsertSQL(n), args...); err != nil {
			return c.undone(ctx, r, engineError(err), sent, stored, last)
		}
	}
	return nil
}

// updateRowsSQL replaces the bodies of n documents by rowid and advances their versions.
// OR FAIL: a failing row stops the statement without undoing the rows before it, so the
// statement keeps no journal of the pages it changes; the caller undoes the call.
func updateRowsSQL(n int) string {
	var sb strings.Builder
	sb.WriteString(`UPDATE OR FAIL docs SET version = version + 1, updated_at = ?, data = jsonb(v.column2) FROM (VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?)")
	}
	sb.WriteString(`) AS v WHERE docs.rowid = v.column1`)
	return sb.String()
}

// readStored reads the documents of incs that exist, by id.
func (c *collection) readStored(ctx context.Context, r *runner, incs []store.Increment) (map[string]*storedDoc, error) {
	stored := make(map[string]*storedDoc, len(incs))
	ids := make([]string, 0, incrementChunk)
	query := c.selectByIDsSQL()
	for start := 0; start < len(incs); start += incrementChunk {
		ids = ids[:0]
		for _, inc := range incs[start:min(start+incrementChunk, len(incs))] {
			ids = append(ids, inc.ID)
		}
		list, err := json.Marshal(ids)
		if err != nil {
			return nil, err
		}
		err = r.query(ctx, query, []any{string(list)}, func(rows *sql.Rows) error {
			var id string
			d := &storedDoc{}
			if err := rows.Scan(&id, &d.rowid, &d.version, &d.updated, &d.data); err != nil {
				return err
			}
			stored[id] = d
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return stored, nil
}

// undone returns err after, with last >= 0, putting back the documents of sent (the
// increments whose writes reached the engine) as they were read: the new ones deleted
// (they have the rowids after last), the others rewritten.
func (c *collection) undone(ctx context.Context, r *runner, err error, sent []store.Increment, stored map[string]*storedDoc, last int64) error {
	if last < 0 {
		return err
	}
	if _, uerr := r.exec(ctx, sqlDeleteAfter, last); uerr != nil {
		return errors.Join(err, uerr)
	}
	for _, inc := range sent {
		d := stored[inc.ID]
		if d == nil {
			continue
		}
		if _, uerr := r.exec(ctx, sqlRestore, d.version, d.updated, d.data, c.tenant, c.name, inc.ID); uerr != nil {
			return errors.Join(err, uerr)
		}
	}
	return err
}

const sqlRestore = `UPDATE docs SET version = ?, updated_at = ?, data = jsonb(?) WHERE tenant = ? AND coll = ? AND id = ?`

// incremented is the body of a document after inc: the stored one with the amounts
// added, or for a new document Set and Add.
func (c *collection) incremented(inc store.Increment, stored *storedDoc) ([]byte, error) {
	if stored != nil {
		if b, ok := addToJSONB(stored.data, inc.Add); ok {
			return b, nil
		}
	}
	var data map[string]any
	if stored == nil {
		data = make(map[string]any, len(inc.Set)+len(inc.Add))
		maps.Copy(data, inc.Set)
		for k, v := range inc.Add {
			data[k] = amountValue(v)
		}
	} else {
		var err error
		if data, err = decodeBody(stored.data); err != nil {
			return nil, fmt.Errorf("increment %s in %s: decode: %w", inc.ID, c.name, err)
		}
		for k, v := range inc.Add {
			data[k] = addAmount(data[k], v)
		}
	}
	b, err := encodeBody(data)
	if err != nil {
		return nil, fmt.Errorf("increment %s in %s: %w", inc.ID, c.name, err)
	}
	return b, nil
}

// addToJSONB adds the amounts to the top-level numbers of a JSONB object in place of
// decoding and encoding it whole, appending the keys it does not have. ok is false for
// a body it does not take (JSON text, an amount on a value that is not a plain number,
// an escaped key): the caller then decodes it.
func addToJSONB(b []byte, add map[string]float64) ([]byte, bool) {
	t, start, end, err := jsonbHeader(b, 0)
	if err != nil || t != jsonbObject || end != len(b) {
		return nil, false
	}
	w := jsonbWriter{b: make([]byte, 0, len(b)+16*len(add)+containerHeader)}
	at := w.open()
	found := 0
	for j := start; j < end; {
		kt, ks, ke, err := jsonbHeader(b, j)
		if err != nil || (kt != jsonbText && kt != jsonbTextRaw) {
			return nil, false
		}
		vt, vs, ve, err := jsonbHeader(b, ke)
		if err != nil || ve > end {
			return nil, false
		}
		d, ok := add[string(b[ks:ke])]
		if !ok {
			w.b = append(w.b, b[j:ve]...)
			j = ve
			continue
		}
		if vt != jsonbInt && vt != jsonbFloat {
			return nil, false
		}
		found++
		w.b = append(w.b, b[j:ke]...)
		if !w.value(addAmount(json.Number(b[vs:ve]), d)) {
			return nil, false
		}
		j = ve
	}
	if found < len(add) {
		for _, k := range slices.Sorted(maps.Keys(add)) {
			if _, ok := findKey(b, start, end, k); ok {
				continue
			}
			if !w.text(k) || !w.value(amountValue(add[k])) {
				return nil, false
			}
		}
	}
	w.close(jsonbObject, at)
	return w.b, true
}

// findKey reports whether the JSONB object payload b[start:end] has key k.
func findKey(b []byte, start, end int, k string) (int, bool) {
	for j := start; j < end; {
		_, ks, ke, err := jsonbHeader(b, j)
		if err != nil {
			return 0, false
		}
		_, _, ve, err := jsonbHeader(b, ke)
		if err != nil {
			return 0, false
		}
		if string(b[ks:ke]) == k {
			return j, true
		}
		j = ve
	}
	return 0, false
}

// amountValue is an amount as a document keeps it: an integral one as an integer, so
// integer counters stay integers.
func amountValue(v float64) any {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		return int64(v)
	}
	return v
}

// addAmount adds d to a stored value as SQLite's arithmetic would: integers stay
// integers while the sum is one, anything else becomes a float; a missing value counts
// as 0.
func addAmount(cur any, d float64) any {
	if cur == nil {
		return amountValue(d)
	}
	if n, ok := cur.(json.Number); ok && d == math.Trunc(d) && math.Abs(d) < 1<<53 {
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			if s := i + int64(d); (s > i) == (d > 0) || d == 0 {
				return s
			}
		}
	}
	f, _ := store.Numeric(cur)
	return f + d
}

// chunkOf is how many of left rows the next statement takes: incrementChunk, or the
// largest power of two below it, so a few statement texts serve every count.
func chunkOf(left int) int {
	n := incrementChunk
	for n > left {
		n /= 2
	}
	return n
}

// selectByIDsSQL reads what applyIncrements needs of the documents whose ids a JSON
// array lists. The tenant and collection are literals (names that passed
// store.CheckScope and store.CollectionName): bound, they would make SQLite prepare the
// statement again on every run, since its planner looks their values up in the index
// statistics.
func (c *collection) selectByIDsSQL() string {
	return `SELECT id, rowid, version, updated_at, data FROM docs WHERE tenant = ` + quote(c.tenant) +
		` AND coll = ` + quote(c.name) + ` AND id IN (SELECT value FROM json_each(?))`
}
