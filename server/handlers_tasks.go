package server

import (
	"errors"
	"maps"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/tenants"
)

// objTasks is the administration area of every task of the tenant (the "all" inbox).
const objTasks = "admin:tasks"

var errFlowsDisabled = newAPIError(fiber.StatusServiceUnavailable, "flows_disabled", "Flows are not enabled on this server.")

// flowsOn answers 503 on the flow routes of a server started without a flow engine.
func (s *Server) flowsOn(c *fiber.Ctx) error {
	if s.deps.Flows == nil {
		return errFlowsDisabled
	}
	return c.Next()
}

// listTasks is the task inbox: mine (offered to me or one of my roles, or mine by claim),
// my team's (my roles'), or, for those who may see every task, all.
func (s *Server) listTasks(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	q := flow.InboxQuery{Scope: c.Query("scope", "mine"), Status: c.Query("status"), Overdue: c.QueryBool("overdue"),
		RecordID: c.Query("record"), Cursor: c.Query("cursor")}
	if q.Scope == "all" {
		if err := s.require(c, tenants.ScopeRecordsRead, objTasks, tenants.ActionRead); err != nil {
			return err
		}
	}
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	q.Limit = limit
	page, err := s.deps.Flows.Inbox(c.UserContext(), s.actor(c), q)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, t := range page.Tasks {
		taskPeople(ids, t)
	}
	people, err := s.people(c.UserContext(), c.Params("tenant"), ids)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"tasks": page.Tasks, "next": page.Next, "people": people})
}

// taskAnswer is a task with the names of the people it refers to.
type taskAnswer struct {
	*flow.Task
	People map[string]string `json:"people"`
}

func (s *Server) answerTask(c *fiber.Ctx, t *flow.Task) error {
	ids := map[string]bool{}
	taskPeople(ids, t)
	people, err := s.people(c.UserContext(), c.Params("tenant"), ids)
	if err != nil {
		return err
	}
	return c.JSON(taskAnswer{Task: t, People: people})
}

func (s *Server) taskCounts(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	n, err := s.deps.Flows.Counts(c.UserContext(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(n)
}

// visibleTask returns the task if the caller may read its record (row scope included);
// a task on a record the caller cannot see does not exist for them.
func (s *Server) visibleTask(c *fiber.Ctx) (*flow.Task, error) {
	t, err := s.deps.Flows.Task(c.UserContext(), c.Params("tenant"), c.Params("id"))
	if err != nil {
		return nil, err
	}
	if _, err := s.deps.Forms.DataForEvaluation(c.UserContext(), s.actor(c), t.Form, t.RecordID); err != nil {
		if errors.Is(err, form.ErrForbidden) {
			return nil, errNotFound
		}
		return nil, err
	}
	return t, nil
}

func (s *Server) getTask(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	t, err := s.visibleTask(c)
	if err != nil {
		return err
	}
	return s.answerTask(c, t)
}

// actOnTask claims, decides, returns, reassigns, delegates or comments a task. Field
// edits carried by a decision need the caller's write right on each field as well as
// the node's editable list, so a task never widens what its assignee may change.
func (s *Server) actOnTask(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	var act flow.Action
	if err := decodeStrict(c, &act); err != nil {
		return err
	}
	t, err := s.visibleTask(c)
	if err != nil {
		return err
	}
	if len(act.Fields) > 0 {
		m, err := s.deps.Forms.Mask(c.UserContext(), s.actor(c), t.Form)
		if err != nil {
			return err
		}
		var denied []FieldProblem
		for _, f := range slices.Sorted(maps.Keys(act.Fields)) {
			switch {
			case !m.CanWrite(f):
				denied = append(denied, FieldProblem{Path: "/fields/" + f, Code: "forbidden", Message: "you may not change this field"})
			case !m.WritesWhole(f):
				// A task's edit replaces the value; rows of a table the caller writes only
				// in part are edited on the record, where the untouched columns are kept.
				denied = append(denied, FieldProblem{Path: "/fields/" + f, Code: "forbidden",
					Message: "you may change only some columns of this table; edit it on the record"})
			}
		}
		if len(denied) > 0 {
			return newAPIError(fiber.StatusForbidden, "forbidden", "You may not change some of these fields; see fields.", denied...)
		}
	}
	done, err := s.deps.Flows.Act(c.UserContext(), s.actor(c), t.ID, act)
	if err != nil {
		return err
	}
	return s.answerTask(c, done)
}

// recordFlows answers what happened to a record in its flows: the instances and, step
// by step, who did what, when and how long it took.
func (s *Server) recordFlows(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	tenant, formKey, id := c.Params("tenant"), c.Params("form"), c.Params("id")
	if _, err := s.deps.Forms.DataForEvaluation(c.UserContext(), s.actor(c), formKey, id); err != nil {
		return err
	}
	inst, err := s.deps.Flows.Instances(c.UserContext(), tenant, id)
	if err != nil {
		return err
	}
	steps, err := s.deps.Flows.History(c.UserContext(), tenant, id)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, st := range steps {
		ids[st.Actor] = true
	}
	for _, in := range inst {
		ids[in.StartedBy] = true
	}
	people, err := s.people(c.UserContext(), tenant, ids)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"instances": inst, "history": steps, "people": people})
}

// startFlow starts a flow on a record by hand; it needs the right to update the record.
func (s *Server) startFlow(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	formKey, id := c.Params("form"), c.Params("id")
	m, err := s.deps.Forms.Mask(c.UserContext(), s.actor(c), formKey)
	if err != nil {
		return err
	}
	if !m.Can(form.ActUpdate) {
		return errForbidden
	}
	data, err := s.deps.Forms.DataForEvaluation(c.UserContext(), s.actor(c), formKey, id)
	if err != nil {
		return err
	}
	inst, err := s.deps.Flows.Start(c.UserContext(), s.actor(c), c.Params("flow"), id, data)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(inst)
}
