package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/plugins/host"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/automation"
	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/files"
	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/runtime/report"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/runtime/webhook"
	"github.com/credolabs/credo/server"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/mongo"
	"github.com/credolabs/credo/store/sqlite"
	"github.com/credolabs/credo/tenants"
)

// app is Credo wired together: one store, the services over it, the HTTP server.
type app struct {
	backend store.Backend
	tenants *tenants.Service
	forms   *form.Service
	builder *builder.Service
	audit   *audit.Log
	lists   *list.Service
	plugins *host.Host // nil when no plugin directory is configured
	rules   *rule.Catalog
	flows   *flow.Engine
	// automation carries out rules: on events, and scheduled (RunSchedules).
	automation *automation.Engine
	imports    *transfer.Service
	hooks      *webhook.Service
	// files keeps the uploads of attachment fields.
	files *files.Service
	// rollups keeps dashboards' figures beside the records, in each write's transaction.
	rollups *report.Rollups
	// events lists the handlers of outbox events and timers this node runs.
	events *events.Registry
	// dispatcher delivers this node's share of the outbox, once workers started it.
	dispatcher atomic.Pointer[events.Dispatcher]
	server     *server.Server
	log        *slog.Logger
}

// eventsCommitted wakes this node's dispatcher after a record write committed its
// events, so rules and flows react at once rather than at the dispatcher's next poll.
func (a *app) eventsCommitted() {
	if d := a.dispatcher.Load(); d != nil {
		d.Notify()
	}
}

// passedOver tells the record service which record events no handler of this node
// would act on, so that it does not write them (events.Registry.PassedOver).
func (a *app) passedOver(ctx context.Context, sc store.Scope, evs []events.Event) []bool {
	return a.events.PassedOver(ctx, sc, evs)
}

// subscribed tells the flow engine which event types some handler of this node hears.
func (a *app) subscribed(eventType string) bool { return a.events.Subscribed(eventType) }

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(strings.ToUpper(level)))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func openBackend(ctx context.Context, cfg Config, log *slog.Logger) (store.Backend, error) {
	switch cfg.Store {
	case "mongodb":
		return mongo.Open(ctx, mongo.Config{URI: cfg.MongoURI, Database: cfg.MongoDatabase})
	default:
		if dir := filepath.Dir(cfg.SQLitePath); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
		}
		return sqlite.Open(ctx, sqlite.Config{Path: cfg.SQLitePath, Logger: log.With("component", "sqlite"),
			CacheSize: int64(cfg.SQLiteCache), WriterCacheSize: int64(cfg.SQLiteWriterCache)})
	}
}

func newApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	b, err := openBackend(ctx, cfg, log)
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", cfg.Store, err)
	}
	a := &app{backend: b, audit: audit.New(nil), log: log}
	if a.tenants, err = tenants.New(ctx, b, tenants.Options{}); err != nil {
		_ = b.Close()
		return nil, err
	}
	a.lists = list.NewService(b, a.audit)
	a.rollups = report.NewRollups(b, report.RollupOptions{Logger: log.With("component", "rollups")})
	formOpts := form.Options{Observer: a.rollups, Attachments: files.Attacher{}, Committed: a.eventsCommitted,
		PassedOver: a.passedOver}
	if cfg.PluginDir != "" {
		a.plugins = host.New(b, host.Config{
			Dir:           cfg.PluginDir,
			CallTimeout:   time.Duration(cfg.PluginTimeout),
			MaxConcurrent: cfg.PluginConcurrency,
			Lookup:        lookup{a},
			Logger:        log.With("component", "plugins"),
		})
		formOpts.Decider = decider{a.plugins}
	}
	a.forms = form.NewService(b, a.tenants, a.audit, formOpts)
	a.builder = builder.New(b, a.forms, a.audit)
	a.rules = rule.NewCatalog(a.forms, form.Published{Backend: b}, rule.CatalogOptions{})
	a.builder.Register(builder.KindRule, builder.Rules(a.rules))
	a.hooks = webhook.New(b, webhook.Options{Logger: log.With("component", "webhooks")})
	flows := flow.NewCatalog(a.forms, form.Published{Backend: b})
	a.builder.Register(builder.KindFlow, builder.Flows(flows))
	flowOpts := flow.Options{Records: flow.FormRecords(a.forms), Webhooks: flow.QueuedWebhooks(a.hooks), Directory: a.tenants,
		SupervisorRoles: []string{tenants.AdminRole}, Logger: log.With("component", "flows")}
	if formOpts.Decider != nil {
		flowOpts.Decider = formOpts.Decider
	}
	flowOpts.NodeEvents = ruleListens(flows, a.rules)
	flowOpts.Heard = a.subscribed
	a.flows = flow.NewEngine(b, flows, flowOpts)
	a.imports = transfer.New(b, a.forms, a.audit, transfer.Options{Dir: importDir(cfg), Logger: log.With("component", "imports")})
	a.files = files.NewService(b, a.forms, a.audit, files.Options{MaxSize: int64(cfg.FileLimit)})
	dashboards := report.NewCatalog(a.forms, form.Published{Backend: b})
	dashboards.OnInstall(a.rollups.Prepare)
	a.builder.Register(builder.KindDashboard, builder.Dashboards(dashboards))
	a.events = events.NewRegistry()
	a.automation = automation.New(automation.Options{Backend: b, Forms: a.forms, Rules: a.rules, Lists: a.lists, Webhooks: a.hooks,
		Flows: automation.FlowsOf(a.flows, a.forms), Logger: log.With("component", "rules")})
	err = errors.Join(a.automation.Register(a.events), a.events.HandleTimers(flow.TimerHandler, a.flows))
	if err != nil {
		_ = b.Close()
		return nil, err
	}
	a.server = server.New(server.Config{
		BodyLimit:      cfg.BodyLimit,
		UploadLimit:    cfg.UploadLimit,
		RequestTimeout: time.Duration(cfg.RequestTimeout),
		SecureCookies:  cfg.SecureCookies,
	}, server.Deps{Backend: b, Tenants: a.tenants, Forms: a.forms, Builder: a.builder, Audit: a.audit,
		Plugins: a.plugins, Lists: a.lists, Rules: a.rules, Webhooks: a.hooks, Flows: a.flows, Imports: a.imports, Files: a.files,
		Dashboards: dashboards, Reports: report.New(a.forms, report.Options{Rollups: a.rollups, People: a.tenants}), Logger: log})
	return a, nil
}

// ruleListens answers the flow engine whether any rule reads a node's entered and left
// events, from the catalogs' memory: events nobody reads are not written. While unsure
// (a catalog error) it says yes.
func ruleListens(flows *flow.Catalog, rules *rule.Catalog) func(tenant, flowKey, node string) bool {
	return func(tenant, flowKey, node string) bool {
		ctx := context.Background()
		fl, err := flows.Latest(ctx, tenant, flowKey)
		if err != nil {
			return true
		}
		set, _, err := rules.Set(ctx, tenant, fl.Form().Key())
		if err != nil {
			return true
		}
		return set != nil && set.ListensTo(flowKey, node)
	}
}

// importDir keeps uploads beside the embedded database; with MongoDB, in the system's
// temporary directory.
func importDir(cfg Config) string {
	if cfg.Store == "mongodb" {
		return ""
	}
	return filepath.Join(filepath.Dir(cfg.SQLitePath), "imports")
}

// Close stops the imports, the rollup builds and the plugins, letting their work
// finish, then closes the store.
func (a *app) Close() error {
	a.imports.Close()
	a.rollups.Close()
	if a.plugins != nil {
		a.plugins.Close()
	}
	return a.backend.Close()
}
