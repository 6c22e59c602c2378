package form

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/store"
)

// KindForm is the definition kind of forms in the definitions collections.
const KindForm = "form"

// Options tune the record service. The zero value is the documented default.
type Options struct {
	// HeadTTL is how long the service trusts its idea of a form's current version before
	// reading the head again, so a publish on another node is seen. 0 means 2 seconds;
	// a publish on this node is seen at once (Install).
	HeadTTL time.Duration
	// MaskCacheSize bounds the cached field masks. 0 means 10000.
	MaskCacheSize int
	// ScopeCacheSize bounds the cached compiled row scopes. 0 means 1000.
	ScopeCacheSize int
	// Now is the clock of the head cache and of decisions; nil means time.Now.
	Now func() time.Time
	// Decider makes the automated decisions forms name (scoring, fraud check); nil leaves
	// them pending until one is configured.
	Decider Decider
	// Observer is told of every record change inside its transaction (rollups of
	// dashboards); nil tells no one.
	Observer ChangeObserver
	// Attachments checks and keeps the files attachment fields refer to; nil takes
	// attachment values as plain text.
	Attachments Attachments
	// PassedOver answers, for record events about to be written (each with the record's
	// data in full), whether every handler would pass it over (events.Registry's
	// PassedOver); a create does not write those. nil writes every event.
	PassedOver func(ctx context.Context, sc store.Scope, evs []events.Event) []bool
	// Committed is called after each write transaction of the service ends well, its
	// record events with it (an event dispatcher in this process delivers them at once
	// rather than at its next poll); nil calls nothing. It must not block.
	Committed func()
}

// Service is the record service: compiled forms per tenant, field masks, row scopes,
// and record create/get/list/update/delete with audit. It is safe for concurrent use.
type Service struct {
	b     store.Backend
	authz Authorizer
	log   *audit.Log
	opts  Options

	mu       sync.RWMutex
	compiled map[formID]*Form
	heads    map[headKey]headEntry

	masks  *maskCache
	scopes *scopeCache
}

type formID struct {
	tenant, key string
	version     int
}

type headKey struct{ tenant, key string }

type headEntry struct {
	version int
	checked time.Time
}

// NewService returns a record service over b. authz and log are required.
func NewService(b store.Backend, authz Authorizer, log *audit.Log, opts Options) *Service {
	if b == nil || authz == nil || log == nil {
		panic("form.NewService: backend, authorizer and audit log are required")
	}
	if opts.HeadTTL <= 0 {
		opts.HeadTTL = 2 * time.Second
	}
	if opts.MaskCacheSize <= 0 {
		opts.MaskCacheSize = 10000
	}
	if opts.ScopeCacheSize <= 0 {
		opts.ScopeCacheSize = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Service{b: b, authz: authz, log: log, opts: opts,
		compiled: map[formID]*Form{}, heads: map[headKey]headEntry{},
		masks: newMaskCache(opts.MaskCacheSize), scopes: newScopeCache(opts.ScopeCacheSize)}
}

// Install makes f (stamped with its published version, see Form.AtVersion) the current
// form of its key in tenant. Builder calls it after a publish commits: the new form is
// complete before the pointer moves, and requests already holding the old one finish
// with it.
func (s *Service) Install(tenant string, f *Form) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compiled[formID{tenant, f.key, f.version}] = f
	s.heads[headKey{tenant, f.key}] = headEntry{version: f.version, checked: s.opts.Now()}
	s.dropOlder(tenant, f.key, f.version)
}

// dropOlder releases the compiled versions of key older than current; requests holding
// one finish with it, and FormVersion recompiles one on demand. Call with s.mu held.
func (s *Service) dropOlder(tenant, key string, current int) {
	for id := range s.compiled {
		if id.tenant == tenant && id.key == key && id.version < current {
			delete(s.compiled, id)
		}
	}
}

// Invalidate forgets which version of key is current in tenant; the next request reads
// the head from the store.
func (s *Service) Invalidate(tenant, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.heads, headKey{tenant, key})
}

// Form returns the current published form of key in tenant, or ErrFormNotFound.
func (s *Service) Form(ctx context.Context, tenant, key string) (*Form, error) {
	s.mu.RLock()
	h, ok := s.heads[headKey{tenant, key}]
	var f *Form
	if ok {
		f = s.compiled[formID{tenant, key, h.version}]
	}
	s.mu.RUnlock()
	if f != nil && s.opts.Now().Sub(h.checked) < s.opts.HeadTTL {
		return f, nil
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("load form %s: %w", key, err)
	}
	head, err := LoadHead(ctx, sc, KindForm, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load form %s: %w", key, ErrFormNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load form %s: %w", key, err)
	}
	f, err = s.FormVersion(ctx, tenant, key, head.Version)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if prev, had := s.heads[headKey{tenant, key}]; !had || prev.version < head.Version {
		s.dropOlder(tenant, key, head.Version)
	}
	s.heads[headKey{tenant, key}] = headEntry{version: head.Version, checked: s.opts.Now()}
	s.mu.Unlock()
	return f, nil
}

// FormVersion returns published version n of key in tenant, or ErrFormNotFound.
func (s *Service) FormVersion(ctx context.Context, tenant, key string, n int) (*Form, error) {
	id := formID{tenant, key, n}
	s.mu.RLock()
	f := s.compiled[id]
	s.mu.RUnlock()
	if f != nil {
		return f, nil
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("load form %s v%d: %w", key, n, err)
	}
	v, err := LoadVersion(ctx, sc, KindForm, key, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load form %s v%d: %w", key, n, ErrFormNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load form %s v%d: %w", key, n, err)
	}
	compiled, err := Compile(v.Body)
	if err != nil {
		// A stored version compiled when it was published; failing now means the
		// compiler changed under it, which operators must hear about.
		return nil, fmt.Errorf("load form %s v%d: published body no longer compiles: %w", key, n, err)
	}
	f = compiled.AtVersion(n)
	s.mu.Lock()
	s.compiled[id] = f
	s.mu.Unlock()
	return f, nil
}

// mask returns the actor's field mask on f, resolving it at most once per policy version.
func (s *Service) mask(ctx context.Context, a Actor, f *Form) (*FieldMask, error) {
	k := maskKey{tenant: a.Tenant, user: a.UserID, form: f.key, version: f.version}
	if m := s.masks.get(k, s.authz.PolicyVersion(a.Tenant)); m != nil {
		return m, nil
	}
	m, err := resolveMask(ctx, s.authz, a.Tenant, a.UserID, f)
	if err != nil {
		return nil, err
	}
	s.masks.put(k, m)
	return m, nil
}

// Mask returns what the actor may see and write of form's current version, for callers
// that show records outside this service (exports, reports' drill-down, task views).
func (s *Service) Mask(ctx context.Context, a Actor, form string) (*FieldMask, error) {
	f, err := s.Form(ctx, a.Tenant, form)
	if err != nil {
		return nil, err
	}
	return s.mask(ctx, a, f)
}

// Access reports what the actor may see and do on form, field by field, with what an
// entry form needs and the actor may know of the published definition (schema, layout,
// hints, sub-table columns), so a person who may not read definitions can fill it in.
func (s *Service) Access(ctx context.Context, a Actor, form string) (*Access, error) {
	f, err := s.Form(ctx, a.Tenant, form)
	if err != nil {
		return nil, err
	}
	m, err := s.mask(ctx, a, f)
	if err != nil {
		return nil, fmt.Errorf("access to %s: %w", form, err)
	}
	acc := m.access()
	acc.Title = f.def.Title
	ev, err := m.entryView(f)
	if err != nil {
		return nil, fmt.Errorf("access to %s: %w", form, err)
	}
	acc.Schema, acc.Layout = ev.schema, ev.layout
	for i := range acc.Fields {
		acc.Fields[i].Columns = ev.columns[acc.Fields[i].Name]
	}
	sf, err := s.scopeFilter(ctx, a, f)
	if err != nil {
		return nil, fmt.Errorf("access to %s: %w", form, err)
	}
	acc.RowScoped = !(sf.known && sf.val)
	return acc, nil
}

// scopeFilter is the actor's row restriction on f.
func (s *Service) scopeFilter(ctx context.Context, a Actor, f *Form) (folded, error) {
	exprs, err := s.authz.RowScopes(ctx, a.Tenant, a.UserID, f.key)
	if err != nil {
		return folded{}, fmt.Errorf("row scopes of %s: %w", f.key, err)
	}
	if exprs == nil {
		return matchAll, nil
	}
	scopes := make([]*rowScope, 0, len(exprs))
	for _, e := range exprs {
		rs, err := s.scopes.get(f, e)
		if err != nil {
			// A scope that stopped compiling (the form changed under the role) grants
			// nothing rather than everything.
			continue
		}
		scopes = append(scopes, rs)
	}
	if len(scopes) == 0 {
		return matchNone, nil
	}
	return scopeFilter(scopes, userValue(a)), nil
}

// errOutsideScope refuses a write that would put a record outside the rows the actor
// may see (a channel manager writing another channel's application).
var errOutsideScope = &ValidationError{Problems: []Problem{{Code: "row_scope",
	Message: "the record would fall outside the records you may see (your role's row scope)"}}}

// checkScope refuses record when the actor's row scopes do not admit it.
func (s *Service) checkScope(ctx context.Context, a Actor, f *Form, record map[string]any) error {
	exprs, err := s.authz.RowScopes(ctx, a.Tenant, a.UserID, f.key)
	if err != nil {
		return fmt.Errorf("row scopes of %s: %w", f.key, err)
	}
	return s.inScope(f, exprs, a, record)
}

// scopeCache keeps compiled row scopes per (form, version, expression).
type scopeCache struct {
	mu  sync.Mutex
	m   map[scopeKey]scopeEntry
	max int
}

type scopeKey struct {
	form *Form
	expr string
}

type scopeEntry struct {
	scope *rowScope
	err   error
}

func newScopeCache(max int) *scopeCache {
	return &scopeCache{m: map[scopeKey]scopeEntry{}, max: max}
}

func (c *scopeCache) get(f *Form, expr string) (*rowScope, error) {
	k := scopeKey{form: f, expr: expr}
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return e.scope, e.err
	}
	rs, err := compileRowScope(f, expr)
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = make(map[scopeKey]scopeEntry, c.max)
	}
	c.m[k] = scopeEntry{scope: rs, err: err}
	c.mu.Unlock()
	return rs, err
}
