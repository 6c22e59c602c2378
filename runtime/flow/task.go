package flow

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// NewTask is a task to open on a record outside any flow, as a rule's create_task
// action asks for one.
type NewTask struct {
	// Form and RecordID name the record the task is about.
	Form     string `json:"form"`
	RecordID string `json:"record_id"`
	// Role or User, exactly one, is who may take the task: one task offered to every
	// holder of the role until one claims it, or the user's own.
	Role string `json:"role,omitempty"`
	User string `json:"user,omitempty"`
	// Title is the task's name per locale ("zh-CN", "en"); at least one.
	Title Localized `json:"title"`
	// Due, when set, is when the task is due: past it the task counts as overdue in
	// Inbox and Counts. Nothing happens by itself when it runs out.
	Due time.Time `json:"due,omitzero"`
	// Source names what opened the task: "rule:<key>".
	Source string `json:"source,omitempty"`
	// ID, when set, is the task's id, chosen by the caller so that a retried call
	// opens the task once: creating a task with the same ID again returns the task the
	// first call opened. Letters, digits and ".", "_", "~", ":", "-", at most
	// MaxTaskIDLength bytes. Inbox lists tasks in id order, so an id that begins with a
	// time-ordered id (the triggering event's) keeps them in the order they opened.
	ID string `json:"id,omitempty"`
}

// Limits of a NewTask.
const (
	MaxTaskIDLength   = 200
	MaxTaskTitle      = 500 // bytes of one locale's title
	MaxTaskSource     = 200
	maxPrincipal      = 128
	maxRecordIDLength = 256
)

var taskIDRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._~:-]*$`)

// check validates a NewTask's shape before anything is read.
func (t *NewTask) check() error {
	var ps problems
	if !store.CollectionName(form.RecordsCollection(t.Form)) {
		ps.Add("/form", "form_key", "must name a form: lowercase letters, digits and underscores")
	}
	switch {
	case t.RecordID == "":
		ps.Add("/record_id", "required", "names the record the task is about")
	case len(t.RecordID) > maxRecordIDLength || !utf8.ValidString(t.RecordID):
		ps.Add("/record_id", "record_id", "must be a record id of at most %d bytes", maxRecordIDLength)
	}
	switch {
	case t.Role == "" && t.User == "":
		ps.Add("/role", "required", "names the role or the user the task is for")
	case t.Role != "" && t.User != "":
		ps.Add("", "oneOf", "a task is for a role or for a user, not both")
	case t.Role != "" && !validPrincipal(t.Role):
		ps.Add("/role", "principal", "must be a role id: no spaces or colons, at most %d bytes", maxPrincipal)
	case t.User != "" && !validPrincipal(t.User):
		ps.Add("/user", "principal", "must be a user id: no spaces or colons, at most %d bytes", maxPrincipal)
	}
	titled := false
	for _, loc := range sortedKeys(t.Title) {
		text := t.Title[loc]
		switch {
		case loc == "" || len(loc) > 35:
			ps.Add(ptr("/title", loc), "locale", "must be a locale such as zh-CN or en")
		case len(text) > MaxTaskTitle:
			ps.AddParams(ptr("/title", loc), "maxLength", map[string]any{"limit": MaxTaskTitle}, "is longer than %d bytes", MaxTaskTitle)
		}
		titled = titled || strings.TrimSpace(text) != ""
	}
	if !titled {
		ps.Add("/title", "required", "a task needs a title in at least one locale")
	}
	if len(t.Source) > MaxTaskSource || !utf8.ValidString(t.Source) {
		ps.AddParams("/source", "maxLength", map[string]any{"limit": MaxTaskSource}, "must be text of at most %d bytes", MaxTaskSource)
	}
	if t.ID != "" && (len(t.ID) > MaxTaskIDLength || !taskIDRe.MatchString(t.ID)) {
		ps.Add("/id", "task_id", "must be letters, digits and . _ ~ : -, at most %d bytes, starting with a letter or digit", MaxTaskIDLength)
	}
	if len(ps) > 0 {
		return &ActError{Problems: ps}
	}
	return nil
}

func validPrincipal(s string) bool {
	return len(s) <= maxPrincipal && utf8.ValidString(s) && !strings.ContainsAny(s, ": \t\r\n")
}

// CreateTask opens a task on a record outside any flow. It shows in Inbox and Counts
// like a flow's task, and is claimed, reassigned, delegated, commented and completed
// through Act; complete is its one decision, and it edits no fields. The task, its
// history step and its task.created event commit together, in the transaction ctx
// carries when it carries one (a rule's action, inside the delivery of its event).
// With Options.Records set, the record must exist. *ActError for a malformed NewTask,
// located by JSON pointers into it ("/role", "/title/en"), or for an ID another task
// already has.
func (e *Engine) CreateTask(ctx context.Context, tenant string, t NewTask) (*Task, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	sc, err := e.scope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	var out *Task
	err = inTx(ctx, sc, func(ctx context.Context) error {
		out = nil
		if t.ID != "" {
			existing, err := sameTask(ctx, sc, t)
			if err != nil || existing != nil {
				out = existing
				return err
			}
		}
		if err := e.recordExists(ctx, tenant, t.Form, t.RecordID); err != nil {
			return err
		}
		r := e.taskRun(ctx, sc, t.Form, t.RecordID)
		out, err = r.openTask(t)
		if err != nil {
			return err
		}
		return r.saveHistory()
	})
	if err != nil {
		return nil, fmt.Errorf("create task on %s/%s: %w", t.Form, t.RecordID, err)
	}
	return out, nil
}

// taskRun is a run of no instance, for the tasks opened outside any flow: its steps and
// events name the record only.
func (e *Engine) taskRun(ctx context.Context, sc store.Scope, formKey, recordID string) *run {
	return &run{e: e, ctx: ctx, sc: sc, now: e.now(), inst: &instanceDoc{Form: formKey, RecordID: recordID}}
}

// openTask inserts a task outside any flow with its history step and event.
func (r *run) openTask(t NewTask) (*Task, error) {
	aud, roles := []string{userPrefix + t.User}, []string(nil)
	if t.Role != "" {
		aud, roles = []string{rolePrefix + t.Role}, []string{t.Role}
	}
	td := &taskDoc{Kind: NodeTask, Mode: ModeAny, Name: t.Title, Form: t.Form, RecordID: t.RecordID,
		Status: TaskOpen, Candidates: aud, Audience: aud, Roles: roles, Assignee: t.User, Source: t.Source,
		CreatedAt: r.ms()}
	if !t.Due.IsZero() {
		td.DueAt = t.Due.UnixMilli()
	}
	id := cmpOr(t.ID, store.NewID())
	if err := r.putTask(id, nil, td); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			err = errRetry // opened meanwhile under the same id: the next attempt finds it
		}
		return nil, err
	}
	if err := r.taskStep(id, td, "created", "", "", map[string]any{"source": t.Source}); err != nil {
		return nil, err
	}
	if err := r.emit(EventTaskCreated, map[string]any{"task": id, "audience": aud, "source": t.Source}); err != nil {
		return nil, err
	}
	return td.public(id, 1), nil
}

// sameTask returns the task a previous CreateTask opened with t's ID, nil when there is
// none, and an *ActError when the ID is another task's.
func sameTask(ctx context.Context, sc store.Scope, t NewTask) (*Task, error) {
	doc, td, err := loadTask(ctx, sc, t.ID)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if td.Instance != "" || td.Form != t.Form || td.RecordID != t.RecordID {
		return nil, actError("/id", "task_id_taken", "is the id of another task")
	}
	return td.public(doc.ID, doc.Version), nil
}

// recordExists checks the record a task is about, when the engine reads records.
func (e *Engine) recordExists(ctx context.Context, tenant, formKey, id string) error {
	if e.opts.Records == nil {
		return nil
	}
	_, err := e.opts.Records.Read(ctx, tenant, formKey, id)
	if errors.Is(err, store.ErrNotFound) {
		return actError("/record_id", "not_found", "names no record of form %s", formKey)
	}
	if err != nil {
		return fmt.Errorf("read record %s: %w", id, err)
	}
	return nil
}

// decideOutsideFlow closes a task opened outside any flow: complete is its one
// decision, and no node declares fields it may edit.
func (r *run) decideOutsideFlow(doc *store.Doc, td *taskDoc, act Action, actor string) error {
	if act.Kind != ActComplete {
		return actError("/kind", "decision", "a task opened outside a flow is completed, not %s", pastTense(act.Kind))
	}
	if len(act.Fields) > 0 {
		var ps problems
		for _, k := range sortedKeys(act.Fields) {
			ps.Add(ptr("/fields", k), "not_editable", "a task opened outside a flow edits no fields")
		}
		return &ActError{Problems: ps}
	}
	return r.closeTask(doc, td, ActComplete, actor, act.Comment)
}

func pastTense(kind string) string {
	switch kind {
	case ActApprove:
		return "approved"
	case ActReject:
		return "rejected"
	}
	return "returned"
}
