package files

import (
	"context"
	"errors"
	"fmt"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// purgeBatch is how many orphans one pass of PurgeOrphans reads at a time.
const purgeBatch = 100

// orphanIndex serves PurgeOrphans' query.
var orphanIndex = store.Index{Name: "files_unattached", Fields: []string{keyUnattached}}

// PurgeOrphans deletes the tenant's files that no record has held for the orphan age
// (uploaded and never attached, or released by their record), each with its chunks and
// a "delete" audit entry by the system in one transaction, and returns how many it
// deleted. A file attached meanwhile is left alone (its version moved).
func (s *Service) PurgeOrphans(ctx context.Context, tenant string) (int, error) {
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return 0, err
	}
	if _, ok := s.indexed.Load(tenant); !ok {
		// Outside any transaction: some engines cannot create an index inside one.
		if err := sc.Collection(Collection).EnsureIndex(ctx, orphanIndex); err != nil {
			return 0, fmt.Errorf("purge files: ensure index: %w", err)
		}
		s.indexed.Store(tenant, true)
	}
	cutoff := s.now().Add(-s.opts.OrphanAge).UnixMilli()
	purged := 0
	for {
		page, err := sc.Collection(Collection).Find(ctx, store.Query{Filter: store.Lt(keyUnattached, cutoff),
			Sort: []store.Sort{{Field: keyUnattached}}, Limit: purgeBatch})
		if err != nil {
			return purged, fmt.Errorf("purge files: %w", err)
		}
		deleted := 0
		for _, d := range page.Docs {
			ok, err := s.purgeOne(ctx, sc, d)
			if err != nil {
				return purged, err
			}
			if ok {
				deleted++
			}
		}
		purged += deleted
		// A page of files all attached meanwhile would come back forever: stop on it.
		if len(page.Docs) < purgeBatch || deleted == 0 {
			return purged, nil
		}
	}
}

// purgeOne deletes one orphan; false when it was attached or deleted meanwhile.
func (s *Service) purgeOne(ctx context.Context, sc store.Scope, d *store.Doc) (bool, error) {
	meta, err := metaOf(d)
	if err != nil {
		return false, fmt.Errorf("purge files: %w", err)
	}
	e := audit.Entry{Actor: form.SystemActor, Action: audit.ActionDelete, Object: fileObject(meta.Form, meta.ID),
		Detail: map[string]any{"reason": "unattached", "field": meta.Field, "name": meta.Name, "size": meta.Size, "sha256": meta.SHA256}}
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		// The metadata goes first and only at the version read, so a file attached
		// since keeps everything; chunks without metadata are never served.
		if err := sc.Collection(Collection).Delete(ctx, d.ID, d.Version); err != nil {
			return err
		}
		chunks := sc.Collection(ChunksCollection)
		for n := range meta.chunks {
			if err := chunks.Delete(ctx, chunkID(meta.ID, n), 0); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		_, err := s.log.Append(ctx, sc, e)
		return err
	})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("purge file %s: %w", d.ID, err)
	}
	return true, nil
}
