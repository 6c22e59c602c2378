package builder

import (
	"encoding/json"
	"regexp"
	"time"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// KindForm is the definition kind of forms.
const KindForm = form.KindForm

// Limits on what the builder accepts.
const (
	// MaxBodySize is the largest definition body, in bytes.
	MaxBodySize = form.MaxDefinitionSize
	// MaxNoteLength is the longest publish note, in bytes.
	MaxNoteLength = 2000
)

// DraftsCollection holds the drafts of a tenant, one per (kind, key).
const DraftsCollection = "definition_drafts"

var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Draft is the working copy of a definition.
type Draft struct {
	Kind string          `json:"kind"`
	Key  string          `json:"key"`
	Body json.RawMessage `json:"body"`
	// Hash is the hex SHA-256 of Body.
	Hash string `json:"hash"`
	// Problems lists what stops the draft from publishing; empty when it would publish.
	Problems []form.Problem `json:"problems"`
	Valid    bool           `json:"valid"`
	SavedAt  time.Time      `json:"saved_at"`
	SavedBy  string         `json:"saved_by"`
	// BaseVersion is the published version current when the draft was saved (0: none).
	BaseVersion int `json:"base_version"`
}

// Version is one published version of a definition.
type Version struct {
	Kind        string    `json:"kind"`
	Key         string    `json:"key"`
	Number      int       `json:"version"`
	Note        string    `json:"note"`
	Author      string    `json:"author"`
	PublishedAt time.Time `json:"published_at"`
	Hash        string    `json:"hash"`
	// RollbackOf is the version whose body this one republished (0: none).
	RollbackOf int `json:"rollback_of,omitempty"`
	// Body is the definition; Versions leaves it out, Version fills it.
	Body json.RawMessage `json:"body,omitempty"`
}

// DraftStatus says how a definition's draft relates to its latest version.
type DraftStatus string

// The draft statuses.
const (
	DraftNone      DraftStatus = "none"      // no draft saved
	DraftUnchanged DraftStatus = "unchanged" // the draft is the latest version's body
	DraftChanged   DraftStatus = "changed"   // the draft differs (or nothing is published yet)
)

// Status says where a definition stands: only drafted, published, or published with a
// draft that differs.
type Status string

// The statuses of a definition in a List.
const (
	StatusDraft      Status = "draft"       // never published
	StatusPublished  Status = "published"   // published; no draft, or the draft is the latest version
	StatusDraftAhead Status = "draft_ahead" // published, and the draft differs from the latest version
)

// Summary is one definition in a List.
type Summary struct {
	Kind string `json:"kind"`
	Key  string `json:"key"`
	// Title names the definition per locale, from its draft or else its latest version:
	// a form's title, a flow's or dashboard's name, a rule set's form's title.
	Title form.Localized `json:"title,omitempty"`
	// Form is the form a flow or rule set runs on.
	Form   string `json:"form,omitempty"`
	Status Status `json:"status"`
	// UpdatedAt is when the definition last changed: its draft saved or a version published.
	UpdatedAt time.Time `json:"updated_at"`
	// Latest is the current published version (0: never published).
	Latest      int         `json:"latest"`
	PublishedAt time.Time   `json:"published_at,omitzero"`
	PublishedBy string      `json:"published_by,omitempty"`
	Draft       DraftStatus `json:"draft"`
	DraftValid  bool        `json:"draft_valid"`
	DraftSaved  time.Time   `json:"draft_saved_at,omitzero"`
}

// Service is the builder. It is safe for concurrent use.
type Service struct {
	b     store.Backend
	forms *form.Service
	log   *audit.Log
	now   func() time.Time
	kinds map[string]Compiler
}

// New returns a builder over b that installs published forms into forms and audits
// publishes to log. All three are required. It handles forms; Register adds the other
// kinds.
func New(b store.Backend, forms *form.Service, log *audit.Log) *Service {
	if b == nil || forms == nil || log == nil {
		panic("builder.New: backend, form service and audit log are required")
	}
	s := &Service{b: b, forms: forms, log: log, now: time.Now, kinds: map[string]Compiler{}}
	s.Register(KindForm, formKind{forms: forms})
	return s
}

func definitionObject(kind, key string) string { return "definition:" + kind + "/" + key }

func draftID(kind, key string) string { return kind + ":" + key }
