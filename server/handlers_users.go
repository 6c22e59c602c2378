package server

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/tenants"
)

// Objects of the tenant's administration areas, as casbin sees them.
const (
	objUsers       = "admin:users"
	objRoles       = "admin:roles"
	objAudit       = "admin:audit"
	objDefinitions = "admin:definitions"
)

// require checks one permission of the caller in the route's tenant, and the API token's
// scope when the caller is a machine.
func (s *Server) require(c *fiber.Ctx, scope, obj, act string) error {
	p := principal(c)
	if !p.HasScope(scope) {
		return errForbidden
	}
	return s.deps.Tenants.Check(c.UserContext(), p.Tenant, p.UserID, obj, act)
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objUsers, tenants.ActionRead); err != nil {
		return err
	}
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	users, next, err := s.deps.Tenants.ListUsers(c.UserContext(), c.Params("tenant"), tenants.ListOptions{Limit: limit, Cursor: c.Query("cursor")})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"users": users, "next": next})
}

func (s *Server) createUser(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objUsers, tenants.ActionManage); err != nil {
		return err
	}
	var in tenants.UserInput
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	u, err := s.deps.Tenants.CreateUser(c.UserContext(), c.Params("tenant"), in)
	if err != nil {
		return err
	}
	if err := s.auditTenant(c, audit.ActionCreate, "user:"+u.ID, map[string]any{"email": u.Email, "roles": u.Roles}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (s *Server) getUser(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objUsers, tenants.ActionRead); err != nil {
		return err
	}
	u, err := s.deps.Tenants.GetUser(c.UserContext(), c.Params("tenant"), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *Server) updateUser(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objUsers, tenants.ActionManage); err != nil {
		return err
	}
	var up tenants.UserUpdate
	if err := decodeStrict(c, &up); err != nil {
		return err
	}
	id := c.Params("id")
	u, err := s.deps.Tenants.UpdateUser(c.UserContext(), c.Params("tenant"), id, up)
	if err != nil {
		return err
	}
	detail := map[string]any{}
	if up.Roles != nil {
		detail["roles"] = u.Roles
	}
	if up.Disabled != nil {
		detail["disabled"] = u.Disabled
	}
	if up.Password != nil {
		detail["password_changed"] = true
	}
	if err := s.auditTenant(c, audit.ActionUpdate, "user:"+id, detail); err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *Server) listRoles(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objRoles, tenants.ActionRead); err != nil {
		return err
	}
	roles, err := s.deps.Tenants.ListRoles(c.UserContext(), c.Params("tenant"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"roles": roles})
}

func (s *Server) createRole(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objRoles, tenants.ActionManage); err != nil {
		return err
	}
	var in tenants.RoleInput
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	if err := s.checkRowScopes(c, "/row_scopes", in.RowScopes); err != nil {
		return err
	}
	r, err := s.deps.Tenants.CreateRole(c.UserContext(), c.Params("tenant"), in)
	if err != nil {
		return err
	}
	if err := s.auditTenant(c, audit.ActionPolicyChange, "role:"+r.Key, map[string]any{"created": true, "row_scopes": r.RowScopes}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) getRole(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objRoles, tenants.ActionRead); err != nil {
		return err
	}
	r, err := s.deps.Tenants.GetRole(c.UserContext(), c.Params("tenant"), c.Params("role"))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) updateRole(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objRoles, tenants.ActionManage); err != nil {
		return err
	}
	var up tenants.RoleUpdate
	if err := decodeStrict(c, &up); err != nil {
		return err
	}
	if up.RowScopes != nil {
		if err := s.checkRowScopes(c, "/row_scopes", *up.RowScopes); err != nil {
			return err
		}
	}
	key := c.Params("role")
	r, err := s.deps.Tenants.UpdateRole(c.UserContext(), c.Params("tenant"), key, up)
	if err != nil {
		return err
	}
	if err := s.auditTenant(c, audit.ActionPolicyChange, "role:"+key, map[string]any{"row_scopes": r.RowScopes}); err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) getPermissions(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objRoles, tenants.ActionRead); err != nil {
		return err
	}
	// The revision is read first: a change landing between the two reads makes a later
	// conditional PUT fail rather than overwrite what the caller has not seen.
	rev, err := s.deps.Tenants.PolicyRevision(c.UserContext(), c.Params("tenant"))
	if err != nil {
		return err
	}
	perms, err := s.deps.Tenants.Permissions(c.UserContext(), c.Params("tenant"), c.Params("role"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"permissions": perms, "revision": rev})
}

type permissionsRequest struct {
	Permissions []tenants.Permission `json:"permissions"`
	// Revision, when given, is the one GET answered: the PUT is refused (409
	// stale_permissions) if the tenant's policy changed since.
	Revision *uint64 `json:"revision,omitempty"`
}

func (s *Server) putPermissions(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objRoles, tenants.ActionManage); err != nil {
		return err
	}
	var req permissionsRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	role := c.Params("role")
	before, err := s.deps.Tenants.Permissions(c.UserContext(), c.Params("tenant"), role)
	if err != nil {
		return err
	}
	if req.Revision != nil {
		err = s.deps.Tenants.SetPermissionsAt(c.UserContext(), c.Params("tenant"), role, req.Permissions, *req.Revision)
	} else {
		err = s.deps.Tenants.SetPermissions(c.UserContext(), c.Params("tenant"), role, req.Permissions)
	}
	if err != nil {
		return err
	}
	if err := s.auditTenant(c, audit.ActionPolicyChange, "role:"+role+"/permissions",
		map[string]any{"before": before, "after": req.Permissions}); err != nil {
		return err
	}
	return s.getPermissions(c)
}

// auditTenant appends an entry for the route's tenant by the caller.
func (s *Server) auditTenant(c *fiber.Ctx, action, object string, detail map[string]any) error {
	return s.appendAudit(c, c.Params("tenant"), principal(c).UserID, action, object, detail)
}

func queryLimit(c *fiber.Ctx) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, newAPIError(fiber.StatusBadRequest, "invalid_query", "limit must be a positive whole number.",
			FieldProblem{Path: "limit", Code: "type", Message: "must be a positive whole number"})
	}
	return n, nil
}

// checkRowScopes compiles each role row scope against the tenant's published form, so a
// scope that could never be applied is refused when it is saved rather than at read time.
func (s *Server) checkRowScopes(c *fiber.Ctx, path string, scopes map[string]string) error {
	var fields []FieldProblem
	for formKey, expr := range scopes {
		f, err := s.deps.Forms.Form(c.UserContext(), c.Params("tenant"), formKey)
		if err == nil {
			err = form.CheckRowScope(formKey, expr, f)
		}
		if err == nil {
			continue
		}
		var de *form.DefinitionError
		switch {
		case errors.As(err, &de):
			for _, p := range de.Problems {
				fields = append(fields, FieldProblem{Path: path + "/" + formKey, Code: p.Code, Message: p.Message})
			}
		case errors.Is(err, form.ErrFormNotFound):
			fields = append(fields, FieldProblem{Path: path + "/" + formKey, Code: "unknown_form", Message: "no published form has this key"})
		default:
			return err
		}
	}
	if len(fields) > 0 {
		return newAPIError(fiber.StatusUnprocessableEntity, "validation_failed", "A row scope cannot be applied; see fields.", fields...)
	}
	return nil
}
