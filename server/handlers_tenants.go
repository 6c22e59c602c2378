package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/tenants"
)

func (s *Server) createTenant(c *fiber.Ctx) error {
	var in tenants.TenantInput
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	t, err := s.deps.Tenants.CreateTenant(c.UserContext(), in)
	if err != nil {
		return err
	}
	if err := s.appendAudit(c, store.PlatformTenant, principal(c).UserID, audit.ActionCreate, "tenant:"+t.Slug, nil); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(t)
}

func (s *Server) listTenants(c *fiber.Ctx) error {
	ts, err := s.deps.Tenants.ListTenants(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"tenants": ts})
}

func (s *Server) getTenant(c *fiber.Ctx) error {
	t, err := s.deps.Tenants.GetTenant(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(t)
}

type updateTenantRequest struct {
	Status string `json:"status"`
}

func (s *Server) updateTenant(c *fiber.Ctx) error {
	var req updateTenantRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	slug := c.Params("slug")
	if err := s.deps.Tenants.SetTenantStatus(c.UserContext(), slug, req.Status); err != nil {
		return err
	}
	if err := s.appendAudit(c, store.PlatformTenant, principal(c).UserID, audit.ActionUpdate, "tenant:"+slug,
		map[string]any{"status": req.Status}); err != nil {
		return err
	}
	return s.getTenant(c)
}
