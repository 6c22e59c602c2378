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
	p, err := l.Prepare(sc, e)
	if err != nil {
		return nil, err
	}
	return p.Append(ctx, sc)
}

// Pending is an entry whose content is ready; only its place in the chain is not.
// Preparing before the transaction keeps the JSON work off the store's single writer.
type Pending struct {
	e     Entry
	body  map[string]any
	canon *canonical
	// encoded is body as sc's engine stores it, to which the append adds the link fields
	// (store.ExtendBody); the zero Body when the engine cannot.
	encoded store.Body
}

// Prepare stamps e with the time and turns it into the form it is stored and hashed in,
// and encodes it for sc's engine: the append, in the transaction, adds only its place in
// the chain.
func (l *Log) Prepare(sc store.Scope, e Entry) (*Pending, error) {
	if e.Actor == "" || e.Action == "" || e.Object == "" {
		return nil, errors.New("audit append: actor, action and object are required")
	}
	e.Time = l.clock().UTC().Truncate(time.Microsecond)
	body, err := plainEntry(&e)
	if err != nil {
		return nil, fmt.Errorf("audit append: %w", err)
	}
	canon, err := canonicalOf(body)
	if err != nil {
		return nil, fmt.Errorf("audit append: %w", err)
	}
	encoded, err := store.EncodeBody(sc, body)
	if err != nil {
		return nil, fmt.Errorf("audit append: %w", err)
	}
	return &Pending{e: e, body: body, canon: canon, encoded: encoded}, nil
}

// Append links the prepared entry at the head of sc's chain; call it with the ctx of the
// transaction that makes the audited change.
func (p *Pending) Append(ctx context.Context, sc store.Scope) (*Entry, error) {
	var out *Entry
	// Inside a transaction (joined when the caller already has one) the head cannot move
	// under us on engines that have them; elsewhere the id collision makes us retry.
	err := sc.WithTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = appendAt(ctx, sc, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("audit append: %w", err)
	}
	return out, nil
}

func appendAt(ctx context.Context, sc store.Scope, p *Pending) (*Entry, error) {
	e := p.e
	entries, heads := sc.Collection(Collection), sc.Collection(HeadCollection)
	pointer, h, err := readPointer(ctx, heads)
	if err != nil {
		return nil, err
	}
	if h == nil { // first append, or the pointer is gone: the entries are the truth
		if h, err = headOf(ctx, entries); err != nil {
			return nil, err
		}
	}
	for attempt := range maxAppendAttempts {
		e.Seq, e.Prev = 1, ""
		if h != nil {
			e.Seq, e.Prev = h.seq+1, h.hash
		}
		data := withLink(p.body, e.Seq, e.Prev)
		if e.Hash, err = p.canon.hashLinked(e.Seq, e.Prev); err != nil {
			return nil, err
		}
		data["hash"] = e.Hash
		doc := &store.Doc{ID: seqID(e.Seq), Data: data}
		if doc.Body, err = store.ExtendBody(sc, p.encoded, linkFields(data)); err != nil {
			return nil, err
		}
		err = entries.Insert(ctx, doc)
		if errors.Is(err, store.ErrDuplicate) {
			// Another writer took this number, or the pointer lags: back off a little,
			// then chain onto the real last entry.
			time.Sleep(time.Duration(rand.IntN(attempt+1)) * time.Millisecond)
			if h, err = headOf(ctx, entries); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := advancePointer(ctx, heads, pointer, &head{seq: e.Seq, hash: e.Hash}); err != nil {
			return nil, err
		}
		return &e, nil
	}
	return nil, fmt.Errorf("head kept moving after %d attempts: %w", maxAppendAttempts, store.ErrConflict)
}

// HeadCollection holds one small document per tenant pointing at the chain's last
// entry, so an append reads a few bytes rather than the last entry with its diff. The
// entries stay the truth: the pointer only ever trails them (it moves after the entry is
// written, in the same transaction where the engine has them), and an append that finds
// its number taken re-reads the entries and repairs it.
const HeadCollection = "audit_head"

const pointerID = "head"

func readPointer(ctx context.Context, heads store.Collection) (*store.Doc, *head, error) {
	d, err := heads.Get(ctx, pointerID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	h, ok := headFrom(d.Data)
	if !ok {
		return nil, nil, nil
	}
	return d, h, nil
}

func headFrom(data map[string]any) (*head, bool) {
	n, _ := data["seq"].(json.Number)
	seq, err := n.Int64()
	hash, _ := data["hash"].(string)
	return &head{seq: seq, hash: hash}, err == nil && seq > 0 && hash != ""
}

// advancePointer moves the pointer to h unless another writer moved it further.
func advancePointer(ctx context.Context, heads store.Collection, d *store.Doc, h *head) error {
	data := map[string]any{"seq": json.Number(strconv.FormatInt(h.seq, 10)), "hash": h.hash}
	for range maxAppendAttempts {
		if d == nil {
			err := heads.Insert(ctx, &store.Doc{ID: pointerID, Data: data})
			if !errors.Is(err, store.ErrDuplicate) {
				return err
			}
			if d, err = heads.Get(ctx, pointerID); err != nil {
				return err
			}
		}
		if cur, ok := headFrom(d.Data); ok && cur.seq >= h.seq {
			return nil
		}
		d.Data = data
		err := heads.Update(ctx, d)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
			d = nil // someone else moved or removed it: look again
			continue
		}
		return err
	}
	return nil // a trailing pointer is repaired by the next append's collision
}

// seqID makes ids sort in sequence order as strings.
func seqID(seq int64) string { return fmt.Sprintf("%020d", seq) }

// head is what an append needs of the last entry.
type head struct {
	seq  int64
	hash string
}

// headOf reads only the last entry's sequence number and hash, not its diff.
func headOf(ctx context.Context, coll store.Collection) (*head, error) {
	page, err := coll.Find(ctx, store.Query{Sort: []store.Sort{{Field: store.FieldID, Desc: true}}, Limit: 1, Fields: []string{"seq", "hash"}})
	if err != nil {
		return nil, err
	}
	if len(page.Docs) == 0 {
		return nil, nil
	}
	d := page.Docs[0]
	n, _ := d.Data["seq"].(json.Number)
	seq, err := n.Int64()
	h, _ := d.Data["hash"].(string)
	if err != nil || seqID(seq) != d.ID || h == "" {
		return nil, fmt.Errorf("audit head %s is unreadable", d.ID)
	}
	return &head{seq: seq, hash: h}, nil
}

// linkFields are the members of a linked entry's data that withLink and the hash added.
func linkFields(data map[string]any) map[string]any {
	return map[string]any{"seq": data["seq"], "prev": data["prev"], "hash": data["hash"]}
}

// withLink is body with its place in the chain.
func withLink(body map[string]any, seq int64, prev string) map[string]any {
	m := make(map[string]any, len(body)+3)
	for k, v := range body {
		m[k] = v
	}
	m["seq"] = json.Number(strconv.FormatInt(seq, 10))
	m["prev"] = prev
	return m
}

// hashData is SHA-256 over the stored entry's canonical JSON without its own hash; prev is
// inside, which links the chain.
func hashData(data map[string]any) (string, error) {
	h, had := data["hash"]
	delete(data, "hash")
	b, err := marshalPlain(data)
	if had {
		data["hash"] = h
	}
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
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
