package builder

import (
	"context"
	"errors"
	"fmt"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// Installed says what installing a template pack did to one definition.
type Installed struct {
	Kind    string `json:"kind"`
	Key     string `json:"key"`
	Version int    `json:"version"`
	// Unchanged reports that the tenant already had this very definition published.
	Unchanged bool `json:"unchanged,omitempty"`
}

// InstallPack publishes every template of a pack (schemas.Templates: forms first, then
// flows, rules and dashboards, so each finds what it reads) into the actor's tenant. A
// definition the tenant already has unchanged is left as it is, so installing twice is
// harmless; a tenant's own changes are kept as older versions it can roll back to. It
// stops at the first definition that does not publish and says which.
func (s *Service) InstallPack(ctx context.Context, a form.Actor, pack string) ([]Installed, error) {
	tpls, err := schemas.Templates(pack)
	if err != nil {
		return nil, err
	}
	var out []Installed
	for _, t := range tpls {
		if _, ok := s.kinds[t.Kind]; !ok {
			continue // a kind this server does not run (dashboards without the report runtime)
		}
		if _, err := s.SaveDraft(ctx, a, t.Kind, t.Key, t.Body); err != nil {
			return out, fmt.Errorf("install %s/%s: %w", t.Kind, t.Key, err)
		}
		v, err := s.Publish(ctx, a, t.Kind, t.Key, "template "+pack)
		if errors.Is(err, ErrUnchanged) {
			head, herr := s.Versions(ctx, a.Tenant, t.Kind, t.Key)
			if herr != nil || len(head) == 0 {
				return out, fmt.Errorf("install %s/%s: %w", t.Kind, t.Key, errors.Join(err, herr))
			}
			out = append(out, Installed{Kind: t.Kind, Key: t.Key, Version: head[len(head)-1].Number, Unchanged: true})
			continue
		}
		if err != nil {
			return out, fmt.Errorf("install %s/%s: %w", t.Kind, t.Key, err)
		}
		out = append(out, Installed{Kind: t.Kind, Key: t.Key, Version: v.Number})
	}
	return out, nil
}
