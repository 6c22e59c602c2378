package host

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/credolabs/credo/store"
)

// BindingsCollection holds a tenant's bindings, one document per kind.
const BindingsCollection = "plugin_bindings"

// Binding is a tenant's choice of plugin version and configuration for one kind.
type Binding struct {
	Kind      string          `json:"kind"`
	Plugin    string          `json:"plugin"`
	Version   string          `json:"version"`
	Config    json.RawMessage `json:"config"`
	UpdatedAt time.Time       `json:"updated_at"`
	UpdatedBy string          `json:"updated_by"`
	// Revision grows with every change (optimistic concurrency).
	Revision int64 `json:"revision"`
}

// Ref is the bound plugin version, "name@version".
func (b *Binding) Ref() string { return b.Plugin + "@" + b.Version }

// ValidKind reports whether kind is one the host runs.
func ValidKind(kind string) bool { return kind == KindScorer || kind == KindFraudDetector }

// Binding returns the tenant's binding for kind, or ErrNotBound.
func (h *Host) Binding(ctx context.Context, tenant, kind string) (*Binding, error) {
	if !ValidKind(kind) {
		return nil, fmt.Errorf("%q: %w", kind, ErrUnknownKind)
	}
	b, err := h.bindings.get(ctx, tenant, kind)
	if err != nil {
		return nil, err
	}
	cp := *b
	return &cp, nil
}

// InTx runs inside the transaction that changes a binding, with the binding before (nil
// when there was none) and after (nil when removed): the caller's audit entry commits or
// rolls back with the change.
type InTx func(ctx context.Context, sc store.Scope, before, after *Binding) error

// Bind points the tenant's kind at plugin@version with config. The new version is started
// and health-checked and the configuration validated against the schema the running plugin
// describes before anything changes; then the binding is stored (with inTx, if not nil, in
// the same transaction) and switched, and the previous version, if no binding uses it any
// more, is drained and stopped. A positive revision makes the change conditional on the
// stored revision (ErrConflict when stale).
func (h *Host) Bind(ctx context.Context, tenant, kind, plugin, version string, config json.RawMessage, by string, revision int64, inTx InTx) (*Binding, error) {
	if !ValidKind(kind) {
		return nil, fmt.Errorf("%q: %w", kind, ErrUnknownKind)
	}
	m, err := h.manifest(plugin, version, kind)
	if errors.Is(err, ErrUnknownPlugin) {
		// A version installed since the last scan becomes bindable without a restart.
		h.Rescan()
		m, err = h.manifest(plugin, version, kind)
	}
	if err != nil {
		return nil, err
	}
	p, err := h.process(m)
	if err != nil {
		return nil, err
	}
	inst, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	schema := inst.desc.ConfigSchema
	p.calls.Done()
	if config, err = validateConfig(m, schema, config); err != nil {
		return nil, err
	}
	sc, err := h.backend.Scope(tenant)
	if err != nil {
		return nil, err
	}
	coll := sc.Collection(BindingsCollection)
	nb := &Binding{Kind: kind, Plugin: plugin, Version: version, Config: config, UpdatedAt: time.Now().UTC(), UpdatedBy: by}
	data := map[string]any{"plugin": plugin, "version": version, "config": string(config), "updated_by": by}
	var old *Binding
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		old = nil
		doc, err := coll.Get(ctx, kind)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if revision > 0 {
				return fmt.Errorf("bind %s: revision %d: %w", kind, revision, store.ErrConflict)
			}
			doc = &store.Doc{ID: kind, Data: data}
			err = coll.Insert(ctx, doc)
		case err != nil:
			return err
		default:
			old = bindingOf(doc)
			if revision > 0 && revision != doc.Version {
				return fmt.Errorf("bind %s: revision %d, stored %d: %w", kind, revision, doc.Version, store.ErrConflict)
			}
			doc.Data = data
			err = coll.Update(ctx, doc)
		}
		if err != nil {
			return fmt.Errorf("bind %s: %w", kind, err)
		}
		nb.Revision, nb.UpdatedAt = doc.Version, doc.UpdatedAt
		if inTx != nil {
			return inTx(ctx, sc, old, nb)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	h.bindings.put(tenant, nb)
	if old != nil && old.Ref() != nb.Ref() {
		h.retire(old.Ref())
	}
	cp := *nb
	return &cp, nil
}

// Unbind removes the tenant's binding for kind; decisions of that kind then stay pending
// until a plugin is bound again. A positive revision makes it conditional (ErrConflict when
// stale); inTx, if not nil, runs in the same transaction. ErrNotBound when there is none.
func (h *Host) Unbind(ctx context.Context, tenant, kind string, revision int64, inTx InTx) error {
	if !ValidKind(kind) {
		return fmt.Errorf("%q: %w", kind, ErrUnknownKind)
	}
	sc, err := h.backend.Scope(tenant)
	if err != nil {
		return err
	}
	coll := sc.Collection(BindingsCollection)
	var old *Binding
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		doc, err := coll.Get(ctx, kind)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s has no %s: %w", tenant, kind, ErrNotBound)
		}
		if err != nil {
			return err
		}
		if revision > 0 && revision != doc.Version {
			return fmt.Errorf("unbind %s: revision %d, stored %d: %w", kind, revision, doc.Version, store.ErrConflict)
		}
		old = bindingOf(doc)
		if err := coll.Delete(ctx, kind, doc.Version); err != nil {
			return fmt.Errorf("unbind %s: %w", kind, err)
		}
		if inTx != nil {
			return inTx(ctx, sc, old, nil)
		}
		return nil
	})
	if err != nil {
		return err
	}
	h.bindings.remove(tenant, kind)
	h.retire(old.Ref())
	return nil
}

// validateConfig checks config against the plugin's schema; empty config means {}.
func validateConfig(m *Manifest, schema []byte, config json.RawMessage) (json.RawMessage, error) {
	if len(bytes.TrimSpace(config)) == 0 || string(bytes.TrimSpace(config)) == "null" {
		config = json.RawMessage("{}")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(config))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, &ConfigError{Problems: []ConfigProblem{{Path: "", Message: "not JSON: " + err.Error()}}}
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, &ConfigError{Problems: []ConfigProblem{{Path: "", Message: "must be a JSON object"}}}
	}
	if len(schema) == 0 {
		return config, nil
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	url := "plugin://" + m.Ref() + "/config.json"
	if err := c.AddResource(url, bytes.NewReader(schema)); err != nil {
		return nil, fmt.Errorf("%s: config schema: %w: %v", m.Ref(), ErrPluginFailed, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%s: config schema does not compile: %w: %v", m.Ref(), ErrPluginFailed, err)
	}
	if err := s.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, err
		}
		var ps []ConfigProblem
		for _, leaf := range leaves(ve) {
			ps = append(ps, ConfigProblem{Path: leaf.InstanceLocation, Message: leaf.Message})
		}
		return nil, &ConfigError{Problems: ps}
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, config); err != nil {
		return nil, err
	}
	return compact.Bytes(), nil
}

func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

func bindingOf(d *store.Doc) *Binding {
	s := func(k string) string { v, _ := d.Data[k].(string); return v }
	return &Binding{Kind: d.ID, Plugin: s("plugin"), Version: s("version"), Config: json.RawMessage(s("config")),
		UpdatedAt: d.UpdatedAt, UpdatedBy: s("updated_by"), Revision: d.Version}
}

// bindingCache keeps each tenant's bindings for a short time, so a call does not read the
// store; a change on this node replaces the entry at once.
type bindingCache struct {
	b   store.Backend
	ttl time.Duration

	mu      sync.Mutex
	tenants map[string]*tenantBindings
}

type tenantBindings struct {
	loaded time.Time
	byKind map[string]*Binding
}

func newBindingCache(b store.Backend, ttl time.Duration) *bindingCache {
	return &bindingCache{b: b, ttl: ttl, tenants: map[string]*tenantBindings{}}
}

func (c *bindingCache) get(ctx context.Context, tenant, kind string) (*Binding, error) {
	c.mu.Lock()
	tb, ok := c.tenants[tenant]
	c.mu.Unlock()
	if !ok || time.Since(tb.loaded) > c.ttl {
		var err error
		if tb, err = c.load(ctx, tenant); err != nil {
			return nil, err
		}
	}
	b, ok := tb.byKind[kind]
	if !ok {
		return nil, fmt.Errorf("%s has no %s: %w", tenant, kind, ErrNotBound)
	}
	return b, nil
}

func (c *bindingCache) load(ctx context.Context, tenant string) (*tenantBindings, error) {
	sc, err := c.b.Scope(tenant)
	if err != nil {
		return nil, err
	}
	page, err := sc.Collection(BindingsCollection).Find(ctx, store.Query{Limit: 10})
	if err != nil {
		return nil, fmt.Errorf("load plugin bindings: %w", err)
	}
	tb := &tenantBindings{loaded: time.Now(), byKind: map[string]*Binding{}}
	for _, d := range page.Docs {
		tb.byKind[d.ID] = bindingOf(d)
	}
	c.mu.Lock()
	c.tenants[tenant] = tb
	c.mu.Unlock()
	return tb, nil
}

func (c *bindingCache) put(tenant string, b *Binding) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tb, ok := c.tenants[tenant]
	if !ok {
		// Unknown tenant: load on next use, so the other kinds are not lost.
		return
	}
	byKind := make(map[string]*Binding, len(tb.byKind)+1)
	for k, v := range tb.byKind {
		byKind[k] = v
	}
	byKind[b.Kind] = b
	c.tenants[tenant] = &tenantBindings{loaded: tb.loaded, byKind: byKind}
}

func (c *bindingCache) remove(tenant, kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tb, ok := c.tenants[tenant]
	if !ok {
		return
	}
	byKind := make(map[string]*Binding, len(tb.byKind))
	for k, v := range tb.byKind {
		if k != kind {
			byKind[k] = v
		}
	}
	c.tenants[tenant] = &tenantBindings{loaded: tb.loaded, byKind: byKind}
}

func (c *bindingCache) expire(tenant string) {
	c.mu.Lock()
	delete(c.tenants, tenant)
	c.mu.Unlock()
}

// uses reports whether any cached binding points at ref.
func (c *bindingCache) uses(ref string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, tb := range c.tenants {
		for _, b := range tb.byKind {
			if b.Ref() == ref {
				return true
			}
		}
	}
	return false
}
