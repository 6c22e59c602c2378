package builder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// SaveDraft stores body as the draft of (kind, key) and returns it with its problems.
// The body must be a JSON object of at most MaxBodySize bytes (otherwise a
// *form.DefinitionError and nothing is stored); a body that does not validate yet is
// stored all the same, with the problems that stop it from publishing.
func (s *Service) SaveDraft(ctx context.Context, a form.Actor, kind, key string, body []byte) (*Draft, error) {
	if err := s.checkKindKey(kind, key); err != nil {
		return nil, err
	}
	if err := checkObject(body); err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("save draft %s/%s: %w", kind, key, err)
	}
	d := &Draft{Kind: kind, Key: key, Body: append(json.RawMessage(nil), body...), Hash: form.BodyHash(body),
		SavedAt: s.now().UTC(), SavedBy: a.UserID, Problems: []form.Problem{}}
	if _, err := s.compile(ctx, a.Tenant, kind, key, body); err != nil {
		de, ok := isDefinitionError(err)
		if !ok {
			return nil, fmt.Errorf("save draft %s/%s: %w", kind, key, err)
		}
		d.Problems = de.Problems
	}
	d.Valid = len(d.Problems) == 0
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		head, err := form.LoadHead(ctx, sc, kind, key)
		switch {
		case err == nil:
			d.BaseVersion = head.Version
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if err := putDraft(ctx, sc.Collection(DraftsCollection), d); err != nil {
			return err
		}
		_, err = s.log.Append(ctx, sc, audit.Entry{Actor: a.UserID, Action: audit.ActionUpdate,
			Object: definitionObject(kind, key), Client: a.Client, RequestID: a.RequestID,
			Detail: map[string]any{"draft": true, "hash": d.Hash, "valid": d.Valid}})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save draft %s/%s: %w", kind, key, err)
	}
	return d, nil
}

// Draft returns the draft of (kind, key), or ErrDraftNotFound.
func (s *Service) Draft(ctx context.Context, tenant, kind, key string) (*Draft, error) {
	if err := s.checkKindKey(kind, key); err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("read draft %s/%s: %w", kind, key, err)
	}
	doc, err := sc.Collection(DraftsCollection).Get(ctx, draftID(kind, key))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("read draft %s/%s: %w", kind, key, ErrDraftNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read draft %s/%s: %w", kind, key, err)
	}
	return draftFromDoc(doc)
}

// checkObject accepts a JSON object of at most MaxBodySize bytes.
func checkObject(body []byte) error {
	if len(body) > MaxBodySize {
		return &form.DefinitionError{Problems: []form.Problem{{Code: "max_size",
			Message: fmt.Sprintf("the definition is larger than %d bytes", MaxBodySize), Params: map[string]any{"limit": MaxBodySize}}}}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		var se *json.SyntaxError
		msg := "the definition must be a JSON object"
		if errors.As(err, &se) {
			msg = fmt.Sprintf("invalid JSON at byte offset %d: %s", se.Offset, se.Error())
		}
		return &form.DefinitionError{Problems: []form.Problem{{Code: "syntax", Message: msg}}}
	}
	if obj == nil {
		return &form.DefinitionError{Problems: []form.Problem{{Code: "type", Message: "the definition must be a JSON object"}}}
	}
	return nil
}

func putDraft(ctx context.Context, coll store.Collection, d *Draft) error {
	data, err := draftData(d)
	if err != nil {
		return err
	}
	cur, err := coll.Get(ctx, draftID(d.Kind, d.Key))
	if errors.Is(err, store.ErrNotFound) {
		return coll.Insert(ctx, &store.Doc{ID: draftID(d.Kind, d.Key), Data: data})
	}
	if err != nil {
		return err
	}
	cur.Data = data
	return coll.Update(ctx, cur)
}

func draftData(d *Draft) (map[string]any, error) {
	probs, err := json.Marshal(d.Problems)
	if err != nil {
		return nil, err
	}
	return map[string]any{"kind": d.Kind, "key": d.Key, "body": string(d.Body), "hash": d.Hash,
		"problems": string(probs), "valid": d.Valid, "saved_at": d.SavedAt.Format(time.RFC3339Nano),
		"saved_by": d.SavedBy, "base_version": d.BaseVersion}, nil
}

func draftFromDoc(doc *store.Doc) (*Draft, error) {
	d := &Draft{}
	d.Kind, _ = doc.Data["kind"].(string)
	d.Key, _ = doc.Data["key"].(string)
	d.Hash, _ = doc.Data["hash"].(string)
	d.SavedBy, _ = doc.Data["saved_by"].(string)
	d.Valid, _ = doc.Data["valid"].(bool)
	body, _ := doc.Data["body"].(string)
	d.Body = json.RawMessage(body)
	probs, _ := doc.Data["problems"].(string)
	dec := json.NewDecoder(bytes.NewReader([]byte(probs)))
	dec.UseNumber()
	if err := dec.Decode(&d.Problems); err != nil {
		return nil, fmt.Errorf("decode draft %s: %w", doc.ID, err)
	}
	if d.Problems == nil {
		d.Problems = []form.Problem{}
	}
	saved, _ := doc.Data["saved_at"].(string)
	t, err := time.Parse(time.RFC3339Nano, saved)
	if err != nil {
		return nil, fmt.Errorf("decode draft %s: %w", doc.ID, err)
	}
	d.SavedAt = t
	if n, ok := doc.Data["base_version"].(json.Number); ok {
		v, _ := n.Int64()
		d.BaseVersion = int(v)
	}
	return d, nil
}
