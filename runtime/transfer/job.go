package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/credolabs/credo/store"
)

// JobsCollection holds a tenant's import jobs; RejectsCollection the problems of their
// rejected rows, one document per problem, ids prefixed with the job's id.
const (
	JobsCollection    = "import_jobs"
	RejectsCollection = "import_rejects"
)

// The states of a job.
const (
	// StatusQueued: saved and waiting for a free slot (Options.MaxRunning).
	StatusQueued  = "queued"
	StatusRunning = "running"
	// StatusDone: every row was read; Counts say what became of them.
	StatusDone = "done"
	// StatusFailed: the job stopped early (Error says why); the rows created before
	// stay, and importing the same file again adds only the others.
	StatusFailed = "failed"
	// StatusInterrupted: the job's node stopped heart-beating (a restart); import the
	// file again to finish it, no row is written twice.
	StatusInterrupted = "interrupted"
)

// Job is an import: what was uploaded, how it is mapped, and how far it has come.
type Job struct {
	ID        string `json:"id"`
	Form      string `json:"form"`
	FileName  string `json:"file_name"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	Format    string `json:"format"`
	Sheet     string `json:"sheet,omitempty"`
	HeaderRow int    `json:"header_row"`
	Status    string `json:"status"`
	// Columns is the resolved mapping: column header → field.
	Columns   map[string]string `json:"columns"`
	Key       string            `json:"key,omitempty"`
	Decide    bool              `json:"decide"`
	CreatedBy string            `json:"created_by"`
	CreatedAt time.Time         `json:"created_at"`
	// UpdatedAt moves with every batch while the job runs: its heartbeat.
	UpdatedAt  time.Time  `json:"updated_at"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	Progress   Progress   `json:"progress"`
	Counts     Counts     `json:"counts"`
	// RejectsTruncated is set when the report holds only the first Options.MaxRejects
	// problems; Counts.Rejected still counts every rejected row.
	RejectsTruncated bool      `json:"rejects_truncated,omitempty"`
	Error            *JobError `json:"error,omitempty"`
}

// Progress is how far a job has read its file.
type Progress struct {
	Percent float64 `json:"percent"`
	// Rows counts the non-empty data rows read so far.
	Rows          int64   `json:"rows"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

// Counts say what became of the rows read.
type Counts struct {
	Accepted   int64 `json:"accepted"`
	Rejected   int64 `json:"rejected"`
	Duplicates int64 `json:"duplicates"`
}

// JobError says why a job stopped early.
type JobError struct {
	// Code is stable: unreadable_file, forbidden, form_not_found, interrupted, internal.
	Code    string `json:"code"`
	Message string `json:"message"`
}

// terminal reports whether the job will not change any more.
func (j *Job) terminal() bool {
	return j.Status == StatusDone || j.Status == StatusFailed || j.Status == StatusInterrupted
}

// jobData is the job as the store keeps it.
func jobData(j *Job) (map[string]any, error) {
	b, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	return store.DecodeData(b)
}

func jobOf(d *store.Doc) (*Job, error) {
	b, err := json.Marshal(d.Data)
	if err != nil {
		return nil, err
	}
	var j Job
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("import job %s: %w", d.ID, err)
	}
	return &j, nil
}

// jobRecord is a job with the store document it is saved in; only the goroutine
// running the job writes it after it is created.
type jobRecord struct {
	job *Job
	doc *store.Doc
	// stored counts the report entries kept so far (at most Options.MaxRejects).
	stored int64
}

func (r *jobRecord) save(ctx context.Context, sc store.Scope) error {
	data, err := jobData(r.job)
	if err != nil {
		return err
	}
	r.doc.Data = data
	return sc.Collection(JobsCollection).Update(ctx, r.doc)
}

// loadJob reads a job of form, or ErrJobNotFound.
func loadJob(ctx context.Context, sc store.Scope, formKey, id string) (*Job, error) {
	d, err := sc.Collection(JobsCollection).Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrJobNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load import job %s: %w", id, err)
	}
	j, err := jobOf(d)
	if err != nil {
		return nil, err
	}
	if j.Form != formKey {
		return nil, ErrJobNotFound
	}
	return j, nil
}

func roundTo(v float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}
