package builder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Publish validates the draft of (kind, key) with the runtime's own compiler and
// publishes it as the next version. A draft that does not validate is refused with a
// *form.DefinitionError carrying every problem; a draft equal to the current version
// gives ErrUnchanged.
func (s *Service) Publish(ctx context.Context, a form.Actor, kind, key, note string) (*Version, error) {
	d, err := s.Draft(ctx, a.Tenant, kind, key)
	if err != nil {
		return nil, fmt.Errorf("publish %s/%s: %w", kind, key, err)
	}
	v, err := s.publish(ctx, a, kind, key, d.Body, note, 0)
	if err != nil {
		return nil, fmt.Errorf("publish %s/%s: %w", kind, key, err)
	}
	return v, nil
}

// Rollback publishes a new version whose body is version to's. History is never
// rewritten: the rolled-back versions stay, and the new one records RollbackOf.
func (s *Service) Rollback(ctx context.Context, a form.Actor, kind, key string, to int, note string) (*Version, error) {
	old, err := s.Version(ctx, a.Tenant, kind, key, to)
	if err != nil {
		return nil, fmt.Errorf("roll back %s/%s to v%d: %w", kind, key, to, err)
	}
	v, err := s.publish(ctx, a, kind, key, old.Body, note, to)
	if err != nil {
		return nil, fmt.Errorf("roll back %s/%s to v%d: %w", kind, key, to, err)
	}
	return v, nil
}

func (s *Service) publish(ctx context.Context, a form.Actor, kind, key string, body []byte, note string, rollbackOf int) (*Version, error) {
	if err := s.checkKindKey(kind, key); err != nil {
		return nil, err
	}
	if len(note) > MaxNoteLength {
		return nil, fmt.Errorf("note of %d bytes, at most %d: %w", len(note), MaxNoteLength, ErrNoteTooLong)
	}
	// What validates is what runs: the compiled form published below is this one.
	compiled, err := s.compile(ctx, a.Tenant, kind, key, body)
	if err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return nil, err
	}
	if err := compiled.Prepare(ctx, sc); err != nil {
		return nil, err
	}
	sv := &form.StoredVersion{Kind: kind, Key: key, Body: body, Hash: form.BodyHash(body), Note: note,
		Author: a.UserID, PublishedAt: s.now().UTC(), RollbackOf: rollbackOf}
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		heads := sc.Collection(form.DefinitionsCollection)
		head, err := form.LoadHead(ctx, sc, kind, key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			sv.Version = 1
		case err != nil:
			return err
		case head.Hash == sv.Hash:
			return ErrUnchanged
		default:
			sv.Version = head.Version + 1
		}
		err = sc.Collection(form.VersionsCollection).Insert(ctx, &store.Doc{ID: form.VersionID(kind, key, sv.Version), Data: sv.Data()})
		if errors.Is(err, store.ErrDuplicate) {
			err = s.adoptOrphan(ctx, sc, sv)
		}
		if err != nil {
			return err
		}
		next := &form.Head{Kind: kind, Key: key, Version: sv.Version, Hash: sv.Hash, PublishedAt: sv.PublishedAt, PublishedBy: a.UserID}
		if head == nil {
			err = heads.Insert(ctx, &store.Doc{ID: form.HeadID(kind, key), Data: next.Data()})
		} else {
			doc := head.Doc
			doc.Data = next.Data()
			err = heads.Update(ctx, doc)
		}
		if errors.Is(err, store.ErrDuplicate) || errors.Is(err, store.ErrConflict) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		detail := map[string]any{"version": sv.Version, "hash": sv.Hash}
		if note != "" {
			detail["note"] = note
		}
		if rollbackOf > 0 {
			detail["rollback_of"] = rollbackOf
		}
		_, err = s.log.Append(ctx, sc, audit.Entry{Actor: a.UserID, Action: audit.ActionPublish,
			Object: definitionObject(kind, key), Client: a.Client, RequestID: a.RequestID, Detail: detail})
		return err
	})
	if err != nil {
		return nil, err
	}
	// The new definition is complete before the pointer moves; requests holding the old
	// one finish with it.
	compiled.Install(a.Tenant, sv.Version)
	return versionOf(sv, false), nil
}

// adoptOrphan handles a version number that is taken although the head is below it.
// Another publisher may be between its two writes (a conflict), or, on an engine
// without transactions, an earlier publish of this very body stopped after writing the
// version: then the version is this one and publishing carries on from it.
func (s *Service) adoptOrphan(ctx context.Context, sc store.Scope, sv *form.StoredVersion) error {
	existing, err := form.LoadVersion(ctx, sc, sv.Kind, sv.Key, sv.Version)
	if err != nil {
		return err
	}
	if existing.Hash != sv.Hash {
		return ErrConflict
	}
	*sv = *existing
	return nil
}

// IndexName is the store index name of an indexed form field: "ix_<field>", shortened
// with a hash suffix when the field name is long.
func IndexName(field string) string {
	const max = 63
	name := "ix_" + field
	if len(name) <= max {
		return name
	}
	sum := sha256.Sum256([]byte(field))
	return name[:max-9] + "_" + hex.EncodeToString(sum[:4])
}

func versionOf(sv *form.StoredVersion, withBody bool) *Version {
	v := &Version{Kind: sv.Kind, Key: sv.Key, Number: sv.Version, Note: sv.Note, Author: sv.Author,
		PublishedAt: sv.PublishedAt, Hash: sv.Hash, RollbackOf: sv.RollbackOf}
	if withBody {
		v.Body = sv.Body
	}
	return v
}
