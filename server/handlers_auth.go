package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/tenants"
)

type loginRequest struct {
	Tenant   string `json:"tenant"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	ctx := c.UserContext()
	client := c.IP()
	sess, err := s.deps.Tenants.Login(ctx, req.Tenant, req.Email, req.Password, client)
	if err != nil {
		s.auditLoginFailure(c, req)
		return err
	}
	p := sess.Principal
	scope := p.Tenant
	if p.Platform {
		scope = store.PlatformTenant
	}
	if err := s.appendAudit(c, scope, p.UserID, audit.ActionLogin, "user:"+p.UserID, nil); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: SessionCookie, Value: sess.Token, Path: "/", HTTPOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: fiber.CookieSameSiteLaxMode, Expires: sess.ExpiresAt,
	})
	user := principalView(p)
	if p.Tenant != "" {
		can, err := s.abilities(c, p)
		if err != nil {
			return err
		}
		user["can"] = can
	}
	return c.JSON(fiber.Map{"csrf_token": sess.CSRFToken, "expires_at": sess.ExpiresAt, "user": user})
}

// auditLoginFailure records a failed login in the tenant's own log when the tenant exists,
// so its administrators see attacks on their accounts; it never changes the answer.
func (s *Server) auditLoginFailure(c *fiber.Ctx, req loginRequest) {
	scope := store.PlatformTenant
	if req.Tenant != "" {
		if _, err := s.deps.Tenants.GetTenant(c.UserContext(), req.Tenant); err != nil {
			return
		}
		scope = req.Tenant
	}
	if err := s.appendAudit(c, scope, "anonymous", audit.ActionLoginFailed, "email:"+req.Email, nil); err != nil {
		loggerFrom(c, s.log).Warn("audit login failure", "error", err.Error())
	}
}

func (s *Server) logout(c *fiber.Ctx) error {
	p := principal(c)
	if cookie := c.Cookies(SessionCookie); cookie != "" {
		if err := s.deps.Tenants.Logout(c.UserContext(), cookie); err != nil {
			return err
		}
	}
	c.ClearCookie(SessionCookie)
	scope := p.Tenant
	if p.Platform {
		scope = store.PlatformTenant
	}
	if err := s.appendAudit(c, scope, p.UserID, audit.ActionLogout, "user:"+p.UserID, nil); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) me(c *fiber.Ctx) error {
	p := principal(c)
	view := principalView(p)
	if p.Tenant != "" {
		can, err := s.abilities(c, p)
		if err != nil {
			return err
		}
		view["can"] = can
	}
	return c.JSON(view)
}

// abilityChecks are the administration rights a client shows or hides its pages by: the
// very checks the routes make (scope of the credential and the tenant's policy). A check
// with an on function is skipped when the server runs without that part (its routes
// answer 503).
var abilityChecks = []struct {
	scope, object, action string
	on                    func(*Server) bool
}{
	{tenants.ScopeAdmin, objUsers, tenants.ActionRead, nil},
	{tenants.ScopeAdmin, objUsers, tenants.ActionManage, nil},
	{tenants.ScopeAdmin, objRoles, tenants.ActionRead, nil},
	{tenants.ScopeAdmin, objRoles, tenants.ActionManage, nil},
	{tenants.ScopeAdmin, objAudit, tenants.ActionRead, nil},
	{tenants.ScopeAdmin, objPlugins, tenants.ActionRead, pluginsEnabled},
	{tenants.ScopeAdmin, objPlugins, tenants.ActionManage, pluginsEnabled},
	{tenants.ScopeAdmin, objLists, tenants.ActionRead, nil},
	{tenants.ScopeAdmin, objWebhooks, tenants.ActionRead, nil},
	{tenants.ScopeDefinitionsRead, objDefinitions, tenants.ActionRead, nil},
	{tenants.ScopeDefinitionsWrite, objDefinitions, tenants.ActionUpdate, nil},
	{tenants.ScopeDefinitionsWrite, objDefinitions, tenants.ActionPublish, nil},
	{tenants.ScopeRecordsRead, objTasks, tenants.ActionRead, nil},
}

func pluginsEnabled(s *Server) bool { return s.deps.Plugins != nil }

// recordActions are the record-level rights answered per published form, with the scope
// a credential needs for each (the record routes' own checks).
var recordActions = []struct{ scope, action string }{
	{tenants.ScopeRecordsWrite, form.ActCreate},
	{tenants.ScopeRecordsRead, form.ActRead},
	{tenants.ScopeRecordsWrite, form.ActUpdate},
	{tenants.ScopeRecordsWrite, form.ActDelete},
	{tenants.ScopeRecordsRead, form.ActExport},
}

// abilities answers, per object, the actions the principal may take: the administration
// objects, each published form ("form:<key>": record-level rights, for new-record and
// import entries) and each published dashboard they may view ("dashboard:<key>": read).
func (s *Server) abilities(c *fiber.Ctx, p *tenants.Principal) (map[string][]string, error) {
	ctx := c.UserContext()
	out := map[string][]string{}
	allow := func(scope, object, action string) error {
		if !p.HasScope(scope) {
			return nil
		}
		ok, err := s.deps.Tenants.Enforce(ctx, p.Tenant, p.UserID, object, action)
		if ok {
			out[object] = append(out[object], action)
		}
		return err
	}
	for _, a := range abilityChecks {
		if a.on != nil && !a.on(s) {
			continue
		}
		if err := allow(a.scope, a.object, a.action); err != nil {
			return nil, err
		}
	}
	forms, err := s.deps.Builder.Published(ctx, p.Tenant, builder.KindForm)
	if err != nil {
		return nil, err
	}
	for _, key := range forms {
		for _, ra := range recordActions {
			if err := allow(ra.scope, form.FormObject(key), ra.action); err != nil {
				return nil, err
			}
		}
	}
	if s.deps.Dashboards == nil {
		return out, nil
	}
	dashboards, err := s.deps.Builder.Published(ctx, p.Tenant, builder.KindDashboard)
	if err != nil {
		return nil, err
	}
	for _, key := range dashboards {
		if err := allow(tenants.ScopeRecordsRead, "dashboard:"+key, tenants.ActionRead); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func principalView(p *tenants.Principal) fiber.Map {
	return fiber.Map{"id": p.UserID, "email": p.Email, "name": p.Name, "tenant": p.Tenant,
		"roles": p.Roles, "platform_admin": p.Platform}
}

type tokenRequest struct {
	Name     string   `json:"name"`
	Scopes   []string `json:"scopes"`
	TTLHours int      `json:"ttl_hours"`
}

func (s *Server) issueToken(c *fiber.Ctx) error {
	var req tokenRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	ttl := time.Duration(req.TTLHours) * time.Hour
	secret, tok, err := s.deps.Tenants.IssueToken(c.UserContext(), principal(c), req.Name, req.Scopes, ttl)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": secret, "info": tok})
}

// appendAudit writes one entry in its own transaction; handlers whose change is made by a
// service audit inside that service's transaction instead.
func (s *Server) appendAudit(c *fiber.Ctx, tenant, actor, action, object string, detail map[string]any) error {
	sc, err := s.deps.Backend.Scope(tenant)
	if err != nil {
		return err
	}
	_, err = s.deps.Audit.Append(c.UserContext(), sc, audit.Entry{
		Actor: actor, Action: action, Object: object, Detail: detail,
		Client: c.IP(), RequestID: requestID(c),
	})
	return err
}
