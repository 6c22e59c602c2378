package files

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Errors of the file service; the server maps them to HTTP.
var (
	// ErrTooLarge means the upload is larger than Options.MaxSize.
	ErrTooLarge = errors.New("files: file too large")
	// ErrEmpty means the upload has no content.
	ErrEmpty = errors.New("files: empty file")
	// ErrNotAttachmentField means the field is not an attachment field of the form, or
	// one the caller may not know of.
	ErrNotAttachmentField = errors.New("files: not an attachment field of the form")
	// ErrNotFound means no file with that id is held by the record, in a field the
	// caller may see.
	ErrNotFound = fmt.Errorf("files: file not found: %w", store.ErrNotFound)
	// ErrMasked means the caller reads the file's field masked: its files are refused.
	ErrMasked = errors.New("files: the field is shown to you masked")
)

// TypeError refuses content whose sniffed type is not accepted.
type TypeError struct {
	// Detected is what the content was sniffed to be ("application/octet-stream").
	Detected string
	// Allowed lists the accepted types.
	Allowed []string
}

// Error names the detected type.
func (e *TypeError) Error() string {
	return fmt.Sprintf("files: content of type %s is not accepted (accepted: %s)", e.Detected, strings.Join(e.Allowed, ", "))
}

// DefaultTypes are the content types accepted when Options.Types is nil: scans and
// photos, PDF documents and plain text.
var DefaultTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf", "text/plain"}

// Defaults of Options.
const (
	DefaultMaxSize   = 10 << 20
	DefaultOrphanAge = 24 * time.Hour
	// MaxNameLength bounds a file's name in bytes.
	MaxNameLength = 255
)

// Options tune the file service. The zero value of each field is its documented default.
type Options struct {
	// MaxSize is the largest file in bytes (default 10 MiB).
	MaxSize int64
	// Types lists the accepted media types, as sniffed from the content, without
	// parameters ("application/pdf", "text/plain"); nil means DefaultTypes.
	Types []string
	// OrphanAge is how long an unattached file is kept before PurgeOrphans deletes it
	// (default 24 h).
	OrphanAge time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.Types == nil {
		o.Types = DefaultTypes
	}
	if o.OrphanAge <= 0 {
		o.OrphanAge = DefaultOrphanAge
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Service uploads, serves and purges files under the record service's permissions.
// It is safe for concurrent use.
type Service struct {
	b     store.Backend
	forms *form.Service
	log   *audit.Log
	opts  Options

	// indexed notes the tenants whose orphan index exists.
	indexed sync.Map
}

// NewService returns the file service over b; forms and log are required.
func NewService(b store.Backend, forms *form.Service, log *audit.Log, opts Options) *Service {
	if b == nil || forms == nil || log == nil {
		panic("files.NewService: backend, record service and audit log are required")
	}
	return &Service{b: b, forms: forms, log: log, opts: opts.withDefaults()}
}

// MaxSize is the largest file the service accepts, in bytes.
func (s *Service) MaxSize() int64 { return s.opts.MaxSize }

// accepts reports whether a sniffed content type is among the accepted ones.
func (s *Service) accepts(contentType string) bool {
	media, _, _ := strings.Cut(contentType, ";")
	return slices.Contains(s.opts.Types, strings.TrimSpace(media))
}

func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Millisecond) }

// fileObject is the audit object of an unattached file; recordFileObject of a file
// read through its record.
func fileObject(formKey, id string) string { return form.FormObject(formKey) + "/file:" + id }

func recordFileObject(formKey, record, id string) string {
	return form.RecordObject(formKey, record) + "/file:" + id
}
