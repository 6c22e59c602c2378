// Package catalog keeps compiled, published definitions (rule sets, flows, dashboards)
// ready for the runtimes: each (tenant, kind, key, version) is compiled once, the current
// version of a key is re-read from the store after a short TTL (so a publish on another
// node is seen within it), and a compiled definition is recompiled when what it was
// compiled against (the form it reads) has moved on.
package catalog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Loader reads published definitions; form.Published over a store implements it.
type Loader interface {
	// Head returns the current version of (kind, key) in tenant; 0 when none is published.
	Head(ctx context.Context, tenant, kind, key string) (int, error)
	// Body returns the body of a published version.
	Body(ctx context.Context, tenant, kind, key string, version int) ([]byte, error)
}

// Options say how to compile one kind.
type Options[T any] struct {
	// Kind is the definition kind ("rule", "flow", "dashboard").
	Kind string
	// Compile compiles a published body.
	Compile func(ctx context.Context, tenant, key string, version int, body []byte) (T, error)
	// Current reports whether a compiled definition still fits what it was compiled
	// against (the form's current version); nil means always.
	Current func(ctx context.Context, tenant string, v T) (bool, error)
	// HeadTTL is how long a head is trusted before it is read again (default 2 s).
	HeadTTL time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// ErrNotPublished means the definition has no published version (or not that one).
var ErrNotPublished = errors.New("catalog: definition not published")

// Catalog holds the compiled definitions of one kind. Safe for concurrent use.
type Catalog[T any] struct {
	load Loader
	o    Options[T]

	mu       sync.RWMutex
	heads    map[key]head
	compiled map[versionKey]T
}

type key struct{ tenant, key string }

type head struct {
	version int // 0: none published
	checked time.Time
}

type versionKey struct {
	key
	version int
}

// New returns an empty catalog reading through load.
func New[T any](load Loader, o Options[T]) *Catalog[T] {
	if o.HeadTTL <= 0 {
		o.HeadTTL = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Catalog[T]{load: load, o: o, heads: map[key]head{}, compiled: map[versionKey]T{}}
}

// Latest returns the current published version of key in tenant and its number, or
// ErrNotPublished.
func (c *Catalog[T]) Latest(ctx context.Context, tenant, k string) (T, int, error) {
	var zero T
	id := key{tenant, k}
	c.mu.RLock()
	h, ok := c.heads[id]
	c.mu.RUnlock()
	if !ok || c.o.Now().Sub(h.checked) >= c.o.HeadTTL {
		n, err := c.load.Head(ctx, tenant, c.o.Kind, k)
		if err != nil {
			return zero, 0, fmt.Errorf("%s %s: %w", c.o.Kind, k, err)
		}
		h = head{version: n, checked: c.o.Now()}
		c.mu.Lock()
		c.heads[id] = h
		c.mu.Unlock()
	}
	if h.version == 0 {
		return zero, 0, fmt.Errorf("%s %s: %w", c.o.Kind, k, ErrNotPublished)
	}
	v, err := c.Version(ctx, tenant, k, h.version)
	return v, h.version, err
}

// Version returns version n of key in tenant, compiling it on first use (or again when
// what it was compiled against has changed).
func (c *Catalog[T]) Version(ctx context.Context, tenant, k string, n int) (T, error) {
	var zero T
	id := versionKey{key{tenant, k}, n}
	c.mu.RLock()
	v, ok := c.compiled[id]
	c.mu.RUnlock()
	if ok {
		current, err := c.current(ctx, tenant, v)
		if err != nil {
			return zero, err
		}
		if current {
			return v, nil
		}
	}
	body, err := c.load.Body(ctx, tenant, c.o.Kind, k, n)
	if errors.Is(err, store.ErrNotFound) {
		return zero, fmt.Errorf("%s %s v%d: %w", c.o.Kind, k, n, ErrNotPublished)
	}
	if err != nil {
		return zero, fmt.Errorf("%s %s v%d: %w", c.o.Kind, k, n, err)
	}
	if v, err = c.o.Compile(ctx, tenant, k, n, body); err != nil {
		// A published version compiled when it was published; failing now means the
		// form it reads was republished without a field it uses. Operators must hear.
		return zero, fmt.Errorf("%s %s v%d no longer compiles: %w", c.o.Kind, k, n, err)
	}
	c.mu.Lock()
	c.compiled[id] = v
	c.mu.Unlock()
	return v, nil
}

func (c *Catalog[T]) current(ctx context.Context, tenant string, v T) (bool, error) {
	if c.o.Current == nil {
		return true, nil
	}
	return c.o.Current(ctx, tenant, v)
}

// Install makes v, just published as version n of key, current on this node.
func (c *Catalog[T]) Install(tenant, k string, n int, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.heads[key{tenant, k}] = head{version: n, checked: c.o.Now()}
	c.compiled[versionKey{key{tenant, k}, n}] = v
}

// OnForm is the Current check of definitions compiled against one form (formOf says
// which): they stay current while that form's version does.
func OnForm[T any](forms *form.Service, formOf func(T) *form.Form) func(ctx context.Context, tenant string, v T) (bool, error) {
	return func(ctx context.Context, tenant string, v T) (bool, error) {
		f := formOf(v)
		cur, err := forms.Form(ctx, tenant, f.Key())
		if err != nil {
			return false, err
		}
		return cur.Version() == f.Version(), nil
	}
}
