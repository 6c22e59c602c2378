package server

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/tenants"
)

func (s *Server) listAudit(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objAudit, tenants.ActionRead); err != nil {
		return err
	}
	q := audit.ListQuery{ObjectPrefix: c.Query("object"), Actor: c.Query("actor"), Action: c.Query("action"), Cursor: c.Query("cursor")}
	var err error
	if q.Limit, err = queryLimit(c); err != nil {
		return err
	}
	if q.From, err = queryTime(c, "from"); err != nil {
		return err
	}
	if q.To, err = queryTime(c, "to"); err != nil {
		return err
	}
	sc, err := s.deps.Backend.Scope(c.Params("tenant"))
	if err != nil {
		return err
	}
	page, err := s.deps.Audit.List(c.UserContext(), sc, q)
	if err != nil {
		return err
	}
	masks := map[string]*form.FieldMask{}
	for _, e := range page.Entries {
		if err := s.redactEntry(c, e, masks); err != nil {
			return err
		}
	}
	return c.JSON(fiber.Map{"entries": page.Entries, "next": page.Next})
}

// redactEntry removes from a record entry's diff and detail every field the viewer may
// not read and masks those they may read only masked: the audit log leaks nothing the
// records themselves would not show.
func (s *Server) redactEntry(c *fiber.Ctx, e *audit.Entry, masks map[string]*form.FieldMask) error {
	formKey, ok := recordForm(e.Object)
	if !ok {
		return nil
	}
	m, seen := masks[formKey]
	if !seen {
		var err error
		m, err = s.deps.Forms.Mask(c.UserContext(), s.actor(c), formKey)
		if err != nil && !errors.Is(err, form.ErrFormNotFound) {
			return err
		}
		masks[formKey] = m
	}
	if m == nil { // form gone: show the entry's skeleton only
		e.Diff, e.Detail = nil, nil
		return nil
	}
	if e.Diff != nil {
		e.Diff = m.RedactDiff(e.Diff)
	}
	for key, v := range e.Detail {
		names, ok := v.([]any)
		if !ok {
			continue
		}
		kept := names[:0]
		for _, n := range names {
			if name, ok := n.(string); !ok || m.Known(name) {
				kept = append(kept, n)
			}
		}
		e.Detail[key] = kept
	}
	return nil
}

// recordForm extracts the form key of "form:<key>/record:<id>".
func recordForm(object string) (string, bool) {
	rest, ok := strings.CutPrefix(object, "form:")
	if !ok {
		return "", false
	}
	key, _, ok := strings.Cut(rest, "/record:")
	return key, ok
}

func (s *Server) verifyAudit(c *fiber.Ctx) error {
	if err := s.require(c, tenants.ScopeAdmin, objAudit, tenants.ActionRead); err != nil {
		return err
	}
	sc, err := s.deps.Backend.Scope(c.Params("tenant"))
	if err != nil {
		return err
	}
	r, err := audit.Verify(c.UserContext(), sc)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ok": r.OK(), "entries": r.Entries, "head_seq": r.HeadSeq, "head_hash": r.HeadHash, "problems": r.Problems})
}

func queryTime(c *fiber.Ctx, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, newAPIError(fiber.StatusBadRequest, "invalid_query", name+" must be an RFC 3339 time such as 2026-11-23T09:00:00Z.",
			FieldProblem{Path: name, Code: "format", Message: "must be an RFC 3339 time"})
	}
	return t, nil
}
