package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// ListQuery selects entries, newest first.
type ListQuery struct {
	// ObjectPrefix keeps entries whose object starts with it ("form:loan_application/").
	ObjectPrefix string
	Actor        string
	Action       string
	// From and To bound the entry time (inclusive, exclusive); zero means open.
	From, To time.Time
	Limit    int
	Cursor   string
}

// Page is one page of entries; Next continues it.
type Page struct {
	Entries []*Entry
	Next    string
}

// List returns entries of sc's chain matching q, newest first.
func (l *Log) List(ctx context.Context, sc store.Scope, q ListQuery) (*Page, error) {
	var conds []*store.Filter
	if q.ObjectPrefix != "" {
		conds = append(conds, &store.Filter{Field: "object", Op: store.OpPrefix, Value: q.ObjectPrefix})
	}
	if q.Actor != "" {
		conds = append(conds, store.Eq("actor", q.Actor))
	}
	if q.Action != "" {
		conds = append(conds, store.Eq("action", q.Action))
	}
	// Times are stored in a fixed-width UTC layout, so they compare as text.
	if !q.From.IsZero() {
		conds = append(conds, store.Gte("time", q.From.UTC().Format(timeLayout)))
	}
	if !q.To.IsZero() {
		conds = append(conds, store.Lt("time", q.To.UTC().Format(timeLayout)))
	}
	page, err := sc.Collection(Collection).Find(ctx, store.Query{
		Filter: store.And(conds...),
		Sort:   []store.Sort{{Field: store.FieldID, Desc: true}},
		Limit:  q.Limit,
		Cursor: q.Cursor,
	})
	if err != nil {
		return nil, fmt.Errorf("audit list: %w", err)
	}
	out := &Page{Next: page.Next}
	for _, d := range page.Docs {
		e, err := fromDoc(d)
		if err != nil {
			return nil, fmt.Errorf("audit list: %w", err)
		}
		out.Entries = append(out.Entries, e)
	}
	return out, nil
}

// Anchor is an entry's sequence number and hash recorded earlier, to detect truncation.
type Anchor struct {
	Seq  int64
	Hash string
}

// ParseAnchor reads "seq:hash".
func ParseAnchor(s string) (Anchor, error) {
	seq, hash, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil || n < 1 || len(hash) != 64 {
		return Anchor{}, fmt.Errorf("anchor %q: want <seq>:<64 hex digits>", s)
	}
	return Anchor{Seq: n, Hash: hash}, nil
}

// Report is the outcome of Verify.
type Report struct {
	Tenant  string `json:"tenant"`
	Entries int64  `json:"entries"`
	// Head is the last entry's sequence number and hash: record it as an anchor.
	HeadSeq  int64  `json:"head_seq"`
	HeadHash string `json:"head_hash"`
	// Problems lists every break found; empty means the chain is intact.
	Problems []Problem `json:"problems,omitempty"`
}

// OK reports whether the chain is intact.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Problem is one break in the chain.
type Problem struct {
	Seq     int64  `json:"seq"`
	Message string `json:"message"`
}

// verifyPage is how many entries Verify reads per store round trip.
const verifyPage = 1000

// Verify walks sc's whole chain in order and reports every altered, removed or reordered
// entry and every anchor that no longer holds.
func Verify(ctx context.Context, sc store.Scope, anchors ...Anchor) (*Report, error) {
	r := &Report{Tenant: sc.Tenant()}
	coll := sc.Collection(Collection)
	want := map[int64]string{}
	for _, a := range anchors {
		want[a.Seq] = a.Hash
	}
	var prev string
	var expect int64 = 1
	q := store.Query{Sort: []store.Sort{{Field: store.FieldID}}, Limit: verifyPage}
	for {
		page, err := coll.Find(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("verify audit of %s: %w", sc.Tenant(), err)
		}
		for _, d := range page.Docs {
			r.Entries++
			e, err := fromDoc(d)
			if err != nil {
				r.Problems = append(r.Problems, Problem{Seq: expect, Message: err.Error()})
				expect++
				continue
			}
			if e.Seq != expect {
				r.Problems = append(r.Problems, Problem{Seq: expect, Message: fmt.Sprintf("entries %d to %d are missing", expect, e.Seq-1)})
			}
			if e.Prev != prev {
				r.Problems = append(r.Problems, Problem{Seq: e.Seq, Message: "does not link to the entry before it"})
			}
			if h, err := hashData(d.Data); err != nil || h != e.Hash {
				r.Problems = append(r.Problems, Problem{Seq: e.Seq, Message: "content does not match its hash (altered)"})
			}
			if h, ok := want[e.Seq]; ok {
				if h != e.Hash {
					r.Problems = append(r.Problems, Problem{Seq: e.Seq, Message: "differs from the anchored hash"})
				}
				delete(want, e.Seq)
			}
			prev, expect = e.Hash, e.Seq+1
			r.HeadSeq, r.HeadHash = e.Seq, e.Hash
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	for seq := range want {
		r.Problems = append(r.Problems, Problem{Seq: seq, Message: "anchored entry is gone (log truncated)"})
	}
	return r, nil
}
