package list

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/store"
)

// Collection is the store collection that holds every list of a tenant.
const Collection = "lists"

// Limits of names, values and batches.
const (
	// MaxNameLength bounds a list name in bytes.
	MaxNameLength = 64
	// MaxValueLength bounds a value in characters, after trimming.
	MaxValueLength = 200
	// MaxNoteLength bounds a note in characters, after trimming.
	MaxNoteLength = 500
	// MaxBatch bounds the entries of one Add.
	MaxBatch = 1000
)

// indexName is the (list, value) index behind the paged listing.
const indexName = "lists_list_value"

// Data keys of a stored entry.
const (
	keyList    = "list"
	keyValue   = "value"
	keyNote    = "note"
	keyAddedBy = "added_by"
)

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// ValidName reports whether name may name a list: lowercase letters, digits and
// underscores in dot-separated parts, each starting with a letter, at most MaxNameLength bytes.
func ValidName(name string) bool { return len(name) <= MaxNameLength && nameRE.MatchString(name) }

func checkName(name string) error {
	if !ValidName(name) {
		return fmt.Errorf("%q: %w", name, ErrInvalidName)
	}
	return nil
}

// EntryID is the document id of value on list: a digest, so the same value always lands
// on the same document and ids reveal neither the list nor the value.
func EntryID(list, value string) string {
	sum := sha256.Sum256([]byte(list + "\x00" + value))
	return hex.EncodeToString(sum[:16])
}

// Entry is a value to put on a list.
type Entry struct {
	// Value is compared exactly after trimming surrounding white space.
	Value string `json:"value"`
	// Note says why the value is listed (optional).
	Note string `json:"note,omitempty"`
}

// Item is a value on a list.
type Item struct {
	ID      string    `json:"id"`
	List    string    `json:"list"`
	Value   string    `json:"value"`
	Note    string    `json:"note,omitempty"`
	AddedBy string    `json:"added_by"`
	AddedAt time.Time `json:"added_at"`
}

// Page is one page of a list's entries, ordered by value; Next continues it.
type Page struct {
	Entries []*Item `json:"entries"`
	Next    string  `json:"next,omitempty"`
}

// Summary is one list of a tenant with its number of values.
type Summary struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// AddResult says what an Add changed.
type AddResult struct {
	// Added counts the values that were not on the list before.
	Added int `json:"added"`
	// Unchanged counts the values already on it (their notes are kept as they were).
	Unchanged int `json:"unchanged"`
}

// Actor is who changes a list, for the audit log.
type Actor struct {
	UserID    string
	Client    string
	RequestID string
}

// Service keeps the tenants' lists. It is safe for concurrent use.
type Service struct {
	b   store.Backend
	log *audit.Log

	indexed sync.Map // tenant -> struct{}: the (list, value) index is known to exist
}

// NewService returns the list service over b; changes are audited in log. Both are required.
func NewService(b store.Backend, log *audit.Log) *Service {
	if b == nil || log == nil {
		panic("list.NewService: backend and audit log are required")
	}
	return &Service{b: b, log: log}
}

// scope returns the tenant's store scope, creating the listing index on first use.
// Index creation stays outside any transaction: some engines cannot create one inside.
func (s *Service) scope(ctx context.Context, tenant string) (store.Scope, error) {
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, err
	}
	if _, ok := s.indexed.Load(tenant); ok {
		return sc, nil
	}
	idx := store.Index{Name: indexName, Fields: []string{keyList, keyValue}}
	if err := sc.Collection(Collection).EnsureIndex(ctx, idx); err != nil {
		return nil, fmt.Errorf("ensure index %s: %w", indexName, err)
	}
	s.indexed.Store(tenant, struct{}{})
	return sc, nil
}

// Add puts entries on the tenant's list. It is idempotent: a value already on the list
// is left as it is (note included) and counted as unchanged. A batch with any bad entry
// is refused whole with a *ValidationError naming each one. Values that were new are
// audited, in the same transaction, as one update of "list:<name>".
func (s *Service) Add(ctx context.Context, tenant, list string, entries []Entry, by Actor) (*AddResult, error) {
	if err := checkName(list); err != nil {
		return nil, err
	}
	if by.UserID == "" {
		return nil, fmt.Errorf("add to list %s: no actor", list)
	}
	clean, err := cleanEntries(entries)
	if err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("add to list %s: %w", list, err)
	}
	ids := make([]string, len(clean))
	for i, e := range clean {
		ids[i] = EntryID(list, e.Value)
	}
	res := &AddResult{}
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		*res = AddResult{} // MongoDB retries transient transaction errors: start over
		coll := sc.Collection(Collection)
		have, err := existing(ctx, coll, ids)
		if err != nil {
			return err
		}
		var added []any
		for i, e := range clean {
			if have[ids[i]] {
				res.Unchanged++
				continue
			}
			data := map[string]any{keyList: list, keyValue: e.Value, keyAddedBy: by.UserID}
			if e.Note != "" {
				data[keyNote] = e.Note
			}
			err := coll.Insert(ctx, &store.Doc{ID: ids[i], Data: data})
			if errors.Is(err, store.ErrDuplicate) {
				// A concurrent Add got there first (engines without transactions).
				res.Unchanged++
				continue
			}
			if err != nil {
				return err
			}
			res.Added++
			added = append(added, auditValue(ids[i], e.Value))
		}
		if len(added) == 0 {
			return nil
		}
		_, err = s.log.Append(ctx, sc, audit.Entry{Actor: by.UserID, Action: audit.ActionUpdate, Object: Object(list),
			Client: by.Client, RequestID: by.RequestID, Detail: map[string]any{"added": added, "count": len(added)}})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("add to list %s: %w", list, err)
	}
	return res, nil
}

// Remove takes value off the tenant's list, audited as a delete of "list:<name>".
// ErrNotFound when the value is not on it.
func (s *Service) Remove(ctx context.Context, tenant, list, value string, by Actor) error {
	if err := checkName(list); err != nil {
		return err
	}
	if by.UserID == "" {
		return fmt.Errorf("remove from list %s: no actor", list)
	}
	v, ok := normalValue(value)
	if !ok {
		return ErrNotFound
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return fmt.Errorf("remove from list %s: %w", list, err)
	}
	id := EntryID(list, v)
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		coll := sc.Collection(Collection)
		d, err := coll.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := coll.Delete(ctx, id, d.Version); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return ErrNotFound
			}
			return err
		}
		detail := map[string]any{"removed": auditValue(id, v)}
		if adder, _ := d.Data[keyAddedBy].(string); adder != "" {
			detail["added_by"] = adder
		}
		_, err = s.log.Append(ctx, sc, audit.Entry{Actor: by.UserID, Action: audit.ActionDelete, Object: Object(list),
			Client: by.Client, RequestID: by.RequestID, Detail: detail})
		return err
	})
	if err != nil {
		return fmt.Errorf("remove from list %s: %w", list, err)
	}
	return nil
}

// Get returns value's entry on the tenant's list, or ErrNotFound.
func (s *Service) Get(ctx context.Context, tenant, list, value string) (*Item, error) {
	if err := checkName(list); err != nil {
		return nil, err
	}
	v, ok := normalValue(value)
	if !ok {
		return nil, ErrNotFound
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("get from list %s: %w", list, err)
	}
	d, err := sc.Collection(Collection).Get(ctx, EntryID(list, v))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get from list %s: %w", list, err)
	}
	return itemOf(d), nil
}

// Contains returns the values (as given, in the given order, each once) that are on the
// tenant's list. Values that could not be on any list (empty, too long) are simply not
// found. Up to 200 distinct values cost one store query.
func (s *Service) Contains(ctx context.Context, tenant, list string, values []string) ([]string, error) {
	if err := checkName(list); err != nil {
		return nil, err
	}
	found, err := s.containsAll(ctx, tenant, []Question{{List: list, Values: values}})
	if err != nil {
		return nil, fmt.Errorf("list %s lookup: %w", list, err)
	}
	return found[0], nil
}

// Question asks which of Values are on List.
type Question struct {
	List   string
	Values []string
}

// ContainsAll answers several membership questions about the tenant's lists at once:
// found[i] is what Contains returns for qs[i]. Every list lives in the one collection, so
// all the questions together cost one store query per 200 distinct (list, value) pairs.
// An invalid list name fails the whole call before the store is asked.
func (s *Service) ContainsAll(ctx context.Context, tenant string, qs []Question) ([][]string, error) {
	for _, q := range qs {
		if err := checkName(q.List); err != nil {
			return nil, err
		}
	}
	found, err := s.containsAll(ctx, tenant, qs)
	if err != nil {
		return nil, fmt.Errorf("lists lookup: %w", err)
	}
	return found, nil
}

// containsAll answers questions whose list names are valid.
func (s *Service) containsAll(ctx context.Context, tenant string, qs []Question) ([][]string, error) {
	// keys[i][j] is the entry id of qs[i].Values[j], "" for a value no list can hold.
	keys := make([][]string, len(qs))
	var ids []string
	asked := map[string]bool{}
	for i, q := range qs {
		keys[i] = make([]string, len(q.Values))
		for j, raw := range q.Values {
			v, ok := normalValue(raw)
			if !ok {
				continue
			}
			id := EntryID(q.List, v)
			keys[i][j] = id
			if !asked[id] {
				asked[id] = true
				ids = append(ids, id)
			}
		}
	}
	var have map[string]bool
	if len(ids) > 0 {
		sc, err := s.b.Scope(tenant)
		if err != nil {
			return nil, err
		}
		if have, err = existing(ctx, sc.Collection(Collection), ids); err != nil {
			return nil, err
		}
	}
	out := make([][]string, len(qs))
	for i, q := range qs {
		out[i] = []string{}
		var seen map[string]bool
		for j, raw := range q.Values {
			if !have[keys[i][j]] || seen[raw] {
				continue
			}
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[raw] = true
			out[i] = append(out[i], raw)
		}
	}
	return out, nil
}

// Entries returns one page of the tenant's list in value order. limit 0 means 50; at
// most store.MaxLimit. cursor is a previous page's Next.
func (s *Service) Entries(ctx context.Context, tenant, list, cursor string, limit int) (*Page, error) {
	if err := checkName(list); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("list %s entries: %w", list, err)
	}
	page, err := sc.Collection(Collection).Find(ctx, store.Query{
		Filter: store.Eq(keyList, list),
		Sort:   []store.Sort{{Field: keyValue}},
		Limit:  limit,
		Cursor: cursor,
	})
	if err != nil {
		return nil, fmt.Errorf("list %s entries: %w", list, err)
	}
	out := &Page{Entries: make([]*Item, 0, len(page.Docs)), Next: page.Next}
	for _, d := range page.Docs {
		out.Entries = append(out.Entries, itemOf(d))
	}
	return out, nil
}

// Lists returns the tenant's non-empty lists by name, with how many values each holds.
// It counts every value of the tenant, so its cost grows with the size of all lists.
func (s *Service) Lists(ctx context.Context, tenant string) ([]Summary, error) {
	sc, err := s.scope(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("lists: %w", err)
	}
	groups, err := sc.Collection(Collection).Aggregate(ctx, store.Aggregation{
		GroupBy:  []store.GroupKey{{Field: keyList}},
		Measures: []store.Measure{{Name: "count", Op: store.MeasureCount}},
	})
	if err != nil {
		return nil, fmt.Errorf("lists: %w", err)
	}
	out := make([]Summary, 0, len(groups))
	for _, g := range groups {
		name, _ := g.Key[0].(string)
		if name == "" {
			continue
		}
		out = append(out, Summary{Name: name, Count: int64(g.Values["count"])})
	}
	slices.SortFunc(out, func(a, b Summary) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Object is the audit object of a list.
func Object(list string) string { return "list:" + list }

// existing reports which of ids are stored.
func existing(ctx context.Context, coll store.Collection, ids []string) (map[string]bool, error) {
	have := make(map[string]bool)
	// Only the ids are wanted: projecting on the id reads no document body.
	err := store.FindIDs(ctx, coll, ids, []string{store.FieldID}, func(d *store.Doc) { have[d.ID] = true })
	return have, err
}

// cleanEntries trims and checks a batch and drops repeated values (the first note wins).
func cleanEntries(entries []Entry) ([]Entry, error) {
	switch {
	case len(entries) == 0:
		return nil, &ValidationError{Problems: []Problem{{Path: "/values", Code: "minItems", Message: "must hold at least one value"}}}
	case len(entries) > MaxBatch:
		return nil, &ValidationError{Problems: []Problem{{Path: "/values", Code: "maxItems",
			Message: fmt.Sprintf("holds %d values; send at most %d per request", len(entries), MaxBatch)}}}
	}
	var ps []Problem
	out := make([]Entry, 0, len(entries))
	seen := make(map[string]bool, len(entries))
	for i, e := range entries {
		at := fmt.Sprintf("/values/%d", i)
		v := strings.TrimSpace(e.Value)
		if p, ok := checkText(at+"/value", v, MaxValueLength, true); !ok {
			ps = append(ps, p)
		}
		n := strings.TrimSpace(e.Note)
		if p, ok := checkText(at+"/note", n, MaxNoteLength, false); !ok {
			ps = append(ps, p)
		}
		if len(ps) > 0 || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, Entry{Value: v, Note: n})
	}
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	return out, nil
}

func checkText(path, s string, maxLen int, required bool) (Problem, bool) {
	switch {
	case required && s == "":
		return Problem{Path: path, Code: "required", Message: "must not be empty"}, false
	case !utf8.ValidString(s):
		return Problem{Path: path, Code: "encoding", Message: "must be valid UTF-8"}, false
	case utf8.RuneCountInString(s) > maxLen:
		return Problem{Path: path, Code: "maxLength", Message: fmt.Sprintf("must be at most %d characters", maxLen)}, false
	case strings.ContainsFunc(s, unicode.IsControl):
		return Problem{Path: path, Code: "control", Message: "must not contain control characters"}, false
	}
	return Problem{}, true
}

// normalValue is value as it would be stored, and whether it could be stored at all.
func normalValue(value string) (string, bool) {
	v := strings.TrimSpace(value)
	_, ok := checkText("", v, MaxValueLength, true)
	return v, ok
}

func itemOf(d *store.Doc) *Item {
	s := func(k string) string { v, _ := d.Data[k].(string); return v }
	return &Item{ID: d.ID, List: s(keyList), Value: s(keyValue), Note: s(keyNote), AddedBy: s(keyAddedBy), AddedAt: d.CreatedAt}
}

// auditValue names a value in the audit log by its entry id and a masked form.
func auditValue(id, value string) map[string]any {
	return map[string]any{"id": id, "value": Mask(value)}
}

// Mask hides the middle of value, keeping at most a quarter of its characters at each end
// (never more than 3 in front and 4 behind): "13812345678" becomes "13*******78",
// "110101199003071234" becomes "110***********1234".
func Mask(value string) string {
	r := []rune(value)
	keep := len(r) / 4
	head, tail := min(3, keep), min(4, keep)
	var b strings.Builder
	b.WriteString(string(r[:head]))
	b.WriteString(strings.Repeat("*", len(r)-head-tail))
	b.WriteString(string(r[len(r)-tail:]))
	return b.String()
}
