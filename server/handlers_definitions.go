package server

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/schemas"
	"github.com/credolabs/credo/tenants"
)

func (s *Server) listDefinitions(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsRead, objDefinitions, tenants.ActionRead); err != nil {
		return err
	}
	defs, err := s.deps.Builder.List(c.UserContext(), c.Params("tenant"), c.Params("kind"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"definitions": defs})
}

func (s *Server) getDraft(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsRead, objDefinitions, tenants.ActionRead); err != nil {
		return err
	}
	d, err := s.deps.Builder.Draft(c.UserContext(), c.Params("tenant"), c.Params("kind"), c.Params("key"))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (s *Server) putDraft(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsWrite, objDefinitions, tenants.ActionUpdate); err != nil {
		return err
	}
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	d, err := s.deps.Builder.SaveDraft(c.UserContext(), s.actor(c), c.Params("kind"), c.Params("key"), body)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

type publishRequest struct {
	Note string `json:"note"`
}

func (s *Server) publish(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsWrite, objDefinitions, tenants.ActionPublish); err != nil {
		return err
	}
	var req publishRequest
	if len(c.Body()) > 0 {
		if err := decodeStrict(c, &req); err != nil {
			return err
		}
	}
	v, err := s.deps.Builder.Publish(c.UserContext(), s.actor(c), c.Params("kind"), c.Params("key"), req.Note)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (s *Server) listVersions(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsRead, objDefinitions, tenants.ActionRead); err != nil {
		return err
	}
	vs, err := s.deps.Builder.Versions(c.UserContext(), c.Params("tenant"), c.Params("kind"), c.Params("key"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"versions": vs})
}

func (s *Server) getVersion(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsRead, objDefinitions, tenants.ActionRead); err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("version"))
	if err != nil || n < 1 {
		return newAPIError(fiber.StatusBadRequest, "invalid_query", "The version must be a whole number from 1.",
			FieldProblem{Path: "version", Code: "type", Message: "must be a whole number from 1"})
	}
	v, err := s.deps.Builder.Version(c.UserContext(), c.Params("tenant"), c.Params("kind"), c.Params("key"), n)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

type rollbackRequest struct {
	To   int    `json:"to"`
	Note string `json:"note"`
}

func (s *Server) rollback(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsWrite, objDefinitions, tenants.ActionPublish); err != nil {
		return err
	}
	var req rollbackRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	if req.To < 1 {
		return newAPIError(fiber.StatusUnprocessableEntity, "validation_failed", "Say which version to roll back to.",
			FieldProblem{Path: "/to", Code: "minimum", Message: "must be a version number from 1"})
	}
	v, err := s.deps.Builder.Rollback(c.UserContext(), s.actor(c), c.Params("kind"), c.Params("key"), req.To, req.Note)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// listTemplatePacks lists the starter apps a tenant can install.
func (s *Server) listTemplatePacks(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsRead, objDefinitions, tenants.ActionRead); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"packs": schemas.TemplatePacks()})
}

// installTemplatePack publishes a starter app into the tenant: its forms, flows, rules
// and dashboards, each as a version the tenant can change or roll back like its own.
func (s *Server) installTemplatePack(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeDefinitionsWrite, objDefinitions, tenants.ActionPublish); err != nil {
		return err
	}
	got, err := s.deps.Builder.InstallPack(c.UserContext(), s.actor(c), c.Params("pack"))
	if errors.Is(err, schemas.ErrTemplateNotFound) {
		return newAPIError(fiber.StatusNotFound, "not_found", "No such template pack.")
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"installed": got})
}
