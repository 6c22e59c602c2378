package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

func num(s string) json.Number { return json.Number(s) }

// queryFixtures are the documents the filter, sort and paging cases run over. Each field
// keeps one JSON type (plus missing and null), with duplicates to exercise tie-breaks,
// case and non-ASCII strings, integers beyond 2^53, nested objects and arrays.
func queryFixtures() []map[string]any {
	names := []any{"Alice", "alina", "Bob", "bobby", "Zoë", "", "Alice", "carol", "Émile", "bob", nil}
	statuses := []string{"draft", "submitted", "approved", "rejected"}
	cities := []any{"Lagos", "lagos", "Lima", "Nairobi", "Nice", nil}
	notes := []string{"Applied online", "applied at branch", "Happy path", "needs review", "approved by manager", "APP form"}
	tagSets := [][]any{{"vip", "returning"}, {"returning"}, {}, {"vip"}, {"new", "review"}, {"vipx"}}
	scores := []json.Number{"0.5", "1.25", "-3.75", "2", "1.25", "100.125", "7", "-0.001"}
	var docs []map[string]any
	for i := range 44 {
		d := map[string]any{
			"status": statuses[i%len(statuses)],
			"note":   notes[i%len(notes)],
		}
		if n := names[i%len(names)]; n != nil || i%2 == 0 { // odd rounds of nil: missing; even: explicit null
			d["name"] = n
		}
		if i%7 != 3 {
			d["age"] = num(fmt.Sprint(18 + (i*13)%50))
		}
		if i%5 != 4 {
			d["score"] = scores[i%len(scores)]
		}
		if i%6 != 5 {
			d["active"] = i%3 == 0
		}
		if i%9 != 8 {
			app := map[string]any{"income": num(fmt.Sprint(1000 * (i % 11)))}
			if c := cities[i%len(cities)]; c != nil {
				app["city"] = c
			}
			if i%4 == 0 {
				app["address"] = map[string]any{"zip": fmt.Sprintf("%05d", 10000+i*7)}
			}
			d["applicant"] = app
		}
		if i%8 != 7 {
			d["tags"] = tagSets[i%len(tagSets)]
		}
		docs = append(docs, d)
	}
	// Integers a float64 cannot tell apart, and their neighbours.
	for _, b := range []string{"9007199254740993", "9007199254740992", "-9007199254740993", "4611686018427387904"} {
		docs = append(docs, map[string]any{"big": num(b), "status": "draft", "note": "big", "tags": []any{"big"}})
	}
	// An array of numbers never contains a string.
	docs = append(docs, map[string]any{"status": "approved", "note": "numbers", "tags": []any{num("1"), num("2")}})
	return docs
}

// loaded is a fixture set as stored: the documents as the backend returned them from
// Get, with their assigned ids and metadata, and Data as the fixture wrote it.
type loaded struct {
	coll store.Collection
	docs []*store.Doc
}

// loadQueryFixtures stores queryFixtures in a fresh collection, spacing the inserts so
// creation times differ, and updates some documents once or twice so versions and
// update times differ too.
func loadQueryFixtures(t *testing.T, ctx context.Context, c store.Collection) *loaded {
	t.Helper()
	fx := queryFixtures()
	docs := make([]*store.Doc, len(fx))
	for i, data := range fx {
		d := &store.Doc{Data: data}
		require.NoError(t, c.Insert(ctx, d), "insert fixture %d", i)
		docs[i] = d
		if i%8 == 7 {
			time.Sleep(3 * time.Millisecond)
		}
	}
	time.Sleep(3 * time.Millisecond)
	for i, d := range docs {
		for range updatesOf(i) {
			require.NoError(t, c.Update(ctx, d), "update fixture %d", i)
		}
	}
	out := &loaded{coll: c}
	for i, d := range docs {
		got, err := c.Get(ctx, d.ID)
		require.NoError(t, err, "get fixture %d", i)
		require.Empty(t, sameData(fx[i], got.Data), "fixture %d does not round-trip", i)
		got.Data = fx[i]
		out.docs = append(out.docs, got)
	}
	return out
}

func updatesOf(i int) int {
	switch {
	case i%10 == 0:
		return 2
	case i%5 == 0:
		return 1
	}
	return 0
}

// aggFixtures generates n documents for the aggregation cases from a fixed seed:
// statuses and channels with gaps, integer and decimal amounts with a few strings and
// booleans mixed in (which measures ignore), RFC 3339 dates with several offsets and
// some non-dates, scores for ranges, terms and flags.
func aggFixtures(n int) []map[string]any {
	r := rand.New(rand.NewPCG(7, 11))
	statuses := []string{"draft", "submitted", "approved", "rejected"}
	channels := []string{"branch", "online", "agent"}
	offsets := []string{"Z", "+08:00", "-05:00", "+05:30"}
	var out []map[string]any
	for range n {
		d := map[string]any{}
		switch x := r.IntN(20); {
		case x == 0: // missing
		case x == 1:
			d["status"] = nil
		default:
			d["status"] = statuses[r.IntN(len(statuses))]
		}
		if r.IntN(6) != 0 {
			d["channel"] = channels[r.IntN(len(channels))]
		}
		switch x := r.IntN(30); {
		case x == 0: // missing
		case x == 1:
			d["amount"] = "n/a"
		case x == 2:
			d["amount"] = true
		case x < 15:
			d["amount"] = num(fmt.Sprint(1000 + r.IntN(49000)))
		default:
			d["amount"] = num(fmt.Sprintf("%d.%02d", 100+r.IntN(9000), r.IntN(100)))
		}
		switch x := r.IntN(25); {
		case x == 0: // missing
		case x == 1:
			d["applied_at"] = "soon"
		case x < 6:
			d["applied_at"] = fmt.Sprintf("2024-%02d-%02d", 1+r.IntN(3), 1+r.IntN(28))
		default:
			// Late evenings and early mornings, so the date as written and the UTC
			// date differ for many of them.
			h := []int{0, 1, 2, 22, 23, 12}[r.IntN(6)]
			d["applied_at"] = fmt.Sprintf("2024-%02d-%02dT%02d:%02d:00%s", 1+r.IntN(3), 1+r.IntN(28), h, r.IntN(60), offsets[r.IntN(len(offsets))])
		}
		if r.IntN(10) != 0 {
			d["score"] = num(fmt.Sprint(300 + r.IntN(551)))
		}
		d["term"] = num(fmt.Sprint([]int{6, 12, 24, 36}[r.IntN(4)]))
		if r.IntN(8) != 0 {
			d["flag"] = r.IntN(2) == 0
		}
		out = append(out, d)
	}
	return out
}

// insertData inserts each body and returns the stored documents.
func insertData(t *testing.T, ctx context.Context, c store.Collection, bodies []map[string]any) []*store.Doc {
	t.Helper()
	docs := make([]*store.Doc, 0, len(bodies))
	for i, data := range bodies {
		d := &store.Doc{Data: data}
		require.NoError(t, c.Insert(ctx, d), "insert %d", i)
		docs = append(docs, d)
	}
	return docs
}

func idsOf(docs []*store.Doc) []string {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids
}
