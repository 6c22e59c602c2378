package form

import (
	"context"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// CountSince counts the tenant's records of form whose top-level text field equals value
// and that were created at or after since. It serves the plugins' velocity checks
// (applications per phone, device or address in a window), which learn a number and no
// record, so it applies no user's permissions.
func (s *Service) CountSince(ctx context.Context, tenant, form, field, value string, since time.Time) (int64, error) {
	n, err := s.CountsSince(ctx, tenant, []CountQuestion{{Form: form, Field: field, Value: value, Since: since}})
	if err != nil {
		return 0, err
	}
	return n[0], nil
}

// CountQuestion is one question of CountsSince: how many of the tenant's records of Form
// have Field equal to Value and were created at or after Since.
type CountQuestion struct {
	Form, Field, Value string
	Since              time.Time
}

// CountsSince answers several velocity questions of one tenant: n[i] is what CountSince
// returns for qs[i]. Every question is checked before the store is asked anything, each
// form is resolved once, and a question asked twice is counted once. Each distinct
// question is still one store count: one count over an OR of conditions on different
// fields cannot use the fields' indexes on SQLite and reads every record of the form.
func (s *Service) CountsSince(ctx context.Context, tenant string, qs []CountQuestion) ([]int64, error) {
	forms := map[string]*Form{}
	for _, q := range qs {
		f, ok := forms[q.Form]
		if !ok {
			var err error
			if f, err = s.Form(ctx, tenant, q.Form); err != nil {
				return nil, err
			}
			forms[q.Form] = f
		}
		if fi, ok := f.fields[q.Field]; !ok || fi.typ.kind != kindString {
			return nil, fmt.Errorf("count %s records: %q is not a text field of the form: %w", q.Form, q.Field, store.ErrInvalid)
		}
	}
	out := make([]int64, len(qs))
	if len(qs) == 0 {
		return out, nil
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, err
	}
	type key struct {
		form, field, value string
		sec                int64
		nsec               int
	}
	done := make(map[key]int64, len(qs))
	for i, q := range qs {
		k := key{q.Form, q.Field, q.Value, q.Since.Unix(), q.Since.Nanosecond()}
		n, ok := done[k]
		if !ok {
			n, err = sc.Collection(RecordsCollection(q.Form)).Count(ctx,
				store.And(store.Eq(dataPath(q.Field), q.Value), store.Gte(store.FieldCreatedAt, q.Since)))
			if err != nil {
				return nil, err
			}
			done[k] = n
		}
		out[i] = n
	}
	return out, nil
}
