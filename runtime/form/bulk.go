package form

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/store"
)

// BulkRow is one record of a batch create.
type BulkRow struct {
	// ID is the record's id, chosen by the caller so that a re-run of the same import
	// finds its rows already written (BulkDuplicate) rather than writing them twice.
	// Empty: a new id is assigned and no duplicate can be recognised.
	ID string
	// Data is the record's data, as Create takes it.
	Data map[string]any
}

// The outcomes of one row of a batch.
const (
	BulkCreated   = "created"
	BulkRejected  = "rejected"
	BulkDuplicate = "duplicate"
)

// BulkResult is the outcome of one row; CreateMany returns them in the order of the rows.
type BulkResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	// Problems say why a rejected row was refused, as Create's ValidationError would
	// (narrowed to the fields the actor may know).
	Problems []Problem `json:"problems,omitempty"`
}

// BulkOptions tune a batch create. The zero value is the default.
type BulkOptions struct {
	// Decide runs the form's automated decisions (scoring, fraud check) on every created
	// row, as Create does. Off by default: a historical import would otherwise call the
	// tenant's scoring plugins once per row; the decision fields stay empty and no
	// decision is queued for retry.
	Decide bool
	// Source names where the rows come from ("import:<job id>"); it is written into the
	// batch's audit entry.
	Source string
	// Fresh says none of the rows is stored yet as far as the caller knows (the first
	// run of an import), so their ids are not looked up before they are validated. A row
	// stored meanwhile is still found a duplicate when the batch is written.
	Fresh bool
}

// MaxBulkRows is the most rows one CreateMany call takes: its transaction holds the
// store's writer while it inserts them.
const MaxBulkRows = 5000

// AuditActionImport is the audit action of a batch create.
const AuditActionImport = "import"

// ErrBatchTooLarge means a CreateMany call had more than MaxBulkRows rows.
var ErrBatchTooLarge = fmt.Errorf("form: batch larger than %d rows", MaxBulkRows)

// errRecheck ends a batch's first transaction when one of its ids was stored meanwhile.
var errRecheck = errors.New("form: a row of the batch was stored meanwhile")

// CreateMany creates a batch of records: every row is checked, computed and validated
// exactly as Create does it (write rights, Prepare, row scope, and with Decide the
// automated decisions), the accepted rows are inserted in one store transaction together
// with one record.created event each, and the others are reported, not written. A row
// whose id already exists (or repeats an earlier row of the batch) is a BulkDuplicate and
// skipped. The error is for the batch as a whole (no right, unknown form, store failure),
// and then nothing is written.
//
// The batch is audited by one "import" entry naming every created id, in the same
// transaction: the records themselves hold the data, and the entry ties them to the
// actor and the source. One entry per row would add the chain's head read, the entry
// and the head move per row on the store's single writer: measured on SQLite, about
// 100 µs per row, more than the whole batch create costs per row (about 90 µs), so it
// would halve an import's speed.
func (s *Service) CreateMany(ctx context.Context, a Actor, form string, rows []BulkRow, opts BulkOptions) ([]BulkResult, error) {
	if len(rows) > MaxBulkRows {
		return nil, fmt.Errorf("create %s records: %d rows: %w", form, len(rows), ErrBatchTooLarge)
	}
	f, m, sc, err := s.begin(ctx, a, form, ActCreate)
	if err != nil {
		return nil, err
	}
	coll := sc.Collection(RecordsCollection(f.key))
	out := make([]BulkResult, len(rows))
	for i, r := range rows {
		out[i].ID = r.ID
		switch {
		case r.ID == "":
			out[i].ID = store.NewID()
		case !validRowID(r.ID):
			out[i].Status, out[i].Problems = BulkRejected, []Problem{{Code: "invalid_id",
				Message: fmt.Sprintf("the row id must be 1 to %d printable characters", maxRowIDLength)}}
		}
	}
	// Rows already stored are skipped before the validation work, so re-running an
	// import costs a lookup per row, not a Prepare.
	if opts.Fresh {
		markRepeats(out)
	} else if err := markDuplicates(ctx, coll, out); err != nil {
		return nil, fmt.Errorf("create %s records: %w", f.key, err)
	}
	// The actor's row scopes are read once for the batch, not once per row.
	scopes, err := s.authz.RowScopes(ctx, a.Tenant, a.UserID, f.key)
	if err != nil {
		return nil, fmt.Errorf("create %s records: row scopes: %w", f.key, err)
	}
	prepared, err := s.prepareRows(ctx, a, f, m, scopes, rows, out, opts)
	if err != nil {
		return nil, fmt.Errorf("create %s records: %w", f.key, err)
	}
	changes := s.passOver(ctx, sc, a, f, out, prepared)
	// The rollups count the batch now, off the store's writer; the transaction checks
	// that what they counted is what it writes.
	observed := s.prepareObserved(ctx, sc, EventRecordCreated, changes)
	// The batch is written as it is, without looking its ids up again on the store's
	// single writer; only when another writer stored one of them meanwhile does the
	// transaction start over and settle the rows one by one.
	err = s.inTx(ctx, sc, func(ctx context.Context) error {
		return s.insertRows(ctx, sc, coll, a, f, out, prepared, observed, opts, false)
	})
	if errors.Is(err, errRecheck) {
		err = s.inTx(ctx, sc, func(ctx context.Context) error {
			return s.insertRows(ctx, sc, coll, a, f, out, prepared, observed, opts, true)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("create %s records: %w", f.key, err)
	}
	return out, nil
}

// bulkRecord is an accepted row ready to insert.
type bulkRecord struct {
	rec     map[string]any
	pending bool
	// passedOver: no handler would act on its record.created event, which is not written.
	passedOver bool
}

// passOver marks the accepted rows whose record.created event every handler would pass
// over (Service.passedOver), and returns the accepted rows' changes.
func (s *Service) passOver(ctx context.Context, sc store.Scope, a Actor, f *Form, out []BulkResult, prepared []bulkRecord) []RecordChange {
	var rows []int
	var changes []RecordChange
	for i := range out {
		if out[i].Status == "" {
			rows = append(rows, i)
			changes = append(changes, changeOf(a, f, out[i].ID, 1, prepared[i].rec, nil, nil))
		}
	}
	for k, passed := range s.passedOver(ctx, sc, EventRecordCreated, changes) {
		prepared[rows[k]].passedOver = passed
	}
	return changes
}

// prepareRows checks and prepares every row not yet settled, on all cores: Prepare is
// the larger part of a row's cost and the form is safe for concurrent use.
func (s *Service) prepareRows(ctx context.Context, a Actor, f *Form, m *FieldMask, scopes []string, rows []BulkRow, out []BulkResult, opts BulkOptions) ([]bulkRecord, error) {
	prepared := make([]bulkRecord, len(rows))
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(rows)/8+1)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for failed.Load() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(rows) {
					return
				}
				if out[i].Status != "" {
					continue
				}
				if err := s.prepareRow(ctx, a, f, m, scopes, rows[i].Data, &out[i], &prepared[i], opts); err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if p := failed.Load(); p != nil {
		return nil, *p
	}
	return prepared, nil
}

// prepareRow does for one row what Create does before its transaction. A problem with
// the row rejects it; any other error fails the batch.
func (s *Service) prepareRow(ctx context.Context, a Actor, f *Form, m *FieldMask, scopes []string, data map[string]any, res *BulkResult, dst *bulkRecord, opts BulkOptions) error {
	reject := func(err error) error {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		res.Status, res.Problems = BulkRejected, ve.Problems
		return nil
	}
	if !writable(f, m, data) {
		if err := checkWrites(f, m, data); err != nil {
			return reject(err)
		}
	}
	data, err := keepColumns(m, nil, data)
	if err != nil {
		return reject(err)
	}
	if hasNull(data) {
		data = withoutNulls(data)
	}
	rec, err := f.Prepare(data)
	if err != nil {
		return reject(s.visible(m, err))
	}
	if err := s.refuseImportedAttachments(f, rec); err != nil {
		return reject(err)
	}
	if err := s.inScope(f, scopes, a, rec); err != nil {
		return reject(err)
	}
	dst.rec = rec
	if opts.Decide {
		dst.pending = s.decide(ctx, a.Tenant, f, res.ID, rec, 1)
	}
	return nil
}

// writable reports whether the actor may write every field of data: checkWrites
// without the sorting of the fields it does to report their problems in order, which
// only a refused row needs.
func writable(f *Form, m *FieldMask, data map[string]any) bool {
	var ps problems
	for k := range data {
		if checkWrite(f, m, k, &ps); len(ps) > 0 {
			return false
		}
	}
	return true
}

// inScope tells whether record lies inside one of the actor's row scopes (nil: no
// restriction); a batch reads the scopes once and asks for each row.
func (s *Service) inScope(f *Form, scopes []string, a Actor, rec map[string]any) error {
	if scopes == nil {
		return nil
	}
	user := userValue(a)
	for _, e := range scopes {
		if rs, err := s.scopes.get(f, e); err == nil && rs.admits(rec, user) {
			return nil
		}
	}
	return errOutsideScope
}

// insertRows writes the accepted rows, their events and the batch's audit entry with the
// transaction's ctx: the records with one batch insert and their record.created events
// with another, so a row costs no statement of its own. A batch insert that meets an
// id stored meanwhile fails as errRecheck, before anything is written, unless recheck is
// set: then ids are checked again inside the transaction, where no other writer can slip
// in between; on an engine without transactions one may, and the batch insert's
// ErrDuplicate sends the rows through insertRowByRow, which settles each of them.
func (s *Service) insertRows(ctx context.Context, sc store.Scope, coll store.Collection, a Actor, f *Form, out []BulkResult, prepared []bulkRecord, observed any, opts BulkOptions, recheck bool) error {
	if recheck {
		if err := markDuplicates(ctx, coll, out); err != nil {
			return err
		}
	}
	var docs []*store.Doc
	var rows []int
	for i := range out {
		if out[i].Status == "" {
			docs = append(docs, docOf(out[i].ID, f.version, a.UserID, "", prepared[i].rec))
			rows = append(rows, i)
		}
	}
	err := coll.InsertMany(ctx, docs)
	if errors.Is(err, store.ErrDuplicate) && !recheck {
		return errRecheck
	}
	if errors.Is(err, store.ErrDuplicate) {
		return s.insertRowByRow(ctx, sc, coll, a, f, out, prepared, opts)
	}
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(docs))
	evs := make([]events.Event, 0, len(docs))
	changes := make([]RecordChange, 0, len(docs))
	for k, doc := range docs {
		i := rows[k]
		if prepared[i].pending {
			if err := markPending(ctx, sc, f.key, doc.ID, 1, s.opts.Now().Add(retryDelay(1))); err != nil {
				return err
			}
		}
		c := changeOf(a, f, doc.ID, doc.Version, prepared[i].rec, nil, nil)
		if !prepared[i].passedOver {
			evs = append(evs, recordEvent(EventRecordCreated, c))
		}
		changes = append(changes, c)
		out[i].Status = BulkCreated
		ids = append(ids, doc.ID)
	}
	if len(evs) > 0 {
		if _, err := events.EmitMany(ctx, sc, evs); err != nil {
			return err
		}
	}
	if err := s.observe(ctx, sc, EventRecordCreated, changes, observed); err != nil {
		return err
	}
	return s.auditBatch(ctx, sc, a, f, ids, opts)
}

// insertRowByRow writes the accepted rows one at a time, marking those whose id
// another writer stored meanwhile as duplicates.
func (s *Service) insertRowByRow(ctx context.Context, sc store.Scope, coll store.Collection, a Actor, f *Form, out []BulkResult, prepared []bulkRecord, opts BulkOptions) error {
	var ids []string
	for i := range out {
		if out[i].Status != "" {
			continue
		}
		p := prepared[i]
		doc := docOf(out[i].ID, f.version, a.UserID, "", p.rec)
		if err := coll.Insert(ctx, doc); errors.Is(err, store.ErrDuplicate) {
			out[i].Status = BulkDuplicate
			continue
		} else if err != nil {
			return err
		}
		if p.pending {
			if err := markPending(ctx, sc, f.key, doc.ID, 1, s.opts.Now().Add(retryDelay(1))); err != nil {
				return err
			}
		}
		if err := s.changed(ctx, sc, EventRecordCreated, changeOf(a, f, doc.ID, doc.Version, p.rec, nil, nil), p.passedOver, nil); err != nil {
			return err
		}
		out[i].Status = BulkCreated
		ids = append(ids, doc.ID)
	}
	return s.auditBatch(ctx, sc, a, f, ids, opts)
}

// auditBatch writes the batch's one "import" entry naming the created ids.
func (s *Service) auditBatch(ctx context.Context, sc store.Scope, a Actor, f *Form, ids []string, opts BulkOptions) error {
	if len(ids) == 0 {
		return nil
	}
	e := s.entry(a, AuditActionImport, FormObject(f.key))
	e.Detail = map[string]any{"form_version": f.version, "count": len(ids), "records": ids, "decisions": opts.Decide}
	if opts.Source != "" {
		e.Detail["source"] = opts.Source
	}
	_, err := s.log.Append(ctx, sc, e)
	return err
}

// markDuplicates marks the unsettled rows whose id is stored already, or repeats an
// earlier row of the batch.
func markDuplicates(ctx context.Context, coll store.Collection, out []BulkResult) error {
	stored := map[string]bool{}
	err := store.FindIDs(ctx, coll, markRepeats(out), []string{docFormVersion}, func(d *store.Doc) { stored[d.ID] = true })
	if err != nil {
		return err
	}
	for i := range out {
		if out[i].Status == "" && stored[out[i].ID] {
			out[i].Status = BulkDuplicate
		}
	}
	return nil
}

// markRepeats marks the unsettled rows that repeat an earlier row's id, and returns the
// ids of the others.
func markRepeats(out []BulkResult) []string {
	seen := make(map[string]bool, len(out))
	ask := make([]string, 0, len(out))
	for i := range out {
		if out[i].Status == "" {
			if seen[out[i].ID] {
				out[i].Status = BulkDuplicate
				continue
			}
			seen[out[i].ID] = true
			ask = append(ask, out[i].ID)
		}
	}
	return ask
}

// maxRowIDLength bounds a caller-chosen record id, well within every engine's limit.
const maxRowIDLength = 128

// validRowID reports whether a caller-chosen id is printable UTF-8 of bounded length.
func validRowID(id string) bool {
	if len(id) > maxRowIDLength || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// hasNull reports whether data holds a null, which withoutNulls would drop.
func hasNull(data map[string]any) bool {
	for _, v := range data {
		if v == nil {
			return true
		}
	}
	return false
}
