package builder

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Versions lists the published versions of (kind, key), oldest first, without bodies.
func (s *Service) Versions(ctx context.Context, tenant, kind, key string) ([]*Version, error) {
	if err := s.checkKindKey(kind, key); err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("versions of %s/%s: %w", kind, key, err)
	}
	var out []*Version
	err = each(ctx, sc.Collection(form.VersionsCollection), store.And(store.Eq("kind", kind), store.Eq("key", key)),
		[]store.Sort{{Field: "version"}}, func(d *store.Doc) error {
			sv, err := form.VersionFromDoc(d)
			if err != nil {
				return err
			}
			out = append(out, versionOf(sv, false))
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("versions of %s/%s: %w", kind, key, err)
	}
	return out, nil
}

// Version returns published version n of (kind, key) with its body, or ErrVersionNotFound.
func (s *Service) Version(ctx context.Context, tenant, kind, key string, n int) (*Version, error) {
	if err := s.checkKindKey(kind, key); err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("version %d of %s/%s: %w", n, kind, key, err)
	}
	if n < 1 {
		return nil, fmt.Errorf("version %d of %s/%s: %w", n, kind, key, ErrVersionNotFound)
	}
	sv, err := form.LoadVersion(ctx, sc, kind, key, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("version %d of %s/%s: %w", n, kind, key, ErrVersionNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("version %d of %s/%s: %w", n, kind, key, err)
	}
	return versionOf(sv, true), nil
}

// List summarises every definition of kind in tenant, published or only drafted, by key:
// its name, status and last change, and the state of its draft.
func (s *Service) List(ctx context.Context, tenant, kind string) ([]*Summary, error) {
	if err := s.checkKind(kind); err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("list %s definitions: %w", kind, err)
	}
	byKey := map[string]*Summary{}
	get := func(key string) *Summary {
		if sm, ok := byKey[key]; ok {
			return sm
		}
		sm := &Summary{Kind: kind, Key: key, Draft: DraftNone}
		byKey[key] = sm
		return sm
	}
	hashes := map[string]string{}
	err = each(ctx, sc.Collection(form.DefinitionsCollection), store.Eq("kind", kind), nil, func(d *store.Doc) error {
		h, err := form.HeadFromDoc(d)
		if err != nil {
			return err
		}
		sm := get(h.Key)
		sm.Latest, sm.PublishedAt, sm.PublishedBy = h.Version, h.PublishedAt, h.PublishedBy
		hashes[h.Key] = h.Hash
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s definitions: %w", kind, err)
	}
	err = each(ctx, sc.Collection(DraftsCollection), store.Eq("kind", kind), nil, func(d *store.Doc) error {
		dr, err := draftFromDoc(d)
		if err != nil {
			return err
		}
		sm := get(dr.Key)
		sm.DraftValid, sm.DraftSaved = dr.Valid, dr.SavedAt
		sm.Draft = DraftChanged
		if hashes[dr.Key] == dr.Hash {
			sm.Draft = DraftUnchanged
		}
		sm.Title, sm.Form = namesOf(kind, dr.Body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s definitions: %w", kind, err)
	}
	out := make([]*Summary, 0, len(byKey))
	for _, sm := range byKey {
		if sm.Latest > 0 && (sm.Title == nil || sm.Form == "" && kindNamesForm(kind)) {
			// A half-done draft may not name it yet: the latest version does.
			v, err := form.LoadVersion(ctx, sc, kind, sm.Key, sm.Latest)
			if err != nil {
				return nil, fmt.Errorf("list %s definitions: %s v%d: %w", kind, sm.Key, sm.Latest, err)
			}
			title, formKey := namesOf(kind, v.Body)
			if sm.Title == nil {
				sm.Title = title
			}
			if sm.Form == "" {
				sm.Form = formKey
			}
		}
		sm.Status, sm.UpdatedAt = statusOf(sm)
		out = append(out, sm)
	}
	if kind == KindRule {
		if err := s.nameRuleSets(ctx, tenant, out); err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Published lists, in key order, the keys of kind's definitions that have a published
// version: the heads only, without the drafts and versions List reads for names.
func (s *Service) Published(ctx context.Context, tenant, kind string) ([]string, error) {
	if err := s.checkKind(kind); err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("list published %s definitions: %w", kind, err)
	}
	var keys []string
	err = each(ctx, sc.Collection(form.DefinitionsCollection), store.Eq("kind", kind), nil, func(d *store.Doc) error {
		h, err := form.HeadFromDoc(d)
		if err != nil {
			return err
		}
		if h.Version > 0 {
			keys = append(keys, h.Key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list published %s definitions: %w", kind, err)
	}
	slices.Sort(keys)
	return keys, nil
}

// nameRuleSets titles each rule set, which has no name of its own, after its form.
func (s *Service) nameRuleSets(ctx context.Context, tenant string, sets []*Summary) error {
	if _, ok := s.kinds[KindForm]; !ok {
		return nil
	}
	forms, err := s.List(ctx, tenant, KindForm)
	if err != nil {
		return fmt.Errorf("list rule sets: %w", err)
	}
	titles := make(map[string]form.Localized, len(forms))
	for _, f := range forms {
		titles[f.Key] = f.Title
	}
	for _, sm := range sets {
		if sm.Form == "" {
			sm.Form = sm.Key
		}
		sm.Title = titles[sm.Form]
	}
	return nil
}

// statusOf says where sm stands and when it last changed.
func statusOf(sm *Summary) (Status, time.Time) {
	updated := sm.PublishedAt
	if sm.DraftSaved.After(updated) {
		updated = sm.DraftSaved
	}
	switch {
	case sm.Latest == 0:
		return StatusDraft, updated
	case sm.Draft == DraftChanged:
		return StatusDraftAhead, updated
	}
	return StatusPublished, updated
}

// each calls fn for every document matching f, page by page.
func each(ctx context.Context, coll store.Collection, f *store.Filter, sorts []store.Sort, fn func(*store.Doc) error) error {
	q := store.Query{Filter: f, Sort: sorts, Limit: store.MaxLimit}
	for {
		page, err := coll.Find(ctx, q)
		if err != nil {
			return err
		}
		for _, d := range page.Docs {
			if err := fn(d); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		q.Cursor = page.Next
	}
}
