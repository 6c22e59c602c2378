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

// Increment applies the increments of one collection as IncrementAcross applies those
// of several.
func (c *collection) Increment(ctx context.Context, incs []store.Increment) error {
	if c.err != nil {
		return fmt.Errorf("increment in %s: %w", c.name, c.err)
	}
	return c.b.increment(ctx, c.tenant, []store.CollectionIncrements{{Collection: c.name, Increments: incs}})
}

// IncrementAcross applies the increments of several of the tenant's collections in one
// call: a record write's, one row in each of a form's rollups, costs a read and a write
// statement rather than a statement per rollup.
func (s *scope) IncrementAcross(ctx context.Context, batches []store.CollectionIncrements) error {
	return s.b.increment(ctx, s.tenant, batches)
}

// counter is one increment of a call and the collection of the document it writes.
type counter struct {
	coll string
	store.Increment
}

// increment applies the increments of one call on the writer, in the caller's
// transaction or one of its own, so every increment counts and they commit together.
// They are written a table at a time (a kind of collection, table.go). One is a
// statement (incrementOne). Of more, whatever collections of the kind they write, the
// documents that exist are read, their amounts added in Go (to their JSONB, without
// decoding it) and written back by rowid, a chunk per statement, and the new ones
// inserted: the caller holds the writer throughout, so no other write comes in
// between, and a record write's increments, one per rollup, cost a read and a write
// statement, an import batch's a few per 128 documents. In the caller's transaction a
// failure puts back what the call wrote (see InsertMany for why not a savepoint), or,
// when the call spans tables, a savepoint does.
func (b *Backend) increment(ctx context.Context, tenant string, batches []store.CollectionIncrements) error {
	if err := checkIncrements(batches); err != nil {
		return err
	}
	return b.incrementChecked(ctx, tenant, batches)
}

// checkIncrements refuses what no increment call may write.
func checkIncrements(batches []store.CollectionIncrements) error {
	if err := store.ValidateAcross(batches); err != nil {
		return err
	}
	for _, bt := range batches {
		for _, inc := range bt.Increments {
			if err := checkID(inc.ID); err != nil {
				return fmt.Errorf("increment %s in %s: %w", inc.ID, bt.Collection, err)
			}
			if err := checkKeys(inc.Set); err != nil {
				return fmt.Errorf("increment %s in %s: %w", inc.ID, bt.Collection, err)
			}
		}
	}
	return nil
}

// IncrementOnCommit holds the increments back to the commit of ctx's transaction (a
// group commit's, when it shares one), as store.CommitIncrementer documents.
func (s *scope) IncrementOnCommit(ctx context.Context, batches []store.CollectionIncrements) error {
	st := s.b.txFrom(ctx)
	if st == nil {
		return s.b.increment(ctx, s.tenant, batches)
	}
	if st.done.Load() {
		return ErrTxDone
	}
	if err := checkIncrements(batches); err != nil {
		return err
	}
	st.held = append(st.held, heldIncrements{tenant: s.tenant, batches: slices.Clone(batches)})
	return nil
}

// heldIncrements are a tenant's increments held back to a transaction's commit.
type heldIncrements struct {
	tenant  string
	batches []store.CollectionIncrements
}

// applyHeld writes the increments held back by the transactions about to commit, in
// the transaction ctx carries: one call a tenant, so each document is written once.
func (b *Backend) applyHeld(ctx context.Context, held []heldIncrements) error {
	var tenants []string
	byTenant := map[string][]store.CollectionIncrements{}
	for _, h := range held {
		if _, ok := byTenant[h.tenant]; !ok {
			tenants = append(tenants, h.tenant)
		}
		byTenant[h.tenant] = append(byTenant[h.tenant], h.batches...)
	}
	for _, t := range tenants {
		if err := b.incrementChecked(ctx, t, byTenant[t]); err != nil {
			return fmt.Errorf("increments held to the commit: %w", err)
		}
	}
	return nil
}

// incrementChecked is increment for batches already checked.
func (b *Backend) incrementChecked(ctx context.Context, tenant string, batches []store.CollectionIncrements) error {
	groups := store.GroupIncrements(batches)
	n := 0
	for _, g := range groups {
		n += len(g.Increments)
	}
	counters := make([]counter, 0, n)
	for _, g := range groups {
		for _, inc := range g.Increments {
			counters = append(counters, counter{coll: g.Collection, Increment: inc})
		}
	}
	if len(counters) == 0 {
		return nil
	}
	w := &counterWriter{tenant: tenant, now: time.Now().UnixMilli()}
	joined := b.txFrom(ctx) != nil
	tables := byTable(tenant, counters)
	err := b.withTx(ctx, func(ctx context.Context) error {
		return b.run(ctx, true, func(ctx context.Context, r *runner) error {
			w.r = r
			for _, t := range tables {
				if err := b.ensureTable(ctx, r, tenant, t.cs[0].coll); err != nil {
					return err
				}
			}
			if len(tables) == 1 {
				return w.apply(ctx, tables[0], joined)
			}
			each := func() error {
				for _, t := range tables {
					if err := w.apply(ctx, t, false); err != nil {
						return err
					}
				}
				return nil
			}
			if !joined {
				return each() // a failure rolls back the call's own transaction
			}
			// Counters in several tables: undoing each table's part by hand would leave
			// the tables written before a failure, so the call takes a savepoint.
			return inUndoSavepoint(ctx, r, each)
		})
	})
	if err != nil {
		where := groups[0].Collection
		if len(groups) > 1 {
			where = fmt.Sprintf("%d collections", len(groups))
		}
		return fmt.Errorf("increment %d documents in %s: %w", len(counters), where, err)
	}
	return nil
}

// tableCounters are the counters of one call that one table holds.
type tableCounters struct {
	table string // quoted
	cs    []counter
}

// byTable groups counters by the table of their collection, in order of first appearance.
func byTable(tenant string, counters []counter) []tableCounters {
	var out []tableCounters
	at := map[string]int{}
	for _, c := range counters {
		t := tableOf(tenant, c.coll)
		i, ok := at[t]
		if !ok {
			i = len(out)
			at[t] = i
			out = append(out, tableCounters{table: t})
		}
		out[i].cs = append(out[i].cs, c)
	}
	return out
}

// counterWriter writes the counters of one call on the writer, which the caller holds,
// a table at a time.
type counterWriter struct {
	r      *runner
	tenant string
	now    int64
	// table is the table being written (quoted).
	table string
}

// sql is query on the table being written.
func (w *counterWriter) sql(query string) string { return onTable(w.table, query) }

// apply writes one table's counters: a lone one a statement, more read and written back
// (with undo, undone by hand on failure).
func (w *counterWriter) apply(ctx context.Context, t tableCounters, undo bool) error {
	w.table = t.table
	if len(t.cs) == 1 {
		return w.incrementOne(ctx, t.cs[0])
	}
	return w.applyIncrements(ctx, t.cs, undo)
}

// incrementOne applies a lone increment, a record write's when its form has one
// rollup: an update of the document in place with the amounts bound to the statement
// (cheaper than an upsert, which reads the amounts back from the row it failed to
// insert), or an insert when no document has the id. Either is one statement, so all
// or nothing. Two or more cost less read and written back by rowid (applyIncrements),
// whatever collections they are in, than an update each.
func (w *counterWriter) incrementOne(ctx context.Context, c counter) error {
	keys := slices.Sorted(maps.Keys(c.Add))
	args := make([]any, 0, len(keys)+4)
	args = append(args, w.now)
	for _, k := range keys {
		args = append(args, amountValue(c.Add[k]))
	}
	args = append(args, w.tenant, c.coll, c.ID)
	res, err := w.r.exec(ctx, w.sql(incrementSQL(keys)), args...)
	if err != nil {
		return engineError(err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	body, err := incremented(c, nil)
	if err != nil {
		return err
	}
	if _, err := w.r.exec(ctx, w.sql(multiInsertSQL(1)), w.tenant, c.coll, c.ID, w.now, w.now, body); err != nil {
		return engineError(err)
	}
	return nil
}

// incrementSQL is the update adding bound amounts to keys of one document. The keys
// passed store.Increment.Validate (letters, digits, underscores), so they are safe in a
// path; an Add field holds a number or is missing (the contract), so no type check.
func incrementSQL(keys []string) string {
	var sb strings.Builder
	sb.WriteString(`UPDATE $docs SET version = version + 1, updated_at = ?`)
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
// every document, a chunk per statement. With undo, a failure is undone before it is
// returned.
func (w *counterWriter) applyIncrements(ctx context.Context, cs []counter, undo bool) error {
	stored, err := w.readStored(ctx, cs)
	if err != nil {
		return err
	}
	sent, err := w.writeIncrements(ctx, cs, stored)
	if err != nil && undo {
		return w.undone(ctx, err, cs, sent, stored)
	}
	return err
}

// writeIncrements writes the documents of cs: the stored ones updated by rowid, a chunk
// per statement, the new ones inserted. sent lists the counters whose writes reached
// the engine.
func (w *counterWriter) writeIncrements(ctx context.Context, cs []counter, stored []*storedDoc) (sent []int, err error) {
	var fresh, old []int
	for i := range cs {
		if stored[i] == nil {
			fresh = append(fresh, i)
		} else {
			old = append(old, i)
		}
	}
	args := make([]any, 0, 6*min(incrementChunk, len(cs)))
	for start, n := 0, 0; start < len(old); start += n {
		n = chunkOf(len(old) - start)
		args = append(args[:0], w.now)
		for _, i := range old[start : start+n] {
			body, err := incremented(cs[i], stored[i])
			if err != nil {
				return sent, err
			}
			args = append(args, stored[i].rowid, body)
			sent = append(sent, i)
		}
		if _, err := w.r.exec(ctx, w.sql(updateRowsSQL(n)), args...); err != nil {
			return sent, engineError(err)
		}
	}
	for start, n := 0, 0; start < len(fresh); start += n {
		n = chunkOf(len(fresh) - start)
		args = args[:0]
		for _, i := range fresh[start : start+n] {
			c := cs[i]
			body, err := incremented(c, nil)
			if err != nil {
				return sent, err
			}
			args = append(args, w.tenant, c.coll, c.ID, w.now, w.now, body)
			sent = append(sent, i)
		}
		if _, err := w.r.exec(ctx, w.sql(multiInsertSQL(n)), args...); err != nil {
			return sent, engineError(err)
		}
	}
	return sent, nil
}

// updateRowsSQL replaces the bodies of n documents by rowid and advances their versions.
// OR FAIL: a failing row stops the statement without undoing the rows before it, so the
// statement keeps no journal of the pages it changes; the caller undoes the call.
func updateRowsSQL(n int) string {
	var sb strings.Builder
	sb.WriteString(`UPDATE OR FAIL $docs SET version = version + 1, updated_at = ?, data = jsonb(v.column2) FROM (VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?)")
	}
	sb.WriteString(`) AS v WHERE $docs.rowid = v.column1`)
	return sb.String()
}

// readStored reads the documents of cs that exist, by collection and id, in one
// statement per incrementChunk of them whatever collections they are in; stored[i] is
// cs[i]'s document, nil when there is none.
func (w *counterWriter) readStored(ctx context.Context, cs []counter) ([]*storedDoc, error) {
	stored := make([]*storedDoc, len(cs))
	query := w.selectStoredSQL()
	for start := 0; start < len(cs); start += incrementChunk {
		list, err := keyList(cs[start:min(start+incrementChunk, len(cs))])
		if err != nil {
			return nil, err
		}
		err = w.r.query(ctx, query, []any{list}, func(rows *sql.Rows) error {
			var at int
			d := &storedDoc{}
			if err := rows.Scan(&at, &d.rowid, &d.version, &d.updated, &d.data); err != nil {
				return err
			}
			stored[start+at] = d
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return stored, nil
}

// keyList is the JSON array of the counters' [collection, id] pairs the statements on
// several documents take.
func keyList(cs []counter) (string, error) {
	keys := make([][2]string, len(cs))
	for i, c := range cs {
		keys[i] = [2]string{c.coll, c.ID}
	}
	b, err := json.Marshal(keys)
	return string(b), err
}

// selectStoredSQL reads what applyIncrements needs of the documents a keyList names,
// each with its place in the list; each pair is looked up in the primary key. The
// tenant is a literal (a name that passed store.CheckScope): bound, it would make
// SQLite prepare the statement again on every run, since its planner looks its value
// up in the index statistics.
func (w *counterWriter) selectStoredSQL() string {
	return `SELECT k.key, d.rowid, d.version, d.updated_at, d.data FROM json_each(?) AS k CROSS JOIN ` + w.table + ` AS d` +
		` ON d.tenant = ` + quote(w.tenant) + ` AND d.coll = k.value ->> 0 AND d.id = k.value ->> 1`
}

// deleteKeysSQL deletes the documents a keyList names.
func (w *counterWriter) deleteKeysSQL() string {
	return `DELETE FROM ` + w.table + ` WHERE tenant = ` + quote(w.tenant) +
		` AND (coll, id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`
}

const sqlRestore = `UPDATE $docs SET version = ?, updated_at = ?, data = jsonb(?) WHERE rowid = ?`

// undone returns err after putting back the documents of the counters sent (those
// whose writes reached the engine) as they were read: the others rewritten, the new
// ones deleted by key, which no document had before the call (it was read while the
// caller held the writer, as it still does).
func (w *counterWriter) undone(ctx context.Context, err error, cs []counter, sent []int, stored []*storedDoc) error {
	var created []counter
	for _, i := range sent {
		d := stored[i]
		if d == nil {
			created = append(created, cs[i])
			continue
		}
		if _, uerr := w.r.exec(ctx, w.sql(sqlRestore), d.version, d.updated, d.data, d.rowid); uerr != nil {
			return errors.Join(err, uerr)
		}
	}
	if len(created) == 0 {
		return err
	}
	list, lerr := keyList(created)
	if lerr == nil {
		_, lerr = w.r.exec(ctx, w.deleteKeysSQL(), list)
	}
	return errors.Join(err, lerr)
}

// incremented is the body of a document after c: the stored one with the amounts
// added, or for a new document Set and Add.
func incremented(c counter, stored *storedDoc) ([]byte, error) {
	if stored != nil {
		if b, ok := addToJSONB(stored.data, c.Add); ok {
			return b, nil
		}
	}
	var data map[string]any
	if stored == nil {
		data = make(map[string]any, len(c.Set)+len(c.Add))
		maps.Copy(data, c.Set)
		for k, v := range c.Add {
			data[k] = amountValue(v)
		}
	} else {
		var err error
		if data, err = decodeBody(stored.data); err != nil {
			return nil, fmt.Errorf("increment %s in %s: decode: %w", c.ID, c.coll, err)
		}
		for k, v := range c.Add {
			data[k] = addAmount(data[k], v)
		}
	}
	b, err := encodeBody(data)
	if err != nil {
		return nil, fmt.Errorf("increment %s in %s: %w", c.ID, c.coll, err)
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

// exactChunk is the most rows a statement takes as they come: a record write's, one
// row per rollup, in one statement.
const exactChunk = 16

// chunkOf is how many of left rows the next statement takes: all of a few, otherwise
// incrementChunk or the largest power of two below it, so a few statement texts serve
// every count.
func chunkOf(left int) int {
	if left <= exactChunk {
		return left
	}
	n := incrementChunk
	for n > left {
		n /= 2
	}
	return n
}

var _ store.MultiIncrementer = (*scope)(nil)
