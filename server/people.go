package server

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/credolabs/credo/runtime/flow"
)

// people names the users a task or history answer refers to by id, so a person reads
// "王芳" rather than an id: id → name (the email when the user has no name). Ids that
// name no user (the flow itself, "system") are left out.
func (s *Server) people(ctx context.Context, tenant string, ids map[string]bool) (map[string]string, error) {
	return s.deps.Tenants.Names(ctx, tenant, slices.Collect(maps.Keys(ids)))
}

// taskPeople adds the users task t refers to: its assignee, owner, decider, commenters
// and the users among its candidates and audience.
func taskPeople(ids map[string]bool, t *flow.Task) {
	for _, id := range []string{t.Assignee, t.Owner, t.DecidedBy} {
		ids[id] = true
	}
	for _, c := range t.Comments {
		ids[c.By] = true
	}
	for _, who := range append(append([]string(nil), t.Candidates...), t.Audience...) {
		if id, ok := strings.CutPrefix(who, "user:"); ok {
			ids[id] = true
		}
	}
}
