package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/plugins/host"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/tenants"
)

// objPlugins is the administration area of the tenant's plugin bindings.
const objPlugins = "admin:plugins"

// pluginKinds are the kinds a tenant binds, in the order the catalog lists bindings.
var pluginKinds = []string{host.KindScorer, host.KindFraudDetector}

var errPluginsDisabled = newAPIError(fiber.StatusServiceUnavailable, "plugins_disabled", "Plugins are not enabled on this server.")

// pluginsOn answers 503 on the plugin routes of a server started without a plugin host.
func (s *Server) pluginsOn(c *fiber.Ctx) error {
	if s.deps.Plugins == nil {
		return errPluginsDisabled
	}
	return c.Next()
}

// catalogEntry is what a tenant administrator needs to know of an installed plugin
// version; the executable's path and checksum stay on the server.
type catalogEntry struct {
	Name         string          `json:"name"`
	Version      string          `json:"version"`
	Kinds        []string        `json:"kinds"`
	Description  string          `json:"description,omitempty"`
	ConfigSchema json.RawMessage `json:"config_schema,omitempty"`
}

func (s *Server) listPlugins(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objPlugins, tenants.ActionRead); err != nil {
		return err
	}
	h := s.deps.Plugins
	ms := h.Catalog()
	catalog := make([]catalogEntry, 0, len(ms))
	for _, m := range ms {
		catalog = append(catalog, catalogEntry{Name: m.Name, Version: m.Version, Kinds: m.Kinds,
			Description: m.Description, ConfigSchema: m.ConfigSchema})
	}
	bindings := make([]*host.Binding, 0, len(pluginKinds))
	for _, kind := range pluginKinds {
		b, err := h.Binding(c.UserContext(), c.Params("tenant"), kind)
		if errors.Is(err, host.ErrNotBound) {
			continue
		}
		if err != nil {
			return err
		}
		bindings = append(bindings, b)
	}
	return c.JSON(fiber.Map{"plugins": catalog, "bindings": bindings})
}

func (s *Server) getBinding(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objPlugins, tenants.ActionRead); err != nil {
		return err
	}
	b, err := s.deps.Plugins.Binding(c.UserContext(), c.Params("tenant"), c.Params("kind"))
	if err != nil {
		return err
	}
	return c.JSON(b)
}

type bindRequest struct {
	Plugin  string          `json:"plugin"`
	Version string          `json:"version"`
	Config  json.RawMessage `json:"config"`
	// Revision, when set, is the binding revision the caller read: the change applies only
	// if nobody changed the binding since (409 otherwise).
	Revision int64 `json:"revision"`
}

// putBinding points the tenant's kind at a plugin version. The host starts and
// health-checks that version and validates the configuration against the schema the
// running plugin describes before anything changes.
func (s *Server) putBinding(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objPlugins, tenants.ActionManage); err != nil {
		return err
	}
	kind, tenant := c.Params("kind"), c.Params("tenant")
	if !host.ValidKind(kind) {
		return fmt.Errorf("bind %q: %w", kind, host.ErrUnknownKind)
	}
	var req bindRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	var fields []FieldProblem
	if req.Plugin == "" {
		fields = append(fields, FieldProblem{Path: "/plugin", Code: "required", Message: "must name an installed plugin"})
	}
	if req.Version == "" {
		fields = append(fields, FieldProblem{Path: "/version", Code: "required", Message: "must name an installed version of the plugin"})
	}
	if req.Revision < 0 {
		fields = append(fields, FieldProblem{Path: "/revision", Code: "minimum", Message: "must be the binding revision you read (from 1), or absent"})
	}
	if len(fields) > 0 {
		return newAPIError(fiber.StatusUnprocessableEntity, "validation_failed", "The binding is not complete; see fields.", fields...)
	}
	b, err := s.deps.Plugins.Bind(c.UserContext(), tenant, kind, req.Plugin, req.Version, req.Config,
		principal(c).UserID, req.Revision, s.auditBinding(c, kind))
	if err != nil {
		return err
	}
	return c.JSON(b)
}

// deleteBinding removes the tenant's binding of a kind; that kind's decisions stay pending
// until a plugin is bound again. ?revision=n makes it conditional.
func (s *Server) deleteBinding(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objPlugins, tenants.ActionManage); err != nil {
		return err
	}
	kind := c.Params("kind")
	var revision int64
	if v := c.Query("revision"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return newAPIError(fiber.StatusBadRequest, "invalid_query", "revision must be the binding revision you read (from 1).",
				FieldProblem{Path: "revision", Code: "type", Message: "must be a positive whole number"})
		}
		revision = n
	}
	if err := s.deps.Plugins.Unbind(c.UserContext(), c.Params("tenant"), kind, revision, s.auditBinding(c, kind)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// auditBinding writes a binding change to the tenant's audit log in the transaction that
// makes it, so a change is never without its entry.
func (s *Server) auditBinding(c *fiber.Ctx, kind string) host.InTx {
	actor, client, reqID := principal(c).UserID, c.IP(), requestID(c)
	return func(ctx context.Context, sc store.Scope, before, after *host.Binding) error {
		_, err := s.deps.Audit.Append(ctx, sc, audit.Entry{Actor: actor, Action: audit.ActionPolicyChange,
			Object: "plugin:" + kind, Detail: bindingChange(before, after), Client: client, RequestID: reqID})
		return err
	}
}

// bindingChange is the audit detail of a binding change: the plugin versions before and
// after and both configurations. A configuration is tenant policy (cut-offs, weights,
// rule switches) that explains later decisions; credentials do not belong in it, a plugin
// reads them from a file in its own folder.
func bindingChange(old, b *host.Binding) map[string]any {
	d := map[string]any{"to": nil}
	if b != nil {
		d = map[string]any{"to": b.Ref(), "config": plainConfig(b.Config), "revision": b.Revision}
	}
	if old != nil {
		d["from"] = old.Ref()
		d["previous_config"] = plainConfig(old.Config)
	}
	return d
}

// plainConfig decodes a stored configuration for the audit log, keeping numbers exact.
func plainConfig(raw json.RawMessage) any {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	return v
}
