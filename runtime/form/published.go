package form

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// Storage layout of published definitions, shared by builder (which writes it) and the
// runtimes (which read it). Both collections live in the tenant's scope.
//
//   - DefinitionsCollection holds one head per (kind, key), id "<kind>:<key>": the
//     number of the current published version. Publishing moves it forward under
//     optimistic concurrency, so two publishers cannot both take a number.
//   - VersionsCollection holds every published version, id "<kind>:<key>:<n>" with n
//     zero-padded; a version is written once and never changed. The body is kept as the
//     exact JSON text that was published (field names such as "$schema" stay text, and
//     the hash can be checked).
const (
	DefinitionsCollection = "definitions"
	VersionsCollection    = "definition_versions"
)

// HeadID is the id of a definition's head document.
func HeadID(kind, key string) string { return kind + ":" + key }

// VersionID is the id of one published version's document; ids sort by version.
func VersionID(kind, key string, n int) string { return fmt.Sprintf("%s:%s:%08d", kind, key, n) }

// BodyHash is the hex SHA-256 of a definition body, as versions record it.
func BodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Head points at a definition's current published version.
type Head struct {
	Kind        string    `json:"kind"`
	Key         string    `json:"key"`
	Version     int       `json:"version"`
	Hash        string    `json:"hash"`
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
	// Doc is the stored document (its Version drives optimistic concurrency).
	Doc *store.Doc `json:"-"`
}

// StoredVersion is one immutable published version.
type StoredVersion struct {
	Kind    string `json:"kind"`
	Key     string `json:"key"`
	Version int    `json:"version"`
	// Body is the definition JSON exactly as published.
	Body        json.RawMessage `json:"body"`
	Hash        string          `json:"hash"`
	Note        string          `json:"note"`
	Author      string          `json:"author"`
	PublishedAt time.Time       `json:"published_at"`
	// RollbackOf is the version whose body this one republished (0: none).
	RollbackOf int `json:"rollback_of,omitempty"`
}

// Data is the head's stored form.
func (h *Head) Data() map[string]any {
	return map[string]any{"kind": h.Kind, "key": h.Key, "version": h.Version, "hash": h.Hash,
		"published_at": h.PublishedAt.UTC().Format(time.RFC3339Nano), "published_by": h.PublishedBy}
}

// Data is the version's stored form; the body is stored as text.
func (v *StoredVersion) Data() map[string]any {
	d := map[string]any{"kind": v.Kind, "key": v.Key, "version": v.Version, "body": string(v.Body),
		"hash": v.Hash, "note": v.Note, "author": v.Author,
		"published_at": v.PublishedAt.UTC().Format(time.RFC3339Nano)}
	if v.RollbackOf > 0 {
		d["rollback_of"] = v.RollbackOf
	}
	return d
}

// HeadFromDoc decodes a head document.
func HeadFromDoc(d *store.Doc) (*Head, error) {
	h := &Head{Doc: d}
	var err error
	h.Kind, _ = d.Data["kind"].(string)
	h.Key, _ = d.Data["key"].(string)
	h.Hash, _ = d.Data["hash"].(string)
	h.PublishedBy, _ = d.Data["published_by"].(string)
	if h.Version, err = intOf(d.Data["version"]); err != nil {
		return nil, fmt.Errorf("decode head %s: %w", d.ID, err)
	}
	if h.PublishedAt, err = timeOf(d.Data["published_at"]); err != nil {
		return nil, fmt.Errorf("decode head %s: %w", d.ID, err)
	}
	return h, nil
}

// VersionFromDoc decodes a version document.
func VersionFromDoc(d *store.Doc) (*StoredVersion, error) {
	v := &StoredVersion{}
	var err error
	v.Kind, _ = d.Data["kind"].(string)
	v.Key, _ = d.Data["key"].(string)
	v.Hash, _ = d.Data["hash"].(string)
	v.Note, _ = d.Data["note"].(string)
	v.Author, _ = d.Data["author"].(string)
	body, _ := d.Data["body"].(string)
	v.Body = json.RawMessage(body)
	if v.Version, err = intOf(d.Data["version"]); err != nil {
		return nil, fmt.Errorf("decode version %s: %w", d.ID, err)
	}
	if d.Data["rollback_of"] != nil {
		if v.RollbackOf, err = intOf(d.Data["rollback_of"]); err != nil {
			return nil, fmt.Errorf("decode version %s: %w", d.ID, err)
		}
	}
	if v.PublishedAt, err = timeOf(d.Data["published_at"]); err != nil {
		return nil, fmt.Errorf("decode version %s: %w", d.ID, err)
	}
	return v, nil
}

// LoadHead reads the head of (kind, key); store.ErrNotFound when never published.
func LoadHead(ctx context.Context, sc store.Scope, kind, key string) (*Head, error) {
	d, err := sc.Collection(DefinitionsCollection).Get(ctx, HeadID(kind, key))
	if err != nil {
		return nil, err
	}
	return HeadFromDoc(d)
}

// LoadVersion reads published version n of (kind, key); store.ErrNotFound when absent.
func LoadVersion(ctx context.Context, sc store.Scope, kind, key string, n int) (*StoredVersion, error) {
	d, err := sc.Collection(VersionsCollection).Get(ctx, VersionID(kind, key, n))
	if err != nil {
		return nil, err
	}
	return VersionFromDoc(d)
}

func intOf(v any) (int, error) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return int(i), err
	case float64:
		return int(n), nil
	case int64:
		return int(n), nil
	case int:
		return n, nil
	}
	return 0, errors.New("missing or non-numeric version")
}

func timeOf(v any) (time.Time, error) {
	switch t := v.(type) {
	case string:
		return time.Parse(time.RFC3339Nano, t)
	case time.Time:
		return t, nil
	}
	return time.Time{}, errors.New("missing time")
}

// Published reads the published definitions of every kind from a store, for the
// runtimes that compile their own (rule sets, flows, dashboards).
type Published struct{ Backend store.Backend }

// Head returns the current version of (kind, key) in tenant; 0 when none is published.
func (p Published) Head(ctx context.Context, tenant, kind, key string) (int, error) {
	sc, err := p.Backend.Scope(tenant)
	if err != nil {
		return 0, err
	}
	h, err := LoadHead(ctx, sc, kind, key)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return h.Version, nil
}

// Body returns the body of version n of (kind, key) in tenant; store.ErrNotFound when
// there is no such version.
func (p Published) Body(ctx context.Context, tenant, kind, key string, n int) ([]byte, error) {
	sc, err := p.Backend.Scope(tenant)
	if err != nil {
		return nil, err
	}
	v, err := LoadVersion(ctx, sc, kind, key, n)
	if err != nil {
		return nil, err
	}
	return v.Body, nil
}
