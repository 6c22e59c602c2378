package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Sentinel errors every backend returns (wrapped) so callers can test them with errors.Is.
var (
	// ErrNotFound means no document has the given id in the tenant and collection.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict means the document's version is not the one the caller expected.
	ErrConflict = errors.New("store: version conflict")
	// ErrDuplicate means a document with the same id (or unique index key) already exists.
	ErrDuplicate = errors.New("store: duplicate id")
	// ErrInvalid means the caller passed a malformed filter, sort, cursor, collection or field name.
	ErrInvalid = errors.New("store: invalid query")
	// ErrUnsupported means the engine cannot run a request and no fallback exists.
	ErrUnsupported = errors.New("store: unsupported by engine")
)

// PlatformTenant is the reserved scope that holds platform-wide data (the tenant list,
// platform administrators). Tenant slugs are validated so none can take this name.
const PlatformTenant = "_platform"

// Reserved field names for a document's metadata in filters, sorts and projections.
// Data keys never start with an underscore, so they cannot collide.
const (
	FieldID        = "_id"
	FieldVersion   = "_version"
	FieldCreatedAt = "_created_at"
	FieldUpdatedAt = "_updated_at"
)

// Doc is one stored document. Data is a JSON object decoded with json.Number for numbers
// by the backends, so integers survive the round trip exactly.
type Doc struct {
	// ID is unique within (tenant, collection). Insert assigns a new one when empty.
	ID string
	// Version starts at 1 and grows by one on every update (optimistic concurrency).
	Version int64
	// CreatedAt and UpdatedAt are set by the store (UTC, millisecond precision).
	CreatedAt time.Time
	UpdatedAt time.Time
	// Data is the document body.
	Data map[string]any
	// Body, when set, is Data encoded ahead of the write by the engine of the scope the
	// doc is inserted with (EncodeBody): Insert stores it instead of encoding Data, so it
	// must be the encoding of Data as it is now; a caller changing Data clears it. Insert
	// ignores a Body another engine made, and every other method ignores Body: Data stays
	// what the doc holds (what reads return, what an engine without BodyEncoder stores).
	Body Body
}

// Backend is a storage engine. It hands out tenant-bound scopes only: there is no handle
// that can read or write without a tenant.
type Backend interface {
	// Scope returns the handle for one tenant; tenant must be a valid slug or PlatformTenant.
	Scope(tenant string) (Scope, error)
	// Ping reports whether the engine answers (readiness).
	Ping(ctx context.Context) error
	// Close releases the engine.
	Close() error
}

// Scope is every operation of one tenant.
type Scope interface {
	// Tenant is the tenant this scope is bound to.
	Tenant() string
	// Collection returns the named collection of this tenant. Names match CollectionName.
	Collection(name string) Collection
	// WithTx runs fn in a transaction carried by the ctx it passes to fn: every operation
	// of this scope's collections called with that ctx commits or rolls back together.
	// Engines without multi-document transactions run fn without one (documented per engine).
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Collection is one tenant's documents of one kind.
type Collection interface {
	// Insert stores a new document; it assigns ID (when empty), Version=1 and timestamps
	// on doc. ErrDuplicate when the id exists.
	Insert(ctx context.Context, doc *Doc) error
	// InsertMany stores new documents as Insert does, each of them, in one round trip
	// per chunk rather than one per document (imports, bulk outbox events). It is all or
	// nothing where the engine has transactions: it runs in the caller's transaction, or
	// in one of its own, and on any error (ErrDuplicate for an id that exists or repeats
	// in docs) no document is stored and docs are left as they were. Engines without
	// transactions stop at the failing document; those before it stay stored.
	InsertMany(ctx context.Context, docs []*Doc) error
	// Get returns the document or ErrNotFound.
	Get(ctx context.Context, id string) (*Doc, error)
	// Update replaces Data when doc.Version is the stored version, then sets doc.Version to
	// the next version and doc.UpdatedAt. ErrConflict on a stale version, ErrNotFound if absent.
	Update(ctx context.Context, doc *Doc) error
	// Delete removes the document. version > 0 makes it conditional (ErrConflict when stale).
	Delete(ctx context.Context, id string, version int64) error
	// Find returns one page of documents matching q.
	Find(ctx context.Context, q Query) (*Page, error)
	// Count returns how many documents match f.
	Count(ctx context.Context, f *Filter) (int64, error)
	// Aggregate groups the matching documents and computes measures per group.
	Aggregate(ctx context.Context, a Aggregation) ([]Group, error)
	// Increment applies counter updates, each atomically: Add is added to the Data
	// fields of document ID, which must hold numbers or be missing (counting as 0), and
	// its Version advanced, or, when no document has that ID, one is created with Set and
	// Add as its Data. Concurrent increments of one document all count. Integral deltas
	// keep integral fields integers. Like InsertMany it joins the caller's transaction
	// or runs in one of its own, all or nothing where the engine has transactions.
	Increment(ctx context.Context, incs []Increment) error
	// EnsureIndex creates the index if it does not exist (idempotent).
	EnsureIndex(ctx context.Context, idx Index) error
}

// Increment is one counter update of Collection.Increment.
type Increment struct {
	// ID names the document; required.
	ID string
	// Set is written only when the document is created (its identifying values).
	Set map[string]any
	// Add maps top-level Data keys (letters, digits, underscores; none of Set's) to the
	// amounts added to them.
	Add map[string]float64
}

// CollectionIncrements is one collection's part of an IncrementAcross.
type CollectionIncrements struct {
	// Collection names a collection of the scope (CollectionName).
	Collection string
	// Increments are applied as Collection.Increment applies them.
	Increments []Increment
}

// MultiIncrementer is implemented by a Scope whose engine applies the increments of
// several collections in one call more cheaply than one Collection.Increment each
// (SQLite: a few statements for all of them rather than some per collection). Callers
// use the IncrementAcross function, which falls back when the engine lacks it.
//
// IncrementAcross applies each collection's increments as Collection.Increment does
// (validation, creation with Set, merged repeated ids, concurrent calls all counting),
// all of them together: it joins the caller's transaction or runs in one of its own,
// all or nothing where the engine has transactions. A collection may appear more than
// once: its parts are merged, so a repeated id still moves its document's version once.
// Invalid input (a collection name, an increment) is ErrInvalid and writes nothing.
type MultiIncrementer interface {
	IncrementAcross(ctx context.Context, batches []CollectionIncrements) error
}

// CommitIncrementer is implemented by a Scope whose engine can hold increments back to
// the commit of the caller's transaction and write them there, merged with every other
// increment held back in that transaction (SQLite: in the commit a group of concurrent
// transactions shares, so a group of record writes moves each rollup row once rather
// than once a write). Callers use the IncrementOnCommit function, which falls back to
// IncrementAcross when the engine lacks it.
//
// IncrementOnCommit checks the increments at once (invalid input is ErrInvalid and
// holds nothing back) and, with a transaction in ctx, applies them as IncrementAcross
// would just before that transaction commits: a failure then fails the commit, which
// WithTx returns, and a transaction that rolls back drops them. Reads inside the
// transaction do not see them. Without a transaction in ctx they are applied at once.
// The caller must not change the increments' maps after the call. Only for counters no
// unique index covers: a clash at the commit would fail every transaction sharing it.
type CommitIncrementer interface {
	IncrementOnCommit(ctx context.Context, batches []CollectionIncrements) error
}

// Op is a comparison operator of a filter leaf.
type Op string

// The operators of the query model.
const (
	OpEq       Op = "eq"
	OpNe       Op = "ne"
	OpGt       Op = "gt"
	OpGte      Op = "gte"
	OpLt       Op = "lt"
	OpLte      Op = "lte"
	OpIn       Op = "in"     // Value is []any
	OpNin      Op = "nin"    // Value is []any
	OpExists   Op = "exists" // Value is bool: present and not null (true), missing or null (false)
	OpContains Op = "contains"
	OpPrefix   Op = "prefix"
)

// Filter is a tree: exactly one of And, Or, Not, or a leaf (Field, Op, Value) is set.
// A nil *Filter matches everything. Field is a dotted path into Data ("applicant.name")
// or one of the reserved metadata fields (FieldID…).
type Filter struct {
	And   []*Filter `json:"and,omitempty"`
	Or    []*Filter `json:"or,omitempty"`
	Not   *Filter   `json:"not,omitempty"`
	Field string    `json:"field,omitempty"`
	Op    Op        `json:"op,omitempty"`
	Value any       `json:"value,omitempty"`
}

// Leaf helpers keep call sites short.
func Eq(field string, v any) *Filter  { return &Filter{Field: field, Op: OpEq, Value: v} }
func Ne(field string, v any) *Filter  { return &Filter{Field: field, Op: OpNe, Value: v} }
func Gt(field string, v any) *Filter  { return &Filter{Field: field, Op: OpGt, Value: v} }
func Gte(field string, v any) *Filter { return &Filter{Field: field, Op: OpGte, Value: v} }
func Lt(field string, v any) *Filter  { return &Filter{Field: field, Op: OpLt, Value: v} }
func Lte(field string, v any) *Filter { return &Filter{Field: field, Op: OpLte, Value: v} }
func In(field string, vs ...any) *Filter {
	return &Filter{Field: field, Op: OpIn, Value: vs}
}
func Exists(field string, present bool) *Filter {
	return &Filter{Field: field, Op: OpExists, Value: present}
}

// And and Or combine filters, dropping nil ones.
func And(fs ...*Filter) *Filter {
	return combine(fs, func(k []*Filter) *Filter { return &Filter{And: k} })
}
func Or(fs ...*Filter) *Filter {
	return combine(fs, func(k []*Filter) *Filter { return &Filter{Or: k} })
}

// Not negates f.
func Not(f *Filter) *Filter { return &Filter{Not: f} }

func combine(fs []*Filter, mk func([]*Filter) *Filter) *Filter {
	kept := make([]*Filter, 0, len(fs))
	for _, f := range fs {
		if f != nil {
			kept = append(kept, f)
		}
	}
	switch len(kept) {
	case 0:
		return nil
	case 1:
		return kept[0]
	}
	return mk(kept)
}

// Sort orders by one field; the id is always the final tie-breaker.
type Sort struct {
	Field string `json:"field"`
	Desc  bool   `json:"desc,omitempty"`
}

// Query selects one page of a collection.
type Query struct {
	Filter *Filter
	Sort   []Sort
	// Limit caps the page (default 50, at most MaxLimit).
	Limit int
	// Cursor continues after the last document of a previous page (Page.Next).
	Cursor string
	// Fields, when set, limits Data to these top-level keys (projection).
	Fields []string
}

// MaxLimit is the largest page a Find returns.
const MaxLimit = 1000

// Page is one page of results. Next is empty on the last page.
type Page struct {
	Docs []*Doc
	Next string
}

// Bucket names how a group key is derived from a field.
type Bucket string

// The bucket kinds of a group key.
const (
	BucketValue Bucket = ""      // the value itself
	BucketDay   Bucket = "day"   // RFC 3339 date-time or date string → "2006-01-02"
	BucketMonth Bucket = "month" // → "2006-01"
	BucketRange Bucket = "range" // numeric ranges: Bounds [b0,b1,…] → index of the range
)

// GroupKey is one dimension of an aggregation.
type GroupKey struct {
	Field  string    `json:"field"`
	Bucket Bucket    `json:"bucket,omitempty"`
	Bounds []float64 `json:"bounds,omitempty"`
}

// MeasureOp is an aggregate function.
type MeasureOp string

// The aggregate functions.
const (
	MeasureCount MeasureOp = "count"
	MeasureSum   MeasureOp = "sum"
	MeasureAvg   MeasureOp = "avg"
	MeasureMin   MeasureOp = "min"
	MeasureMax   MeasureOp = "max"
)

// Measure is one computed value per group; Field is unused for count. Filter, when set,
// narrows the documents the measure reads within each group ("count where …", "sum of
// amount where …"), so one aggregation computes many filtered figures in one pass. It
// does not change which groups exist: a group whose documents all fail a measure's
// filter counts and sums 0 for it, and has no avg, min or max.
type Measure struct {
	Name   string    `json:"name"`
	Op     MeasureOp `json:"op"`
	Field  string    `json:"field,omitempty"`
	Filter *Filter   `json:"filter,omitempty"`
}

// Aggregation groups the documents matching Filter.
type Aggregation struct {
	Filter   *Filter
	GroupBy  []GroupKey
	Measures []Measure
}

// Group is one result row. Key holds one value per GroupKey: the value (string, float64,
// bool or nil), the day/month string, or for BucketRange the range index as int
// (0: below Bounds[0], i: [Bounds[i-1], Bounds[i]), len(Bounds): at or above the last).
// Values holds one number per measure; avg/min/max of no values are absent.
type Group struct {
	Key    []any
	Values map[string]float64
}

// Index is a secondary index over data fields of a collection.
type Index struct {
	// Name is unique per collection (letters, digits, underscore).
	Name   string
	Fields []string
	Unique bool
}

var (
	collectionRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}(:[a-z][a-z0-9_]{0,62})?$`)
	tenantRe     = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}[a-z0-9]$`)
	indexRe      = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
)

// CollectionName reports whether name is a valid collection name: "records" or
// "records:loan_application" (a kind, optionally with a sub-key).
func CollectionName(name string) bool { return collectionRe.MatchString(name) }

// ValidTenant reports whether slug may name a tenant (PlatformTenant is also accepted by backends).
func ValidTenant(slug string) bool { return tenantRe.MatchString(slug) }

// ValidIndexName reports whether name may name an index.
func ValidIndexName(name string) bool { return indexRe.MatchString(name) }

// ValidField reports whether f is a data path or a reserved metadata field.
func ValidField(f string) bool {
	switch f {
	case FieldID, FieldVersion, FieldCreatedAt, FieldUpdatedAt:
		return true
	}
	return validPath(f)
}

// validPath matches `^([a-z][a-zA-Z0-9_]{0,63})(\.[a-zA-Z0-9_]{1,64}){0,7}$` without the
// regexp engine: every query checks the fields it names, so this runs on every read.
func validPath(f string) bool {
	seg, n := 0, 0 // segments so far, bytes in the current one
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '.':
			if n == 0 || seg == 7 {
				return false
			}
			seg, n = seg+1, 0
			continue
		case c >= 'a' && c <= 'z', c == '_', c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
		default:
			return false
		}
		if seg == 0 && n == 0 && (c < 'a' || c > 'z') {
			return false // the first segment begins with a lowercase letter
		}
		if n++; n > 64 {
			return false
		}
	}
	return n > 0
}

// CheckScope validates a tenant name for Backend.Scope.
func CheckScope(tenant string) error {
	if tenant == PlatformTenant || ValidTenant(tenant) {
		return nil
	}
	return fmt.Errorf("scope %q: %w", tenant, ErrInvalid)
}

// DecodeData decodes a JSON object keeping numbers as json.Number.
func DecodeData(b []byte) (map[string]any, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}
