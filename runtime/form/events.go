package form

import (
	"github.com/credolabs/credo/runtime/events"
)

// The events a record change writes to the tenant's outbox, in the change's own
// transaction: rules and flows react to them, and none is lost if the server stops
// between the commit and the reaction.
const (
	EventRecordCreated = "record.created"
	EventRecordUpdated = "record.updated"
	EventRecordDeleted = "record.deleted"
)

// RecordChange is the body of a record event.
//
// A record.created or record.updated event names the record without a copy of it: its
// handlers read the record when they run (RecordChange.Data is then nil), as it is by
// then. Every write makes an event, so the copy cost a write its encoding three times
// over (written, read, claimed), and kept a second copy of the record's personal data in
// the outbox until delivery. An update's event keeps the fields it changed and their
// values before. A record.deleted event carries the record's last values: nothing is left
// to read.
type RecordChange struct {
	Form        string `json:"form"`
	FormVersion int    `json:"form_version"`
	ID          string `json:"id"`
	Version     int64  `json:"version"`
	Actor       string `json:"actor"`
	// Data is the record after the change (before it, for a delete).
	Data map[string]any `json:"data"`
	// Before holds the old values of the fields an update changed; Changed names them.
	Before  map[string]any `json:"before,omitempty"`
	Changed []string       `json:"changed,omitempty"`
	// Origin and Depth carry the loop guard of rule-caused changes (see Actor).
	Origin []string `json:"origin,omitempty"`
	Depth  int      `json:"depth,omitempty"`
	// Prior is the whole record as stored before an update, for a ChangeObserver; the
	// record event does not carry it (see Previous).
	Prior map[string]any `json:"-"`
}

// data is the event body of the change; typ is the event's type.
func (c RecordChange) data(typ string) map[string]any {
	d := map[string]any{"form": c.Form, "form_version": c.FormVersion, "id": c.ID, "version": c.Version,
		"actor": c.Actor}
	if typ == EventRecordDeleted {
		d["data"] = c.Data
	}
	if c.Changed != nil {
		d["before"], d["changed"] = c.Before, c.Changed
	}
	if len(c.Origin) > 0 {
		d["origin"], d["depth"] = c.Origin, c.Depth
	}
	return d
}

// ChangeOf reads a record event's body back (numbers as the store returns them).
func ChangeOf(ev events.Event) RecordChange {
	d := ev.Data
	c := RecordChange{}
	c.Form, _ = d["form"].(string)
	c.ID, _ = d["id"].(string)
	c.Actor, _ = d["actor"].(string)
	v, _ := intOf(d["form_version"])
	c.FormVersion = v
	n, _ := intOf(d["version"])
	c.Version = int64(n)
	c.Data, _ = d["data"].(map[string]any)
	c.Before, _ = d["before"].(map[string]any)
	c.Changed = stringsOf(d["changed"])
	c.Origin = stringsOf(d["origin"])
	c.Depth, _ = intOf(d["depth"])
	return c
}

func stringsOf(v any) []string {
	switch xs := v.(type) {
	case []string:
		return xs
	case []any:
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
