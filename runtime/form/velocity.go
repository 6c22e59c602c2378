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
	f, err := s.Form(ctx, tenant, form)
	if err != nil {
		return 0, err
	}
	fi, ok := f.fields[field]
	if !ok || fi.typ.kind != kindString {
		return 0, fmt.Errorf("count %s records: %q is not a text field of the form: %w", form, field, store.ErrInvalid)
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return 0, err
	}
	return sc.Collection(RecordsCollection(form)).Count(ctx,
		store.And(store.Eq(dataPath(field), value), store.Gte(store.FieldCreatedAt, since)))
}
