package flow

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// newLoan stores a loan application and returns its id.
func (h *harness) newLoan() string {
	h.t.Helper()
	id, _ := h.records.put(h.t, h.tenant, "loan_application", loanRecord(1000))
	return id
}

func TestCreateTaskForARole(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	recID := h.newLoan()
	due := h.clock.Now().Add(4 * time.Hour)
	tk, err := h.engine.CreateTask(ctx, h.tenant, NewTask{Form: "loan_application", RecordID: recID, Role: "risk_reviewer",
		Title: Localized{"zh-CN": "复核联系人", "en": "Review contact"}, Due: due, Source: "rule:contact_check"})
	require.NoError(t, err)
	assert.Empty(t, tk.Instance)
	assert.Equal(t, NodeTask, tk.Kind)
	assert.Equal(t, TaskOpen, tk.Status)
	assert.Equal(t, []string{"role:risk_reviewer"}, tk.Audience)
	assert.Equal(t, "rule:contact_check", tk.Source)
	require.NotNil(t, tk.DueAt)
	assert.True(t, due.Equal(*tk.DueAt))
	stored, err := h.engine.Task(ctx, h.tenant, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, stored, "the task returned is the task stored")

	rr := h.actor("rr1", "risk_reviewer")
	mine, err := h.engine.Inbox(ctx, rr, InboxQuery{})
	require.NoError(t, err)
	require.Len(t, mine.Tasks, 1)
	assert.Equal(t, tk.ID, mine.Tasks[0].ID)
	counts, err := h.engine.Counts(ctx, rr)
	require.NoError(t, err)
	assert.Equal(t, TaskCounts{Open: 1}, counts)
	other, err := h.engine.Counts(ctx, h.actor("clerk", "clerk"))
	require.NoError(t, err)
	assert.Equal(t, TaskCounts{}, other)

	// Past its due time it is overdue, and nothing else happens: no timer acts on it.
	h.clock.Advance(4*time.Hour + time.Minute)
	assert.Zero(t, h.poll().Fired)
	counts, err = h.engine.Counts(ctx, rr)
	require.NoError(t, err)
	assert.Equal(t, TaskCounts{Open: 1, Overdue: 1}, counts)
	overdue, err := h.engine.Inbox(ctx, rr, InboxQuery{Overdue: true})
	require.NoError(t, err)
	require.Len(t, overdue.Tasks, 1)
	assert.True(t, overdue.Tasks[0].Overdue(h.clock.Now()))

	// Claim, comment, reassign (by a supervisor), delegate, then complete.
	_, err = h.engine.Act(ctx, h.actor("x1", "clerk"), tk.ID, Action{Kind: ActClaim})
	require.ErrorIs(t, err, ErrForbidden, "not a candidate")
	got, err := h.engine.Act(ctx, rr, tk.ID, Action{Kind: ActClaim, Version: tk.Version})
	require.NoError(t, err)
	assert.Equal(t, "rr1", got.Assignee)
	_, err = h.engine.Act(ctx, h.actor("rr2", "risk_reviewer"), tk.ID, Action{Kind: ActClaim})
	require.ErrorIs(t, err, ErrConflict, "claimed by another")
	got, err = h.engine.Act(ctx, rr, tk.ID, Action{Kind: ActComment, Comment: "电话无人接听"})
	require.NoError(t, err)
	require.Len(t, got.Comments, 1)
	got, err = h.engine.Act(ctx, h.actor("lead", "team_lead"), tk.ID, Action{Kind: ActReassign, To: "user:rr2"})
	require.NoError(t, err)
	assert.Equal(t, "rr2", got.Assignee)
	got, err = h.engine.Act(ctx, h.actor("rr2"), tk.ID, Action{Kind: ActDelegate, To: "rr3"})
	require.NoError(t, err)
	assert.Equal(t, "rr3", got.Assignee)
	assert.Equal(t, "rr2", got.Owner)

	// Its one decision is complete, and it edits no fields.
	var ae *ActError
	_, err = h.engine.Act(ctx, h.actor("rr3"), tk.ID, Action{Kind: ActApprove})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "/kind", ae.Problems[0].Path)
	assert.Equal(t, "decision", ae.Problems[0].Code)
	_, err = h.engine.Act(ctx, h.actor("rr3"), tk.ID, Action{Kind: ActReturn, To: "intake"})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "/kind", ae.Problems[0].Path)
	_, err = h.engine.Act(ctx, h.actor("rr3"), tk.ID, Action{Kind: ActComplete,
		Fields: map[string]any{"amount": 1.0, "position": "x"}})
	require.ErrorAs(t, err, &ae)
	require.Len(t, ae.Problems, 2)
	assert.Equal(t, "/fields/amount", ae.Problems[0].Path)
	assert.Equal(t, "/fields/position", ae.Problems[1].Path)
	assert.Equal(t, "not_editable", ae.Problems[0].Code)
	assert.Equal(t, "1000", h.records.get(t, h.tenant, "loan_application", recID)["amount"].(interface{ String() string }).String(),
		"the refused edit changed nothing")

	h.clock.Advance(30 * time.Minute)
	done, err := h.engine.Act(ctx, h.actor("rr3"), tk.ID, Action{Kind: ActComplete, Comment: "已联系"})
	require.NoError(t, err)
	assert.Equal(t, TaskCompleted, done.Status)
	assert.Equal(t, DecisionComplete, done.Outcome)
	assert.Equal(t, "rr3", done.DecidedBy)
	_, err = h.engine.Act(ctx, h.actor("rr3"), tk.ID, Action{Kind: ActComplete})
	require.ErrorIs(t, err, ErrClosed)
	counts, err = h.engine.Counts(ctx, h.actor("rr3"))
	require.NoError(t, err)
	assert.Equal(t, TaskCounts{}, counts)

	created := h.eventsOf(EventTaskCreated)
	require.Len(t, created, 1)
	assert.Equal(t, form.RecordObject("loan_application", recID), created[0]["subject"])
	body := created[0]["data"].(map[string]any)
	assert.Equal(t, tk.ID, body["task"])
	assert.Equal(t, "rule:contact_check", body["source"])
	assert.NotContains(t, body, "instance", "no flow instance")
	ev := h.eventTypes()
	assert.Equal(t, 1, ev[EventTaskClaimed])
	assert.Equal(t, 1, ev[EventTaskCommented])
	assert.Equal(t, 2, ev[EventTaskAssigned])
	assert.Equal(t, 1, ev[EventTaskCompleted])

	hist, err := h.engine.History(ctx, h.tenant, recID)
	require.NoError(t, err)
	var actions []string
	for _, s := range hist {
		assert.Equal(t, tk.ID, s.Task)
		assert.Empty(t, s.Instance)
		actions = append(actions, s.Action)
	}
	assert.Equal(t, []string{"created", ActClaim, ActComment, ActReassign, ActDelegate, ActComplete}, actions)
	assert.Equal(t, "rule:contact_check", hist[0].Detail["source"])
	assert.Equal(t, 4*time.Hour+time.Minute+30*time.Minute, hist[len(hist)-1].Duration, "how long the task waited")
}

func TestCreateTaskForAUser(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	tk, err := h.engine.CreateTask(ctx, h.tenant, NewTask{Form: "loan_application", RecordID: h.newLoan(), User: "u-7",
		Title: Localized{"en": "Call the applicant"}})
	require.NoError(t, err)
	assert.Equal(t, "u-7", tk.Assignee)
	assert.Nil(t, tk.DueAt)
	mine, err := h.engine.Inbox(ctx, h.actor("u-7"), InboxQuery{})
	require.NoError(t, err)
	require.Len(t, mine.Tasks, 1)
	_, err = h.engine.Act(ctx, h.actor("u-8", "risk_reviewer"), tk.ID, Action{Kind: ActComplete})
	require.ErrorIs(t, err, ErrForbidden)
	_, err = h.engine.Act(ctx, h.actor("u-7"), tk.ID, Action{Kind: ActComplete})
	require.NoError(t, err)
}

func TestCreateTaskIsIdempotentByID(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	recID := h.newLoan()
	nt := NewTask{ID: "0190f0aa-1b2c-7d3e-8f40-5a6b7c8d9e0f~rule:contact_check~0", Form: "loan_application",
		RecordID: recID, Role: "risk_reviewer", Title: Localized{"en": "Review"}}
	first, err := h.engine.CreateTask(ctx, h.tenant, nt)
	require.NoError(t, err)
	assert.Equal(t, nt.ID, first.ID)
	again, err := h.engine.CreateTask(ctx, h.tenant, nt)
	require.NoError(t, err)
	assert.Equal(t, first, again)
	assert.Equal(t, 1, h.eventTypes()[EventTaskCreated], "opened once")
	page, err := h.engine.Inbox(ctx, h.actor("admin"), InboxQuery{Scope: ScopeAll, Status: "any"})
	require.NoError(t, err)
	assert.Len(t, page.Tasks, 1)

	// The same id for another record is refused, located at the id.
	nt.RecordID = h.newLoan()
	_, err = h.engine.CreateTask(ctx, h.tenant, nt)
	var ae *ActError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "/id", ae.Problems[0].Path)
	assert.Equal(t, "task_id_taken", ae.Problems[0].Code)
}

func TestCreateTaskJoinsTheCallersTransaction(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	recID := h.newLoan()
	sc := h.scope()
	nt := NewTask{Form: "loan_application", RecordID: recID, Role: "risk_reviewer", Title: Localized{"en": "Review"}}
	errLater := errors.New("a later action failed")
	err := sc.WithTx(ctx, func(ctx context.Context) error {
		_, err := h.engine.CreateTask(ctx, h.tenant, nt)
		require.NoError(t, err)
		return errLater
	})
	require.ErrorIs(t, err, errLater)
	page, err := h.engine.Inbox(ctx, h.actor("admin"), InboxQuery{Scope: ScopeAll, Status: "any"})
	require.NoError(t, err)
	assert.Empty(t, page.Tasks, "rolled back with the caller's transaction")
	assert.Zero(t, h.eventTypes()[EventTaskCreated])
	hist, err := h.engine.History(ctx, h.tenant, recID)
	require.NoError(t, err)
	assert.Empty(t, hist)

	var id string
	require.NoError(t, sc.WithTx(ctx, func(ctx context.Context) error {
		tk, err := h.engine.CreateTask(ctx, h.tenant, nt)
		if err == nil {
			id = tk.ID
		}
		return err
	}))
	got, err := h.engine.Task(ctx, h.tenant, id)
	require.NoError(t, err)
	assert.Equal(t, TaskOpen, got.Status)
	assert.Equal(t, 1, h.eventTypes()[EventTaskCreated])
}

func TestCreateTaskRefusesBadInput(t *testing.T) {
	h := newHarness(t)
	recID := h.newLoan()
	valid := func() NewTask {
		return NewTask{Form: "loan_application", RecordID: recID, Role: "risk_reviewer", Title: Localized{"en": "Review"}}
	}
	cases := []struct {
		name   string
		edit   func(*NewTask)
		path   string
		code   string
		others int // further problems reported with the first
	}{
		{name: "no form", edit: func(t *NewTask) { t.Form = "" }, path: "/form", code: "form_key"},
		{name: "form key with a slash", edit: func(t *NewTask) { t.Form = "loan/x" }, path: "/form", code: "form_key"},
		{name: "no record", edit: func(t *NewTask) { t.RecordID = "" }, path: "/record_id", code: "required"},
		{name: "unknown record", edit: func(t *NewTask) { t.RecordID = store.NewID() }, path: "/record_id", code: "not_found"},
		{name: "nobody", edit: func(t *NewTask) { t.Role = "" }, path: "/role", code: "required"},
		{name: "role and user", edit: func(t *NewTask) { t.User = "u1" }, path: "", code: "oneOf"},
		{name: "role with a colon", edit: func(t *NewTask) { t.Role = "role:x" }, path: "/role", code: "principal"},
		{name: "user with a space", edit: func(t *NewTask) { t.Role, t.User = "", "a b" }, path: "/user", code: "principal"},
		{name: "no title", edit: func(t *NewTask) { t.Title = nil }, path: "/title", code: "required"},
		{name: "blank title", edit: func(t *NewTask) { t.Title = Localized{"en": "  "} }, path: "/title", code: "required"},
		{name: "long title", edit: func(t *NewTask) { t.Title = Localized{"en": string(make([]byte, MaxTaskTitle+1)) + "x"} }, path: "/title/en", code: "maxLength"},
		{name: "id with a slash", edit: func(t *NewTask) { t.ID = "a/b" }, path: "/id", code: "task_id"},
		{name: "two faults at once", edit: func(t *NewTask) { t.Form, t.Title = "", nil }, path: "/form", code: "form_key", others: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nt := valid()
			tc.edit(&nt)
			_, err := h.engine.CreateTask(context.Background(), h.tenant, nt)
			var ae *ActError
			require.ErrorAs(t, err, &ae)
			require.Len(t, ae.Problems, 1+tc.others, "%v", ae.Problems)
			assert.Equal(t, tc.path, ae.Problems[0].Path)
			assert.Equal(t, tc.code, ae.Problems[0].Code)
		})
	}
	page, err := h.engine.Inbox(context.Background(), h.actor("admin"), InboxQuery{Scope: ScopeAll, Status: "any"})
	require.NoError(t, err)
	assert.Empty(t, page.Tasks, "bad input changes nothing")
}

func TestCreateTaskWithoutRecordsTrustsTheCaller(t *testing.T) {
	h := newHarness(t)
	e := NewEngine(h.b, h.defs, Options{Clock: h.clock.Now})
	tk, err := e.CreateTask(context.Background(), h.tenant, NewTask{Form: "loan_application", RecordID: "r-1",
		User: "u1", Title: Localized{"en": "t"}})
	require.NoError(t, err)
	assert.Equal(t, "r-1", tk.RecordID)
}

func TestInboxPagesThroughManyTasks(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	recID := h.newLoan()
	var ids []string
	for range 120 {
		tk, err := h.engine.CreateTask(ctx, h.tenant, NewTask{Form: "loan_application", RecordID: recID, Role: "collector",
			Title: Localized{"en": "Call"}})
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}
	// Closed tasks stay out of the open inbox.
	_, err := h.engine.Act(ctx, h.actor("c1", "collector"), ids[0], Action{Kind: ActComplete})
	require.NoError(t, err)
	var got []string
	q := InboxQuery{Limit: 50}
	for {
		page, err := h.engine.Inbox(ctx, h.actor("c1", "collector"), q)
		require.NoError(t, err)
		for _, tk := range page.Tasks {
			got = append(got, tk.ID)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	assert.Equal(t, ids[1:], got, "every open task once, oldest first")
	done, err := h.engine.Inbox(ctx, h.actor("c1", "collector"), InboxQuery{Status: TaskCompleted})
	require.NoError(t, err)
	require.Len(t, done.Tasks, 1)
	assert.Equal(t, ids[0], done.Tasks[0].ID)
}
