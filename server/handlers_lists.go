package server

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/tenants"
)

// objLists is the administration area of the tenant's lists (blacklists, watch lists).
const objLists = "admin:lists"

var errListsDisabled = newAPIError(fiber.StatusServiceUnavailable, "lists_disabled", "Lists are not enabled on this server.")

// listsOn answers 503 on the list routes of a server started without a list service.
func (s *Server) listsOn(c *fiber.Ctx) error {
	if s.deps.Lists == nil {
		return errListsDisabled
	}
	return c.Next()
}

// listActor is who changes a list, as the audit log records it.
func listActor(c *fiber.Ctx) list.Actor {
	return list.Actor{UserID: principal(c).UserID, Client: c.IP(), RequestID: requestID(c)}
}

// listValue is the :value path segment decoded: values may hold "/", spaces or any
// other character, which clients percent-encode.
func listValue(c *fiber.Ctx) (string, error) {
	v, err := url.PathUnescape(c.Params("value"))
	if err != nil {
		return "", newAPIError(fiber.StatusBadRequest, "invalid_query", "The value in the path is not correctly percent-encoded.",
			FieldProblem{Path: "value", Code: "format", Message: "must be percent-encoded"})
	}
	return v, nil
}

func (s *Server) listLists(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objLists, tenants.ActionRead); err != nil {
		return err
	}
	ls, err := s.deps.Lists.Lists(c.UserContext(), c.Params("tenant"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"lists": ls})
}

func (s *Server) listEntries(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objLists, tenants.ActionRead); err != nil {
		return err
	}
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	page, err := s.deps.Lists.Entries(c.UserContext(), c.Params("tenant"), c.Params("list"), c.Query("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

type addToListRequest struct {
	Values []list.Entry `json:"values"`
}

func (s *Server) addToList(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objLists, tenants.ActionCreate); err != nil {
		return err
	}
	var req addToListRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	res, err := s.deps.Lists.Add(c.UserContext(), c.Params("tenant"), c.Params("list"), req.Values, listActor(c))
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Server) getListEntry(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objLists, tenants.ActionRead); err != nil {
		return err
	}
	v, err := listValue(c)
	if err != nil {
		return err
	}
	it, err := s.deps.Lists.Get(c.UserContext(), c.Params("tenant"), c.Params("list"), v)
	if err != nil {
		return err
	}
	return c.JSON(it)
}

func (s *Server) removeFromList(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objLists, tenants.ActionDelete); err != nil {
		return err
	}
	v, err := listValue(c)
	if err != nil {
		return err
	}
	if err := s.deps.Lists.Remove(c.UserContext(), c.Params("tenant"), c.Params("list"), v, listActor(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
