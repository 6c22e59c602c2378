package server

import (
	"encoding/json"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/automation"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/tenants"
)

// objWebhooks is the administration area of the tenant's webhook signing secret.
const objWebhooks = "admin:webhooks"

var errRulesDisabled = newAPIError(fiber.StatusServiceUnavailable, "rules_disabled", "Rules are not enabled on this server.")

// dryRunRequest names the rule and the record; Definition, when given, is a rule set not
// yet published (the editor's draft) to try instead of the published one.
type dryRunRequest struct {
	Rule       string          `json:"rule"`
	RecordID   string          `json:"record_id"`
	Definition json.RawMessage `json:"definition,omitempty"`
}

// dryRunRule evaluates one rule against one stored record and says which conditions
// held and what it would do, changing nothing. It takes the right to edit definitions
// (whoever writes rules) and the right to read the record.
func (s *Server) dryRunRule(c *fiber.Ctx) error {
	if s.deps.Rules == nil {
		return errRulesDisabled
	}
	if err := s.require(c, tenants.ScopeDefinitionsWrite, objDefinitions, tenants.ActionUpdate); err != nil {
		return err
	}
	var req dryRunRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	var missing []FieldProblem
	if req.Rule == "" {
		missing = append(missing, FieldProblem{Path: "/rule", Code: "required", Message: "names the rule to try"})
	}
	if req.RecordID == "" {
		missing = append(missing, FieldProblem{Path: "/record_id", Code: "required", Message: "names the record to try it on"})
	}
	if len(missing) > 0 {
		return newAPIError(fiber.StatusUnprocessableEntity, "validation_failed", "The request is not valid; see fields.", missing...)
	}
	ctx, tenant, formKey := c.UserContext(), c.Params("tenant"), c.Params("form")
	var set *rule.Set
	var err error
	if len(req.Definition) > 0 {
		set, err = s.deps.Rules.Compile(ctx, tenant, formKey, req.Definition)
	} else if set, _, err = s.deps.Rules.Set(ctx, tenant, formKey); err == nil && set == nil {
		return newAPIError(fiber.StatusNotFound, "not_found", "This form has no published rules; send the draft as definition.")
	}
	if err != nil {
		return err
	}
	data, err := s.deps.Forms.DataForEvaluation(ctx, s.actor(c), formKey, req.RecordID)
	if err != nil {
		return err
	}
	res, err := set.DryRun(req.Rule, data)
	if errors.Is(err, rule.ErrUnknownRule) {
		return newAPIError(fiber.StatusUnprocessableEntity, "unknown_rule", "The rule set has no rule with that key.",
			FieldProblem{Path: "/rule", Code: "unknown_rule", Message: "names no rule of this form's rule set"})
	}
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// listRuleRuns answers why automation did what it did to a record: the rules that fired,
// with their lineage. It needs the right to read the record.
func (s *Server) listRuleRuns(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	formKey, id := c.Params("form"), c.Params("id")
	if _, err := s.deps.Forms.DataForEvaluation(c.UserContext(), s.actor(c), formKey, id); err != nil {
		return err
	}
	sc, err := s.deps.Backend.Scope(c.Params("tenant"))
	if err != nil {
		return err
	}
	runs, err := automation.Runs(c.UserContext(), sc, formKey, id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"runs": runs})
}

// listNotifications lists the caller's in-app notifications, newest first.
func (s *Server) listNotifications(c *fiber.Ctx) error {
	sc, err := s.deps.Backend.Scope(c.Params("tenant"))
	if err != nil {
		return err
	}
	list, err := automation.Notifications(c.UserContext(), sc, s.actor(c), c.QueryBool("unread"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"notifications": list})
}

func (s *Server) readNotification(c *fiber.Ctx) error {
	sc, err := s.deps.Backend.Scope(c.Params("tenant"))
	if err != nil {
		return err
	}
	err = automation.MarkRead(c.UserContext(), sc, s.actor(c), c.Params("id"))
	if errors.Is(err, automation.ErrNotYours) {
		return errNotFound // someone else's notification is none of the caller's business
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// webhookSecret shows the tenant's webhook signing secret to its administrators, who
// configure their receivers with it.
func (s *Server) webhookSecret(c *fiber.Ctx) error {
	if s.deps.Webhooks == nil {
		return errRulesDisabled
	}
	if err := s.require(c, tenants.ScopeAdmin, objWebhooks, tenants.ActionRead); err != nil {
		return err
	}
	secret, err := s.deps.Webhooks.SigningSecret(c.UserContext(), c.Params("tenant"))
	if err != nil {
		return err
	}
	// Seeing the secret lets one forge Credo's webhooks: who saw it is on record.
	if err := s.auditTenant(c, audit.ActionView, objWebhooks, map[string]any{"signing_secret": true}); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"secret": secret, "header": "Credo-Signature",
		"scheme": "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">"})
}
