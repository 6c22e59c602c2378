package transfer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// pipelineDepth is how many batches are in CreateMany at once: while one holds the
// store's writer, the next one is being validated on the other cores.
const pipelineDepth = 2

// saveEvery bounds how often progress alone is written; a batch with rejects is always.
const saveEvery = 250 * time.Millisecond

// batch is a run of rows read from the file.
type batch struct {
	rows []form.BulkRow
	nums []int // the file's row number of each of rows
	// rejects are the problems of the rows refused while reading; refused counts them.
	rejects []Reject
	refused int64
	// done and total are the source's progress after the batch.
	done, total int64
}

func (b *batch) size() int { return len(b.rows) + int(b.refused) }

// outcome is a batch after CreateMany.
type outcome struct {
	b       *batch
	results []form.BulkResult
	err     error
}

// run imports the saved file: one goroutine reads and converts rows into batches,
// pipelineDepth goroutines create them, and this one records the outcomes and the
// progress. It removes the file when it ends.
func (s *Service) run(a form.Actor, rec *jobRecord, path string, p *plan, ids rowIDs) {
	defer s.wg.Done()
	defer func() {
		_ = os.Remove(path)
		s.mu.Lock()
		delete(s.local, rec.job.ID)
		s.mu.Unlock()
	}()
	ctx := s.ctx
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		s.log.Error("import job has no scope", "job", rec.job.ID, "error", err.Error())
		return
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		s.finish(sc, rec, &JobError{Code: "interrupted", Message: "the server stopped before the import began; import the file again"})
		return
	}
	started := s.opts.Now().UTC()
	rec.job.Status, rec.job.StartedAt, rec.job.UpdatedAt = StatusRunning, &started, started
	if err := rec.save(ctx, sc); err != nil {
		s.finish(sc, rec, s.jobError(rec.job.ID, err))
		return
	}
	src, _, err := s.open(path, rec.job.Format, rec.job.Sheet)
	if err != nil {
		s.finish(sc, rec, s.jobError(rec.job.ID, err))
		return
	}
	defer func() { _ = src.Close() }()
	s.finish(sc, rec, s.pump(ctx, sc, a, rec, src, p, ids))
}

// firstRun reports whether no record has the id of a row of this file yet: the file's
// first import, whose rows need no lookup before they are validated. Ids derived from a
// key field may match rows of any file, so those are always looked up.
func firstRun(ctx context.Context, sc store.Scope, formKey string, ids rowIDs) bool {
	if ids.keyField != "" {
		return false
	}
	page, err := sc.Collection(form.RecordsCollection(formKey)).Find(ctx, store.Query{Limit: 1, Fields: []string{store.FieldID},
		Filter: &store.Filter{Field: store.FieldID, Op: store.OpPrefix, Value: ids.filePrefix}})
	return err == nil && len(page.Docs) == 0
}

// pump runs the pipeline to its end and returns why it stopped early, if it did.
func (s *Service) pump(ctx context.Context, sc store.Scope, a form.Actor, rec *jobRecord, src source, p *plan, ids rowIDs) *JobError {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *batch, 1)
	outcomes := make(chan outcome, pipelineDepth)
	var readErr error
	go func() {
		defer close(batches)
		readErr = s.produce(runCtx, src, p, rec.job.HeaderRow, ids, batches)
	}()
	opts := form.BulkOptions{Decide: rec.job.Decide, Source: "import:" + rec.job.ID, Fresh: firstRun(ctx, sc, rec.job.Form, ids)}
	var wg sync.WaitGroup
	for range pipelineDepth {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				o := outcome{b: b}
				if len(b.rows) > 0 {
					o.results, o.err = s.forms.CreateMany(runCtx, a, rec.job.Form, b.rows, opts)
				}
				select {
				case outcomes <- o:
				case <-runCtx.Done():
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(outcomes)
	}()
	var failure *JobError
	last := time.Time{}
	for o := range outcomes {
		if failure != nil {
			continue // drain: the others stop on the cancelled ctx
		}
		if o.err == nil {
			o.err = s.tally(ctx, sc, rec, p, o, &last)
		}
		if o.err != nil {
			failure = s.jobError(rec.job.ID, o.err)
			cancel()
		}
	}
	if failure == nil && readErr != nil {
		failure = s.jobError(rec.job.ID, readErr)
	}
	return failure
}

// produce reads the rows below the header into batches; it allocates nothing for an
// empty row, so a sheet of a million blank rows costs only their reading.
func (s *Service) produce(ctx context.Context, src source, p *plan, headerRow int, ids rowIDs, out chan<- *batch) error {
	b := &batch{}
	send := func() bool {
		b.done, b.total = src.Progress()
		select {
		case out <- b:
			b = &batch{}
			return true
		case <-ctx.Done():
			return false
		}
	}
	for src.Next() {
		row, cells := src.Row()
		if row <= headerRow || isEmpty(cells) {
			continue
		}
		data, rejects := p.read(row, cells, s.opts.MaxCellChars)
		if len(rejects) > 0 {
			b.rejects = append(b.rejects, rejects...)
			b.refused++
		} else {
			b.rows = append(b.rows, form.BulkRow{ID: ids.id(row, data), Data: data})
			b.nums = append(b.nums, row)
		}
		if b.size() >= s.opts.BatchSize && !send() {
			return ctx.Err()
		}
	}
	if err := src.Err(); err != nil {
		return err
	}
	send()
	return nil
}

// tally adds a batch's outcome to the job, stores its rejects and, at most every
// saveEvery unless there are rejects, the progress.
func (s *Service) tally(ctx context.Context, sc store.Scope, rec *jobRecord, p *plan, o outcome, last *time.Time) error {
	j := rec.job
	rejects := o.b.rejects
	j.Counts.Rejected += o.b.refused
	for i, r := range o.results {
		switch r.Status {
		case form.BulkCreated:
			j.Counts.Accepted++
		case form.BulkDuplicate:
			j.Counts.Duplicates++
		case form.BulkRejected:
			j.Counts.Rejected++
			rejects = append(rejects, p.rejectsOf(o.b.nums[i], r.Problems)...)
		}
	}
	now := s.opts.Now().UTC()
	j.Progress.Rows += int64(o.b.size())
	if o.b.total > 0 && o.b.done <= o.b.total { // a workbook may understate its size
		j.Progress.Percent = max(j.Progress.Percent, min(100, roundTo(100*float64(o.b.done)/float64(o.b.total), 1)))
	}
	if secs := now.Sub(*j.StartedAt).Seconds(); secs > 0 {
		j.Progress.RowsPerSecond = roundTo(float64(j.Progress.Rows)/secs, 0)
	}
	if len(rejects) == 0 && now.Sub(*last) < saveEvery {
		return nil
	}
	*last = now
	j.UpdatedAt = now
	return sc.WithTx(ctx, func(ctx context.Context) error {
		if err := s.storeRejects(ctx, sc, rec, rejects); err != nil {
			return err
		}
		return rec.save(ctx, sc)
	})
}

// storeRejects keeps the report's entries, up to MaxRejects per job.
func (s *Service) storeRejects(ctx context.Context, sc store.Scope, rec *jobRecord, rejects []Reject) error {
	coll := sc.Collection(RejectsCollection)
	n := 0 // the problem's place within its row, so ids stay in row order
	for i, r := range rejects {
		if i > 0 && rejects[i-1].Row == r.Row {
			n++
		} else {
			n = 0
		}
		if rec.stored >= int64(s.opts.MaxRejects) {
			rec.job.RejectsTruncated = true
			return nil
		}
		id := fmt.Sprintf("%s/%010d/%03d", rec.job.ID, r.Row, n)
		err := coll.Insert(ctx, &store.Doc{ID: id, Data: map[string]any{"row": r.Row, "column": r.Column,
			"field": r.Field, "code": r.Code, "reason": r.Reason}})
		if err != nil && !errors.Is(err, store.ErrDuplicate) {
			return err
		}
		rec.stored++
	}
	return nil
}

// finish records how the job ended. It writes even when the service is stopping, so a
// restart shows the job's true state.
func (s *Service) finish(sc store.Scope, rec *jobRecord, failure *JobError) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), 10*time.Second)
	defer cancel()
	now := s.opts.Now().UTC()
	j := rec.job
	j.FinishedAt, j.UpdatedAt = &now, now
	if j.StartedAt != nil {
		if secs := now.Sub(*j.StartedAt).Seconds(); secs > 0 {
			j.Progress.RowsPerSecond = roundTo(float64(j.Progress.Rows)/secs, 0)
		}
	}
	switch {
	case failure == nil:
		j.Status, j.Progress.Percent = StatusDone, 100
	case failure.Code == "interrupted":
		j.Status, j.Error = StatusInterrupted, failure
	default:
		j.Status, j.Error = StatusFailed, failure
	}
	if err := rec.save(ctx, sc); err != nil {
		s.log.Error("import job state not saved", "job", j.ID, "error", err.Error())
	}
}

// jobError words why a job stopped; errors that are ours are logged under the job id.
func (s *Service) jobError(id string, err error) *JobError {
	switch {
	case errors.Is(err, context.Canceled):
		return &JobError{Code: "interrupted", Message: "the server stopped during the import; import the same file again to finish it"}
	case errors.Is(err, ErrUnreadableFile):
		return &JobError{Code: "unreadable_file", Message: err.Error()}
	case errors.Is(err, form.ErrForbidden):
		return &JobError{Code: "forbidden", Message: "you may no longer create records of this form"}
	case errors.Is(err, form.ErrFormNotFound):
		return &JobError{Code: "form_not_found", Message: "the form is no longer published"}
	}
	s.log.Error("import job failed", "job", id, "error", err.Error())
	return &JobError{Code: "internal", Message: "the import stopped on a server error; quote the job id when reporting it"}
}
