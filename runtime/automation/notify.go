package automation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/store"
)

// NotificationsCollection holds the in-app notifications of a tenant.
const NotificationsCollection = "notifications"

// Notification is one in-app message to a user or to everyone holding a role.
type Notification struct {
	ID string `json:"id"`
	// To is "user:<id>" or "role:<role>".
	To       string    `json:"to"`
	Template string    `json:"template"`
	Form     string    `json:"form"`
	Record   string    `json:"record"`
	Rule     string    `json:"rule"`
	At       time.Time `json:"at"`
	// Read reports whether the reader asking has marked it read.
	Read bool `json:"read"`
}

// notify carries out a notify action. In-app notifications are written with the
// delivery's transaction; webhooks are queued in it and sent by the webhook worker, so
// no HTTP call holds the store's writer.
func (e *Engine) notify(ctx context.Context, sc store.Scope, r *run, a rule.Action) error {
	id := runID(r.event, r.match.Rule) + "~" + fmt.Sprint(len(r.done))
	switch a.Channel {
	case rule.ChannelInApp:
		err := sc.Collection(NotificationsCollection).Insert(ctx, &store.Doc{ID: id, Data: map[string]any{
			"to": a.To, "template": a.Template, "form": r.change.Form, "record": r.change.ID, "rule": r.match.Rule,
			"at": r.at.Format(timeLayout), "read_by": []any{},
		}})
		if err != nil && !errors.Is(err, store.ErrDuplicate) {
			return err
		}
	case rule.ChannelWebhook:
		if e.o.Webhooks == nil {
			return ErrUnavailable
		}
		body, err := e.webhookBody(ctx, r, a)
		if err != nil {
			return err
		}
		if err := e.o.Webhooks.Enqueue(ctx, r.tenant, a.To, id, body); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown channel %q", a.Channel)
	}
	r.note(a.Type, a.Channel+" "+a.To)
	return nil
}

// webhookBody is what leaves Credo: the event, and of the record only its id and the
// fields that are not sensitive — a receiver that needs more asks the API with its own
// token, under its own permissions.
func (e *Engine) webhookBody(ctx context.Context, r *run, a rule.Action) (map[string]any, error) {
	f, err := e.o.Forms.Form(ctx, r.tenant, r.change.Form)
	if err != nil {
		return nil, err
	}
	fields := map[string]any{}
	for _, name := range f.Fields() {
		if v, ok := r.change.Data[name]; ok && !f.Sensitive(name) {
			fields[name] = v
		}
	}
	return map[string]any{"id": runID(r.event, r.match.Rule), "template": a.Template, "rule": r.match.Rule,
		"tenant": r.tenant, "form": r.change.Form, "record": r.change.ID, "at": r.at.Format(time.RFC3339Nano),
		"data": fields}, nil
}

// MaxNotifications is the most notifications one Notifications call returns.
const MaxNotifications = 200

// Notifications lists the newest notifications addressed to the actor or to one of the
// actor's roles.
func Notifications(ctx context.Context, sc store.Scope, a form.Actor, unreadOnly bool) ([]Notification, error) {
	to := []any{"user:" + a.UserID}
	for _, r := range a.Roles {
		to = append(to, "role:"+r)
	}
	page, err := sc.Collection(NotificationsCollection).Find(ctx, store.Query{
		Filter: store.In("to", to...), Sort: []store.Sort{{Field: "at", Desc: true}}, Limit: MaxNotifications})
	if err != nil {
		return nil, err
	}
	out := make([]Notification, 0, len(page.Docs))
	for _, d := range page.Docs {
		n := Notification{ID: d.ID}
		n.To, _ = d.Data["to"].(string)
		n.Template, _ = d.Data["template"].(string)
		n.Form, _ = d.Data["form"].(string)
		n.Record, _ = d.Data["record"].(string)
		n.Rule, _ = d.Data["rule"].(string)
		at, _ := d.Data["at"].(string)
		n.At, _ = time.Parse(time.RFC3339Nano, at)
		n.Read = slices.Contains(stringsIn(d.Data["read_by"]), a.UserID)
		if unreadOnly && n.Read {
			continue
		}
		out = append(out, n)
	}
	return out, nil
}

// ErrNotYours means a notification is addressed neither to the reader nor to a role of theirs.
var ErrNotYours = errors.New("automation: notification not addressed to you")

// MarkRead marks a notification read for the actor.
func MarkRead(ctx context.Context, sc store.Scope, a form.Actor, id string) error {
	coll := sc.Collection(NotificationsCollection)
	return sc.WithTx(ctx, func(ctx context.Context) error {
		d, err := coll.Get(ctx, id)
		if err != nil {
			return err
		}
		to, _ := d.Data["to"].(string)
		kind, who, _ := strings.Cut(to, ":")
		if !(kind == "user" && who == a.UserID) && !(kind == "role" && slices.Contains(a.Roles, who)) {
			return ErrNotYours
		}
		readers := stringsIn(d.Data["read_by"])
		if slices.Contains(readers, a.UserID) {
			return nil
		}
		next := make([]any, 0, len(readers)+1)
		for _, r := range append(readers, a.UserID) {
			next = append(next, r)
		}
		d.Data["read_by"] = next
		return coll.Update(ctx, d)
	})
}
