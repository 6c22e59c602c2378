package server

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/tenants"
)

// actor is who the runtime sees acting: the caller, with the request's client and id.
func (s *Server) actor(c *fiber.Ctx) form.Actor {
	p := principal(c)
	return form.Actor{Tenant: p.Tenant, UserID: p.UserID, Roles: p.Roles, Attrs: p.Attrs,
		Client: c.IP(), RequestID: requestID(c)}
}

func (s *Server) needScope(c *fiber.Ctx, scope string) error {
	if !principal(c).HasScope(scope) {
		return errForbidden
	}
	return nil
}

// listForms lists the published forms the caller may read or fill in, each with what
// the caller may do and see on it: the menu of a person without the right to the
// definitions themselves.
func (s *Server) listForms(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	defs, err := s.deps.Builder.List(c.UserContext(), c.Params("tenant"), builder.KindForm)
	if err != nil {
		return err
	}
	out := make([]*form.Access, 0, len(defs))
	for _, d := range defs {
		if d.Latest == 0 {
			continue
		}
		acc, err := s.deps.Forms.Access(c.UserContext(), s.actor(c), d.Key)
		if err != nil {
			return err
		}
		if acc.Read || acc.Create {
			acc.Schema, acc.Layout = nil, nil // the menu draws no entry form
			out = append(out, acc)
		}
	}
	return c.JSON(fiber.Map{"forms": out})
}

func (s *Server) formAccess(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	a, err := s.deps.Forms.Access(c.UserContext(), s.actor(c), c.Params("form"))
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) createRecord(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	data, err := decodeObject(c)
	if err != nil {
		return err
	}
	r, err := s.deps.Forms.Create(c.UserContext(), s.actor(c), c.Params("form"), data)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) getRecord(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	r, err := s.deps.Forms.Get(c.UserContext(), s.actor(c), c.Params("form"), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) listRecords(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	q, err := queryOf(c)
	if err != nil {
		return err
	}
	q.Cursor = c.Query("cursor")
	if q.Limit, err = queryLimit(c); err != nil {
		return err
	}
	return s.list(c, q)
}

// queryOf reads a list's filter (JSON), sort ("-amount,name") and fields ("a,b") from
// the URL, as the list and export routes take them.
func queryOf(c *fiber.Ctx) (form.ListQuery, error) {
	var q form.ListQuery
	if raw := c.Query("filter"); raw != "" {
		f, err := parseFilter([]byte(raw))
		if err != nil {
			return q, err
		}
		q.Filter = f
	}
	q.Sort = parseSort(c.Query("sort"))
	if f := c.Query("fields"); f != "" {
		q.Fields = strings.Split(f, ",")
	}
	return q, nil
}

type searchRequest struct {
	Filter json.RawMessage `json:"filter"`
	Sort   []store.Sort    `json:"sort"`
	Limit  int             `json:"limit"`
	Cursor string          `json:"cursor"`
	Fields []string        `json:"fields"`
}

func (s *Server) searchRecords(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	var req searchRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	q := form.ListQuery{Sort: req.Sort, Limit: req.Limit, Cursor: req.Cursor, Fields: req.Fields}
	if len(req.Filter) > 0 && string(req.Filter) != "null" {
		f, err := parseFilter(req.Filter)
		if err != nil {
			return err
		}
		q.Filter = f
	}
	return s.list(c, q)
}

func (s *Server) list(c *fiber.Ctx, q form.ListQuery) error {
	page, err := s.deps.Forms.List(c.UserContext(), s.actor(c), c.Params("form"), q)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

type updateRecordRequest struct {
	Version int64          `json:"version"`
	Data    map[string]any `json:"data"`
}

func (s *Server) updateRecord(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	var req updateRecordRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	if req.Version < 1 || req.Data == nil {
		return newAPIError(fiber.StatusUnprocessableEntity, "validation_failed", "Send the version you read and the fields to change.",
			FieldProblem{Path: "/version", Code: "required", Message: "must be the record version you read (from 1)"})
	}
	r, err := s.deps.Forms.Update(c.UserContext(), s.actor(c), c.Params("form"), c.Params("id"), req.Version, req.Data)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) deleteRecord(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	var version int64
	if v := c.Query("version"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return newAPIError(fiber.StatusBadRequest, "invalid_query", "version must be a whole number from 1.",
				FieldProblem{Path: "version", Code: "type", Message: "must be a whole number from 1"})
		}
		version = n
	}
	if err := s.deps.Forms.Delete(c.UserContext(), s.actor(c), c.Params("form"), c.Params("id"), version); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// parseFilter reads a filter tree; numbers stay exact.
func parseFilter(raw []byte) (*store.Filter, error) {
	if err := checkShape(raw); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var f store.Filter
	if err := dec.Decode(&f); err != nil {
		return nil, newAPIError(fiber.StatusBadRequest, "invalid_query", "The filter is not a valid filter tree: "+err.Error(),
			FieldProblem{Path: "filter", Code: "malformed", Message: "must be a filter tree: {field, op, value} or {and|or: [...]} or {not: ...}"})
	}
	return &f, nil
}

// parseSort reads "-amount,applicant_name" (minus for descending).
func parseSort(v string) []store.Sort {
	if v == "" {
		return nil
	}
	var out []store.Sort
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		desc := strings.HasPrefix(part, "-")
		out = append(out, store.Sort{Field: strings.TrimPrefix(part, "-"), Desc: desc})
	}
	return out
}
