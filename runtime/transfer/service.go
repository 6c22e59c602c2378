package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Options tune imports. The zero value of each field is its documented default.
type Options struct {
	// Dir keeps uploads while their job runs (they are deleted when it ends). Empty
	// means a "credo-imports" folder in the system's temporary directory.
	Dir string
	// MaxFileBytes caps an upload (default 50 MiB); a larger one is ErrFileTooLarge.
	MaxFileBytes int64
	// MaxUnzippedBytes caps what an .xlsx may expand to (default 1 GiB): a zip bomb is
	// refused before it is inflated.
	MaxUnzippedBytes int64
	// MaxPartBytes caps each part of an .xlsx other than its worksheets and shared
	// strings (styles, drawings…), which are held in memory (default 16 MiB).
	MaxPartBytes int64
	// MaxCellChars caps one cell (default 32767, a spreadsheet cell's own limit); a row
	// with a longer cell is rejected.
	MaxCellChars int
	// BatchSize is how many rows go into one store transaction (default 500, at most
	// form.MaxBulkRows).
	BatchSize int
	// MaxRejects caps the problems kept per job for the report (default 100000); the
	// counts go on.
	MaxRejects int
	// MaxRunning is how many jobs run at once on this node (default 2); more wait queued.
	MaxRunning int
	// StaleAfter is how long a running job may go without a heartbeat before it is shown
	// as interrupted (default 2 minutes).
	StaleAfter time.Duration
	// Logger receives the jobs' failures; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock of the jobs' times; nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Dir == "" {
		o.Dir = filepath.Join(os.TempDir(), "credo-imports")
	}
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = 50 << 20
	}
	if o.MaxUnzippedBytes <= 0 {
		o.MaxUnzippedBytes = 1 << 30
	}
	if o.MaxPartBytes <= 0 {
		o.MaxPartBytes = 16 << 20
	}
	if o.MaxCellChars <= 0 {
		o.MaxCellChars = 32767
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	o.BatchSize = min(o.BatchSize, form.MaxBulkRows)
	if o.MaxRejects <= 0 {
		o.MaxRejects = 100000
	}
	if o.MaxRunning <= 0 {
		o.MaxRunning = 2
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = 2 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Service runs imports into forms: it saves an upload, checks its mapping against the
// header and the form, and imports the rows in the background through
// form.Service.CreateMany, keeping the job's progress in the store. It is safe for
// concurrent use; Close stops its jobs.
type Service struct {
	b     store.Backend
	forms *form.Service
	audit *audit.Log
	opts  Options
	log   *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	slots  chan struct{}

	mu    sync.Mutex
	local map[string]bool // ids of the jobs this node runs
}

// New returns an import service; b, forms and log are required.
func New(b store.Backend, forms *form.Service, log *audit.Log, opts Options) *Service {
	if b == nil || forms == nil || log == nil {
		panic("transfer.New: backend, form service and audit log are required")
	}
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{b: b, forms: forms, audit: log, opts: opts, log: opts.Logger.With("component", "import"),
		ctx: ctx, cancel: cancel, slots: make(chan struct{}, opts.MaxRunning), local: map[string]bool{}}
}

// Close stops the running jobs (they end as interrupted) and waits for them.
func (s *Service) Close() {
	s.cancel()
	s.wg.Wait()
}

// MaxFileBytes is the largest upload the service takes.
func (s *Service) MaxFileBytes() int64 { return s.opts.MaxFileBytes }

// Upload is one file to import.
type Upload struct {
	// Name is the file's name as the client sent it; it is shown, never trusted: the
	// format is read from the content.
	Name string
	Body io.Reader
	Spec Spec
}

// Start saves the upload, checks its mapping against the file's header row and the
// form (every problem at once, as a *SpecError), records the job and runs it in the
// background. It needs the form's create right; each batch is checked again as it is
// written.
func (s *Service) Start(ctx context.Context, a form.Actor, formKey string, up Upload) (*Job, error) {
	if err := up.Spec.check(); err != nil {
		return nil, err
	}
	f, m, err := s.access(ctx, a, formKey)
	if err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("import into %s: %w", formKey, err)
	}
	id := store.NewID()
	saved, err := s.save(a.Tenant, id, up.Body)
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() {
		if !keep {
			_ = os.Remove(saved.path)
		}
	}()
	format, err := sniff(saved.head)
	if err != nil {
		return nil, err
	}
	src, sheet, err := s.open(saved.path, format, up.Spec.Sheet)
	if err != nil {
		return nil, err
	}
	header, err := headerOf(src, up.Spec.HeaderRow)
	_ = src.Close()
	if err != nil {
		return nil, err
	}
	p, err := resolve(f, m, header, up.Spec)
	if err != nil {
		return nil, err
	}
	now := s.opts.Now().UTC()
	job := &Job{ID: id, Form: formKey, FileName: cleanName(up.Name), SHA256: saved.sha256, Size: saved.size,
		Format: format, Sheet: sheet, HeaderRow: up.Spec.HeaderRow, Status: StatusQueued, Columns: p.columns(),
		Key: up.Spec.Key, Decide: up.Spec.Decide, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
	rec, err := s.record(ctx, sc, a, job)
	if err != nil {
		return nil, err
	}
	keep = true
	s.mu.Lock()
	s.local[id] = true
	s.mu.Unlock()
	answer := *job // the job's goroutine changes rec.job from now on
	s.wg.Add(1)
	go s.run(a, rec, saved.path, p, newRowIDs(saved.sha256, sheet, up.Spec.Key))
	return &answer, nil
}

// access checks that the actor may import into formKey: the create right on the form.
func (s *Service) access(ctx context.Context, a form.Actor, formKey string) (*form.Form, *form.FieldMask, error) {
	if a.UserID == "" {
		return nil, nil, fmt.Errorf("import into %s: no user: %w", formKey, form.ErrForbidden)
	}
	f, err := s.forms.Form(ctx, a.Tenant, formKey)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.forms.Mask(ctx, a, formKey)
	if err != nil {
		return nil, nil, fmt.Errorf("import into %s: %w", formKey, err)
	}
	if !m.Can(form.ActCreate) {
		return nil, nil, fmt.Errorf("import into %s: %w", formKey, form.ErrForbidden)
	}
	return f, m, nil
}

// record stores a new job and audits the upload, in one transaction.
func (s *Service) record(ctx context.Context, sc store.Scope, a form.Actor, job *Job) (*jobRecord, error) {
	data, err := jobData(job)
	if err != nil {
		return nil, err
	}
	doc := &store.Doc{ID: job.ID, Data: data}
	e := audit.Entry{Actor: a.UserID, Action: form.AuditActionImport, Object: JobObject(job.Form, job.ID),
		Client: a.Client, RequestID: a.RequestID, Detail: map[string]any{
			"file_name": job.FileName, "sha256": job.SHA256, "size": job.Size, "format": job.Format,
			"sheet": job.Sheet, "columns": job.Columns, "key": job.Key, "decisions": job.Decide}}
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		if err := sc.Collection(JobsCollection).Insert(ctx, doc); err != nil {
			return err
		}
		_, err := s.audit.Append(ctx, sc, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("import into %s: %w", job.Form, err)
	}
	return &jobRecord{job: job, doc: doc}, nil
}

// JobObject is the audit object of an import job.
func JobObject(formKey, id string) string { return form.FormObject(formKey) + "/import:" + id }

// Job returns an import job of formKey with its progress. A job whose node stopped
// heart-beating is shown as interrupted.
func (s *Service) Job(ctx context.Context, a form.Actor, formKey, id string) (*Job, error) {
	if _, _, err := s.access(ctx, a, formKey); err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return nil, err
	}
	j, err := loadJob(ctx, sc, formKey, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	local := s.local[id]
	s.mu.Unlock()
	if !j.terminal() && !local && s.opts.Now().Sub(j.UpdatedAt) > s.opts.StaleAfter {
		j.Status = StatusInterrupted
		j.Error = &JobError{Code: "interrupted", Message: "the server running the import stopped; import the same file again to finish it"}
	}
	return j, nil
}

// rejectsPage is how many report entries one store round trip reads.
const rejectsPage = 1000

// Rejects streams the report of a job's rejected rows to emit, in row order.
func (s *Service) Rejects(ctx context.Context, a form.Actor, formKey, id string, emit func(Reject) error) error {
	if _, err := s.Job(ctx, a, formKey, id); err != nil {
		return err
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return err
	}
	q := store.Query{Filter: &store.Filter{Field: store.FieldID, Op: store.OpPrefix, Value: id + "/"},
		Sort: []store.Sort{{Field: store.FieldID}}, Limit: rejectsPage}
	for {
		page, err := sc.Collection(RejectsCollection).Find(ctx, q)
		if err != nil {
			return fmt.Errorf("rejects of import %s: %w", id, err)
		}
		for _, d := range page.Docs {
			if err := emit(rejectOf(d.Data)); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		q.Cursor = page.Next
	}
}

// saved is an upload on disk.
type saved struct {
	path   string
	sha256 string
	size   int64
	head   []byte
}

// save writes the upload to the service's folder, hashing it on the way.
func (s *Service) save(tenant, id string, body io.Reader) (*saved, error) {
	if err := os.MkdirAll(s.opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("save upload: %w", err)
	}
	path := filepath.Join(s.opts.Dir, tenant+"-"+id+".upload")
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("save upload: %w", err)
	}
	h := sha256.New()
	head := &headBuffer{max: sniffLen}
	n, err := io.Copy(io.MultiWriter(out, h, head), io.LimitReader(body, s.opts.MaxFileBytes+1))
	err = errors.Join(err, out.Close())
	switch {
	case err != nil:
		_ = os.Remove(path)
		return nil, fmt.Errorf("save upload: %w", err)
	case n > s.opts.MaxFileBytes:
		_ = os.Remove(path)
		return nil, ErrFileTooLarge
	}
	return &saved{path: path, sha256: hex.EncodeToString(h.Sum(nil)), size: n, head: head.b}, nil
}

// headBuffer keeps the first bytes written to it.
type headBuffer struct {
	b   []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// open opens a saved upload of format.
func (s *Service) open(path, format, sheet string) (source, string, error) {
	if format == FormatXLSX {
		return openXLSX(path, sheet, xlsxLimits{unzipped: s.opts.MaxUnzippedBytes, part: s.opts.MaxPartBytes, tmpDir: s.opts.Dir})
	}
	if sheet != "" {
		return nil, "", &SpecError{Problems: []form.Problem{{Path: "/sheet", Code: "not_a_workbook",
			Message: "a CSV file has no sheets; leave sheet out"}}}
	}
	src, err := openCSV(path)
	return src, "", err
}

// headerOf reads up to the header row and returns a copy of its cells.
func headerOf(src source, headerRow int) ([]string, error) {
	if headerRow <= 0 {
		headerRow = 1
	}
	seen := false
	for src.Next() {
		seen = true
		row, cells := src.Row()
		if row < headerRow {
			continue
		}
		if row > headerRow || isEmpty(cells) {
			break
		}
		return append([]string(nil), cells...), nil
	}
	if err := src.Err(); err != nil {
		return nil, err
	}
	if !seen {
		return nil, ErrEmptyFile
	}
	return nil, &SpecError{Problems: []form.Problem{{Path: "/header_row", Code: "no_header",
		Message: fmt.Sprintf("row %d of the file is empty; it must hold the column headers", headerRow)}}}
}

// cleanName keeps a file name short and printable for the job and the audit log.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if !utf8.ValidString(name) || name == "." || name == "/" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = name[:200]
		for !utf8.ValidString(name) {
			name = name[:len(name)-1]
		}
	}
	return name
}
