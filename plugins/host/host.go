// Package host runs Credo's plugins: discovery from the plugin directory, checksums,
// launch over go-plugin with AutoMTLS, deadlines, a concurrency limit, health checks,
// restart with backoff, per-tenant bindings and version swaps without a failed call.
package host

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/credolabs/credo/store"
)

// Config tunes the host. The zero value of each field is the documented default.
type Config struct {
	// Dir is the plugin directory: one folder per plugin version, each with a manifest.
	Dir string
	// CallTimeout bounds every plugin call. 0 means 300 ms.
	CallTimeout time.Duration
	// MaxConcurrent bounds the calls in flight to one plugin process. 0 means 64.
	MaxConcurrent int
	// StartTimeout bounds a plugin's launch and handshake. 0 means 10 s.
	StartTimeout time.Duration
	// HealthInterval is how often running plugins are pinged. 0 means 5 s.
	HealthInterval time.Duration
	// RestartBackoff is the first wait after a failed start; it doubles per failure, up to
	// 64 times. 0 means 250 ms.
	RestartBackoff time.Duration
	// StopGrace is how long a stopping plugin may finish its calls. 0 means 10 s.
	StopGrace time.Duration
	// BindingTTL is how long a tenant's bindings are trusted before they are read again, so
	// a change made on another node is seen. 0 means 5 s.
	BindingTTL time.Duration
	// PluginGOMAXPROCS is the GOMAXPROCS a plugin written in Go runs with. 0 means 1: a
	// call then wakes one thread in the plugin instead of handing off between several,
	// which on a small machine is most of a call's latency; raise it for models that need
	// more than a core.
	PluginGOMAXPROCS int
	// Lookup answers the plugins' read-only callbacks; nil serves no Host service.
	Lookup Lookup
	Logger *slog.Logger
}

func (c *Config) defaults() {
	if c.CallTimeout <= 0 {
		c.CallTimeout = 300 * time.Millisecond
	}
	if c.PluginGOMAXPROCS <= 0 {
		c.PluginGOMAXPROCS = 1
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = 64
	}
	if c.StartTimeout <= 0 {
		c.StartTimeout = 10 * time.Second
	}
	if c.HealthInterval <= 0 {
		c.HealthInterval = 5 * time.Second
	}
	if c.RestartBackoff <= 0 {
		c.RestartBackoff = 250 * time.Millisecond
	}
	if c.StopGrace <= 0 {
		c.StopGrace = 10 * time.Second
	}
	if c.BindingTTL <= 0 {
		c.BindingTTL = 5 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Host owns the plugin catalog, the running plugin processes and the tenants' bindings.
type Host struct {
	cfg      Config
	backend  store.Backend
	metrics  *metrics
	service  *hostService
	bindings *bindingCache

	mu      sync.Mutex
	catalog map[string]*Manifest // by ref
	procs   map[string]*process  // by ref
	closed  bool

	stopHealth context.CancelFunc
	wg         sync.WaitGroup
}

// New discovers the plugins in cfg.Dir and starts the health loop. Plugins start on first
// use. Folders with bad manifests are logged and skipped.
func New(b store.Backend, cfg Config) *Host {
	cfg.defaults()
	h := &Host{cfg: cfg, backend: b, metrics: newMetrics(), catalog: map[string]*Manifest{},
		procs: map[string]*process{}}
	h.bindings = newBindingCache(b, cfg.BindingTTL)
	if cfg.Lookup != nil {
		h.service = newHostService(cfg.Lookup)
	}
	h.Rescan()
	ctx, cancel := context.WithCancel(context.Background())
	h.stopHealth = cancel
	h.wg.Add(1)
	go h.healthLoop(ctx)
	return h
}

// Rescan reads the plugin directory again, adding new plugin versions. Versions already
// known keep their manifest: a plugin version is immutable once installed.
func (h *Host) Rescan() []error {
	if h.cfg.Dir == "" {
		return nil
	}
	found, errs := Discover(h.cfg.Dir)
	for _, err := range errs {
		h.cfg.Logger.Error("plugin skipped", "err", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range found {
		if _, ok := h.catalog[m.Ref()]; !ok {
			h.catalog[m.Ref()] = m
			h.cfg.Logger.Info("plugin found", "plugin", m.Name, "version", m.Version, "kinds", m.Kinds)
		}
	}
	return errs
}

// Catalog lists the installed plugin versions, sorted by reference.
func (h *Host) Catalog() []Manifest {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Manifest, 0, len(h.catalog))
	for _, m := range h.catalog {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b Manifest) int { return strings.Compare(a.Ref(), b.Ref()) })
	return out
}

func (h *Host) manifest(name, version, kind string) (*Manifest, error) {
	h.mu.Lock()
	m, ok := h.catalog[name+"@"+version]
	h.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%s@%s is not installed: %w", name, version, ErrUnknownPlugin)
	}
	if kind != "" && !m.Has(kind) {
		return nil, fmt.Errorf("%s does not provide %s: %w", m.Ref(), kind, ErrUnknownPlugin)
	}
	return m, nil
}

// process returns the supervisor of m, creating it on first use.
func (h *Host) process(m *Manifest) (*process, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrPluginShutdown
	}
	p, ok := h.procs[m.Ref()]
	if !ok {
		p = &process{m: m, h: h, log: h.cfg.Logger.With("component", "plugin", "plugin", m.Name, "version", m.Version)}
		h.procs[m.Ref()] = p
	}
	return p, nil
}

// retire drains and stops ref's process unless some cached binding still uses it.
func (h *Host) retire(ref string) {
	if h.bindings.uses(ref) {
		return
	}
	h.mu.Lock()
	p, ok := h.procs[ref]
	if ok {
		delete(h.procs, ref)
	}
	h.mu.Unlock()
	if ok {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			p.stop(h.cfg.StopGrace)
		}()
	}
}

func (h *Host) healthLoop(ctx context.Context) {
	defer h.wg.Done()
	t := time.NewTicker(h.cfg.HealthInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.mu.Lock()
			procs := make([]*process, 0, len(h.procs))
			for _, p := range h.procs {
				procs = append(procs, p)
			}
			h.mu.Unlock()
			for _, p := range procs {
				p.check()
			}
		}
	}
}

// Close stops every plugin, letting in-flight calls finish within the grace period.
func (h *Host) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	procs := h.procs
	h.procs = map[string]*process{}
	h.mu.Unlock()
	h.stopHealth()
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); p.stop(h.cfg.StopGrace) }()
	}
	wg.Wait()
	h.wg.Wait()
}
