package rule

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// KindRule is the definition kind of rule sets. A form's rule set is published under the
// form's own key, so each form has at most one.
const KindRule = schemas.KindRule

// Catalog serves the published rule set of each (tenant, form), compiled against the
// form's current version and recompiled when either is republished. Heads are re-read
// after HeadTTL, so a publish on another node is seen within it. Safe for concurrent use.
type Catalog struct {
	forms *form.Service
	store Loader
	opts  Opts
	ttl   time.Duration
	now   func() time.Time

	mu    sync.RWMutex
	heads map[catalogKey]catalogHead
	sets  map[setID]*Set
}

// Loader reads published definitions; form.Published over a store implements it.
type Loader interface {
	// Head returns the current version number of (kind, key) in tenant; 0 when none is
	// published.
	Head(ctx context.Context, tenant, kind, key string) (int, error)
	// Body returns the body of a published version.
	Body(ctx context.Context, tenant, kind, key string, version int) ([]byte, error)
}

type catalogKey struct{ tenant, form string }

type catalogHead struct {
	version int // 0: no rule set
	checked time.Time
}

type setID struct {
	tenant, form     string
	rules, formBuilt int
}

// CatalogOptions configure a Catalog; the zero value is the default.
type CatalogOptions struct {
	// Opts apply to every compiled set.
	Opts Opts
	// HeadTTL is how long a head is trusted before it is read again (default 2 s).
	HeadTTL time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// NewCatalog returns a catalog reading definitions through store and forms through forms.
func NewCatalog(forms *form.Service, store Loader, o CatalogOptions) *Catalog {
	if o.HeadTTL <= 0 {
		o.HeadTTL = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Catalog{forms: forms, store: store, opts: o.Opts, ttl: o.HeadTTL, now: o.Now,
		heads: map[catalogKey]catalogHead{}, sets: map[setID]*Set{}}
}

// Set returns the rule set of formKey in tenant and its published version, or nil and 0
// when the form has none.
func (c *Catalog) Set(ctx context.Context, tenant, formKey string) (*Set, int, error) {
	k := catalogKey{tenant, formKey}
	c.mu.RLock()
	h, ok := c.heads[k]
	c.mu.RUnlock()
	if !ok || c.now().Sub(h.checked) >= c.ttl {
		n, err := c.store.Head(ctx, tenant, KindRule, formKey)
		if err != nil {
			return nil, 0, fmt.Errorf("rule set of %s: %w", formKey, err)
		}
		h = catalogHead{version: n, checked: c.now()}
		c.mu.Lock()
		c.heads[k] = h
		c.mu.Unlock()
	}
	if h.version == 0 {
		return nil, 0, nil
	}
	f, err := c.forms.Form(ctx, tenant, formKey)
	if err != nil {
		return nil, 0, fmt.Errorf("rule set of %s: %w", formKey, err)
	}
	id := setID{tenant: tenant, form: formKey, rules: h.version, formBuilt: f.Version()}
	c.mu.RLock()
	s := c.sets[id]
	c.mu.RUnlock()
	if s != nil {
		return s, h.version, nil
	}
	body, err := c.store.Body(ctx, tenant, KindRule, formKey, h.version)
	if err != nil {
		return nil, 0, fmt.Errorf("rule set of %s v%d: %w", formKey, h.version, err)
	}
	if s, err = Compile(f, body, c.opts); err != nil {
		// Published sets compiled when they were published; a form republished since
		// may have dropped a field a rule reads. Operators must hear about it.
		return nil, 0, fmt.Errorf("rule set of %s v%d no longer compiles against form v%d: %w", formKey, h.version, f.Version(), err)
	}
	c.install(id, s)
	return s, h.version, nil
}

// Compile compiles a rule set body saved as key against the current version of the form
// it names, which must be key.
func (c *Catalog) Compile(ctx context.Context, tenant, key string, body []byte) (*Set, error) {
	f, err := c.forms.Form(ctx, tenant, key)
	if errors.Is(err, form.ErrFormNotFound) {
		return nil, &RuleError{Problems: []form.Problem{{Path: "/form", Code: "unknown_form",
			Message: fmt.Sprintf("a rule set is saved under its form's key, and no form %q is published", key)}}}
	}
	if err != nil {
		return nil, err
	}
	return Compile(f, body, c.opts)
}

// Install makes s, published as version, the current set of its form in tenant.
func (c *Catalog) Install(tenant string, version int, s *Set) {
	k := catalogKey{tenant, s.Form()}
	c.mu.Lock()
	c.heads[k] = catalogHead{version: version, checked: c.now()}
	c.mu.Unlock()
	c.install(setID{tenant: tenant, form: s.Form(), rules: version, formBuilt: s.form.Version()}, s)
}

// install caches s and drops the older sets of its form.
func (c *Catalog) install(id setID, s *Set) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for old := range c.sets {
		if old.tenant == id.tenant && old.form == id.form && old != id {
			delete(c.sets, old)
		}
	}
	c.sets[id] = s
}
