package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/credolabs/credo/store"
)

// Collection is the store collection that holds a tenant's audit entries.
const Collection = "audit"

// Actions recorded by the platform.
const (
	ActionLogin        = "login"
	ActionLoginFailed  = "login_failed"
	ActionLogout       = "logout"
	ActionCreate       = "create"
	ActionUpdate       = "update"
	ActionDelete       = "delete"
	ActionView         = "view"
	ActionList         = "list"
	ActionExport       = "export"
	ActionPublish      = "publish"
	ActionPolicyChange = "policy_change"
)

// Change is the before and after of one field in an entry's diff.
type Change struct {
	From any `json:"from,omitempty"`
	To   any `json:"to,omitempty"`
}

// Entry is one audited event.
type Entry struct {
	Seq       int64             `json:"seq"`
	Time      time.Time         `json:"time"`
	Actor     string            `json:"actor"`
	Action    string            `json:"action"`
	Object    string            `json:"object"`
	Client    string            `json:"client,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
	Diff      map[string]Change `json:"diff,omitempty"`
	Detail    map[string]any    `json:"detail,omitempty"`
	Prev      string            `json:"prev"`
	Hash      string            `json:"hash"`
}

// Log appends to and reads tenants' audit chains.
type Log struct {
	clock func() time.Time
}

// New returns a Log; clock nil means time.Now.
func New(clock func() time.Time) *Log {
	if clock == nil {
		clock = time.Now
	}
	return &Log{clock: clock}
}

// maxAppendAttempts bounds the retries when other writers take the next sequence number.
const maxAppendAttempts = 50

// Append adds e at the head of sc's chain and returns it with Seq, Time, Prev and Hash
// set. Call it with the ctx of the transaction that makes the audited change.
func (l *Log) Append(ctx context.Context, sc store.Scope, e Entry) (*Entry, error) {
	if e.Actor == "" || e.Action == "" || e.Object == "" {
		return nil, errors.New("audit append: actor, action and object are required")
	}
	e.Time = l.clock().UTC().Truncate(time.Microsecond)
	// Hash what will be read back: structs in Detail come back as maps with sorted keys,
	// so the entry is put in that form first, or verification would see an altered entry.
	if err := canonicalize(&e); err != nil {
		return nil, fmt.Errorf("audit append: %w", err)
	}
	var out *Entry
	// Inside a transaction (joined when the caller already has one) the head cannot move
	// under us on engines that have them; elsewhere the id collision makes us retry.
	err := sc.WithTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = appendAt(ctx, sc.Collection(Collection), e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("audit append: %w", err)
	}
	return out, nil
}

func appendAt(ctx context.Context, coll store.Collection, e Entry) (*Entry, error) {
	for attempt := range maxAppendAttempts {
		head, err := headOf(ctx, coll)
		if err != nil {
			return nil, err
		}
		e.Seq, e.Prev = 1, ""
		if head != nil {
			e.Seq, e.Prev = head.Seq+1, head.Hash
		}
		if e.Hash, err = hashOf(&e); err != nil {
			return nil, err
		}
		data, err := toData(&e)
		if err != nil {
			return nil, err
		}
		err = coll.Insert(ctx, &store.Doc{ID: seqID(e.Seq), Data: data})
		if errors.Is(err, store.ErrDuplicate) {
			// Another writer took this number: back off a little, then chain onto its entry.
			time.Sleep(time.Duration(rand.IntN(attempt+1)) * time.Millisecond)
			continue
		}
		if err != nil {
			return nil, err
		}
		return &e, nil
	}
	return nil, fmt.Errorf("head kept moving after %d attempts: %w", maxAppendAttempts, store.ErrConflict)
}

func canonicalize(e *Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	var c Entry
	if err := json.Unmarshal(b, &c); err != nil {
		return err
	}
	*e = c
	return nil
}

// seqID makes ids sort in sequence order as strings.
func seqID(seq int64) string { return fmt.Sprintf("%020d", seq) }

func headOf(ctx context.Context, coll store.Collection) (*Entry, error) {
	page, err := coll.Find(ctx, store.Query{Sort: []store.Sort{{Field: store.FieldID, Desc: true}}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Docs) == 0 {
		return nil, nil
	}
	return fromDoc(page.Docs[0])
}

// hashOf is SHA-256 over the entry's canonical JSON without its own hash; Prev is inside,
// which links the chain.
func hashOf(e *Entry) (string, error) {
	c := *e
	c.Hash = ""
	b, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func toData(e *Entry) (map[string]any, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	return store.DecodeData(b)
}

func fromDoc(d *store.Doc) (*Entry, error) {
	b, err := json.Marshal(d.Data)
	if err != nil {
		return nil, err
	}
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("decode audit entry %s: %w", d.ID, err)
	}
	if seqID(e.Seq) != d.ID {
		return nil, fmt.Errorf("audit entry %s carries sequence %s", d.ID, strconv.FormatInt(e.Seq, 10))
	}
	return &e, nil
}
