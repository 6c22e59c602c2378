package server

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/plugins/host"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/files"
	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/runtime/report"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/runtime/webhook"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/tenants"
)

// Config tunes the HTTP edge. The zero value of each field is its documented default.
type Config struct {
	// BodyLimit caps a request body in bytes (default 1 MiB).
	BodyLimit int
	// UploadLimit caps a spreadsheet upload to an import, the one route whose body may
	// be larger than BodyLimit (default 64 MiB).
	UploadLimit int
	// RequestTimeout bounds the work of one request (default 15 s).
	RequestTimeout time.Duration
	// SecureCookies marks the session cookie Secure (set it when served over HTTPS).
	SecureCookies bool
	// SessionTTL is the session cookie's lifetime sent to browsers (default 12 h).
	SessionTTL time.Duration
}

// Deps are the services the handlers call; cmd builds them.
type Deps struct {
	Backend store.Backend
	Tenants *tenants.Service
	Forms   *form.Service
	Builder *builder.Service
	Audit   *audit.Log
	// Plugins runs the plugins and the tenants' bindings; nil disables the plugin routes
	// (they answer 503 plugins_disabled).
	Plugins *host.Host
	// Lists keeps the tenants' lists; nil disables the list routes (503 lists_disabled).
	Lists *list.Service
	// Rules serves the published rule sets (dry runs); nil answers 503 rules_disabled.
	Rules *rule.Catalog
	// Webhooks signs the tenant's webhooks; nil answers 503 on its route.
	Webhooks *webhook.Service
	// Flows runs flows and their tasks; nil answers 503 flows_disabled.
	Flows *flow.Engine
	// Dashboards and Reports serve and render dashboards; nil answers 503 dashboards_disabled.
	Dashboards *report.Catalog
	Reports    *report.Engine
	// Imports runs spreadsheet imports into forms; nil answers 503 imports_disabled.
	Imports *transfer.Service
	// Files keeps the files of attachment fields; nil answers 503 files_disabled.
	Files  *files.Service
	Logger *slog.Logger
}

// Server is Credo's HTTP API.
type Server struct {
	app     *fiber.App
	cfg     Config
	deps    Deps
	log     *slog.Logger
	metrics *metrics
}

// New builds the Fiber app with every route and middleware.
func New(cfg Config, deps Deps) *Server {
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.UploadLimit <= 0 {
		cfg.UploadLimit = 64 << 20
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 15 * time.Second
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	log := deps.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Server{cfg: cfg, deps: deps, log: log.With("component", "server"), metrics: newMetrics()}
	if deps.Plugins != nil {
		s.metrics.registry.MustRegister(deps.Plugins.Collectors()...)
	}
	s.app = fiber.New(fiber.Config{
		AppName: "credo",
		// Values from the request (params, headers, cookies) are copies: services keep
		// some of them (tenant slugs, session tokens) as cache keys beyond the request.
		Immutable: true,
		// Fasthttp has one limit for every route and refuses a body above it from the
		// header alone; limitBody holds every route but an import's or a file's upload to BodyLimit.
		BodyLimit:             max(cfg.BodyLimit, cfg.UploadLimit, fileBodyLimit(deps.Files)),
		ErrorHandler:          errorHandler(s.log),
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Uploads are parsed by their handlers, so a malformed multipart body gets the
		// route's own error (invalid_multipart) rather than fasthttp's.
		DisablePreParseMultipartForm: true,
	})
	s.routes()
	return s
}

// App exposes the Fiber app (tests drive it with app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until ctx is done, then shuts down gracefully.
func (s *Server) Listen(ctx context.Context, addr string) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listen(addr) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return s.app.ShutdownWithTimeout(10 * time.Second)
	}
}

func (s *Server) routes() {
	app := s.app
	app.Use(withRequestID, s.withAccessLog, withRecover(s.log), withDeadline(s.cfg.RequestTimeout), s.limitBody)

	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	app.Get("/readyz", s.ready)
	app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})))

	api := app.Group("/api/v1")
	api.Get("/openapi.json", serveOpenAPI)
	api.Post("/auth/login", s.login)
	api.Post("/auth/logout", s.authenticate, s.logout)
	api.Get("/auth/me", s.authenticate, s.me)
	api.Post("/auth/tokens", s.authenticate, s.issueToken)

	plat := api.Group("/tenants", s.authenticate, platformOnly)
	plat.Post("/", s.createTenant)
	plat.Get("/", s.listTenants)
	plat.Get("/:slug", s.getTenant)
	plat.Patch("/:slug", s.updateTenant)

	t := api.Group("/t/:tenant", s.authenticate, tenantGuard)
	t.Get("/users", s.listUsers)
	t.Post("/users", s.createUser)
	t.Get("/users/:id", s.getUser)
	t.Patch("/users/:id", s.updateUser)
	t.Get("/roles", s.listRoles)
	t.Post("/roles", s.createRole)
	t.Get("/roles/:role", s.getRole)
	t.Patch("/roles/:role", s.updateRole)
	t.Get("/roles/:role/permissions", s.getPermissions)
	t.Put("/roles/:role/permissions", s.putPermissions)

	t.Get("/definitions/:kind", s.listDefinitions)
	t.Get("/definitions/:kind/:key", s.getDraft)
	t.Put("/definitions/:kind/:key", s.putDraft)
	t.Post("/definitions/:kind/:key/publish", s.publish)
	t.Get("/definitions/:kind/:key/versions", s.listVersions)
	t.Get("/definitions/:kind/:key/versions/:version", s.getVersion)
	t.Post("/definitions/:kind/:key/rollback", s.rollback)
	t.Get("/templates", s.listTemplatePacks)
	t.Post("/templates/:pack/install", s.installTemplatePack)

	t.Get("/forms", s.listForms)
	t.Get("/forms/:form/access", s.formAccess)
	t.Post("/forms/:form/records", s.createRecord)
	t.Get("/forms/:form/records", s.listRecords)
	t.Post("/forms/:form/records/search", s.searchRecords)
	t.Get("/forms/:form/export", s.exportRecords)
	t.Get("/forms/:form/records/:id", s.getRecord)
	t.Get("/forms/:form/records/:id/rule-runs", s.listRuleRuns)
	t.Post("/forms/:form/rules/dry-run", s.dryRunRule)
	t.Patch("/forms/:form/records/:id", s.updateRecord)
	t.Delete("/forms/:form/records/:id", s.deleteRecord)
	t.Post("/forms/:form/imports", s.importsOn, s.startImport)
	t.Get("/forms/:form/imports/:job", s.importsOn, s.getImport)
	t.Get("/forms/:form/imports/:job/rejects", s.importsOn, s.importRejects)
	t.Post("/forms/:form/files", s.filesOn, s.uploadFile)
	t.Get("/forms/:form/records/:id/files", s.filesOn, s.recordFiles)
	t.Get("/forms/:form/records/:id/files/:file", s.filesOn, s.downloadFile)

	t.Get("/audit", s.listAudit)
	t.Get("/audit/verify", s.verifyAudit)

	t.Get("/plugins", s.pluginsOn, s.listPlugins)
	t.Get("/plugins/:kind", s.pluginsOn, s.getBinding)
	t.Put("/plugins/:kind", s.pluginsOn, s.putBinding)
	t.Delete("/plugins/:kind", s.pluginsOn, s.deleteBinding)

	t.Get("/tasks", s.flowsOn, s.listTasks)
	t.Get("/tasks/counts", s.flowsOn, s.taskCounts)
	t.Get("/tasks/:id", s.flowsOn, s.getTask)
	t.Post("/tasks/:id/actions", s.flowsOn, s.actOnTask)
	t.Get("/forms/:form/records/:id/flows", s.flowsOn, s.recordFlows)
	t.Post("/forms/:form/records/:id/flows/:flow", s.flowsOn, s.startFlow)

	t.Get("/dashboards", s.listDashboards)
	t.Get("/dashboards/:key", s.getDashboard)
	t.Get("/dashboards/:key/widgets/:id", s.widgetData)
	t.Get("/dashboards/:key/widgets/:id/chart.:format", s.widgetChart)
	t.Get("/dashboards/:key/widgets/:id/drill", s.widgetDrill)
	t.Post("/dashboards/:key/preview/widgets/:id", s.previewWidget)

	t.Get("/notifications", s.listNotifications)
	t.Post("/notifications/:id/read", s.readNotification)
	t.Get("/webhooks/signing-secret", s.webhookSecret)

	t.Get("/lists", s.listsOn, s.listLists)
	t.Get("/lists/:list", s.listsOn, s.listEntries)
	t.Post("/lists/:list", s.listsOn, s.addToList)
	t.Get("/lists/:list/:value", s.listsOn, s.getListEntry)
	t.Delete("/lists/:list/:value", s.listsOn, s.removeFromList)

	s.mountFrontend()
	app.Use(func(c *fiber.Ctx) error { return errNotFound })
}

// limitBody holds every route but an import's or a file's upload to BodyLimit before
// any handler decodes the body.
func (s *Server) limitBody(c *fiber.Ctx) error {
	upload := c.Method() == fiber.MethodPost && (strings.HasSuffix(c.Path(), "/imports") || strings.HasSuffix(c.Path(), "/files"))
	if len(c.Request().Body()) > s.cfg.BodyLimit && !upload {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, "The request body is too large.")
	}
	return c.Next()
}

func (s *Server) ready(c *fiber.Ctx) error {
	if err := s.deps.Backend.Ping(c.UserContext()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(ErrorBody{Error: ErrorDetail{Code: "unavailable", Message: "The store does not answer."}})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

// fileBodyLimit is the largest body a file upload may need: the file and its multipart framing.
func fileBodyLimit(fs *files.Service) int {
	if fs == nil {
		return 0
	}
	return int(fs.MaxSize()) + multipartSlack
}
