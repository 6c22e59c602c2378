package form

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/credolabs/credo/runtime/audit"
)

// Authorizer answers permission questions; tenants.Service implements it.
type Authorizer interface {
	// Enforce reports whether user may perform act on obj in tenant.
	Enforce(ctx context.Context, tenant, user, obj, act string) (bool, error)
	// PolicyVersion changes whenever any policy or role assignment of tenant changes.
	PolicyVersion(tenant string) uint64
	// RowScopes returns the CEL row scopes of user's roles on form: nil means the user
	// is not row-restricted, an empty list that no row is visible.
	RowScopes(ctx context.Context, tenant, user, form string) ([]string, error)
}

// Actions checked on form:<key> (record level) and form:<key>/field:<name> (field level).
const (
	ActCreate     = "create"
	ActRead       = "read"
	ActUpdate     = "update"
	ActDelete     = "delete"
	ActExport     = "export"
	ActReadMasked = "read_masked"
)

// FormObject is the policy object of a form's records.
func FormObject(key string) string { return "form:" + key }

// FieldObject is the policy object of one field of a form.
func FieldObject(key, field string) string { return "form:" + key + "/field:" + field }

// View is how much of a field a user may read.
type View uint8

// The views of a field.
const (
	// ViewNone: the field is absent from every answer.
	ViewNone View = iota
	// ViewMasked: the field is shown through its mask.
	ViewMasked
	// ViewFull: the field is shown as stored.
	ViewFull
)

// String is "none", "masked" or "full".
func (v View) String() string {
	switch v {
	case ViewMasked:
		return "masked"
	case ViewFull:
		return "full"
	}
	return "none"
}

// MarshalText writes "none", "masked" or "full".
func (v View) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// FieldMask is what one user may do with one version of a form: record-level rights
// and, per field, a view and a write right. It is resolved once per (tenant, user, form,
// version, policy version) and applied to any number of records.
type FieldMask struct {
	form    string
	version int
	policy  uint64
	rights  map[string]bool
	fields  []fieldRight
	byName  map[string]*fieldRight
	// unmasked lists the sensitive fields this user reads in full.
	unmasked []string
	// entry is the form's schema and layout reduced to this user's fields, made once.
	entry entryOnce
}

type fieldRight struct {
	name  string
	view  View
	write bool
	info  *fieldInfo
	mask  masker
}

// Can reports a record-level right: ActCreate, ActRead, ActUpdate, ActDelete or ActExport.
func (m *FieldMask) Can(act string) bool { return m.rights[act] }

// View is the user's view of field (ViewNone for unknown fields).
func (m *FieldMask) View(field string) View {
	if r, ok := m.byName[field]; ok {
		return r.view
	}
	return ViewNone
}

// CanWrite reports whether the user may write field.
func (m *FieldMask) CanWrite(field string) bool {
	r, ok := m.byName[field]
	return ok && r.write
}

// Known reports whether the user may know the field exists: they may read or write it.
// Every other field is treated exactly like a name the form does not have.
func (m *FieldMask) Known(field string) bool {
	_, ok := m.byName[field]
	return ok
}

// Unmasked lists the sensitive fields the user reads in full, in form order.
func (m *FieldMask) Unmasked() []string { return append([]string(nil), m.unmasked...) }

// Apply returns what the user sees of a record's data: unreadable fields absent,
// masked fields through their mask. data is not modified.
func (m *FieldMask) Apply(data map[string]any) map[string]any {
	out := make(map[string]any, len(m.fields))
	for i := range m.fields {
		r := &m.fields[i]
		v, ok := data[r.name]
		if !ok {
			continue
		}
		switch r.view {
		case ViewFull:
			out[r.name] = v
		case ViewMasked:
			out[r.name] = r.mask(v)
		}
	}
	return out
}

// RedactDiff drops from an audit diff the fields the user may not read and masks those
// they read masked, so an audit view shows each reader only what they may see.
func (m *FieldMask) RedactDiff(diff map[string]audit.Change) map[string]audit.Change {
	out := make(map[string]audit.Change, len(diff))
	for k, c := range diff {
		r, ok := m.byName[k]
		if !ok {
			continue
		}
		switch r.view {
		case ViewFull:
			out[k] = c
		case ViewMasked:
			out[k] = audit.Change{From: r.mask(c.From), To: r.mask(c.To)}
		}
	}
	return out
}

// rowMasker masks a subtable for a masked reader: each row's sensitive or masked
// columns through their masks, the other columns as they are.
func rowMasker(fi *fieldInfo) masker {
	return func(v any) any {
		rows, ok := v.([]any)
		if !ok {
			return maskFullValue(v)
		}
		out := make([]any, len(rows))
		for i, r := range rows {
			row, ok := r.(map[string]any)
			if !ok {
				out[i] = maskFullValue(r)
				continue
			}
			masked := make(map[string]any, len(row))
			for k, cv := range row {
				col, known := fi.subByName[k]
				switch {
				case !known:
				case col.meta.Sensitive || col.meta.Mask != nil:
					masked[k] = col.mask(cv)
				default:
					masked[k] = cv
				}
			}
			out[i] = masked
		}
		return out
	}
}

// maskerOf is how a masked reader sees the field.
func maskerOf(fi *fieldInfo) masker {
	if fi.sub != nil {
		return rowMasker(fi)
	}
	return fi.mask
}

// resolveMask asks the authorizer every question of one form once.
func resolveMask(ctx context.Context, authz Authorizer, tenant, user string, f *Form) (*FieldMask, error) {
	m := &FieldMask{
		form:    f.key,
		version: f.version,
		policy:  authz.PolicyVersion(tenant), // read first: a change during resolution forces a new one
		rights:  map[string]bool{},
		byName:  map[string]*fieldRight{},
	}
	obj := FormObject(f.key)
	for _, act := range []string{ActCreate, ActRead, ActUpdate, ActDelete, ActExport} {
		ok, err := authz.Enforce(ctx, tenant, user, obj, act)
		if err != nil {
			return nil, fmt.Errorf("resolve rights on %s: %w", obj, err)
		}
		m.rights[act] = ok
	}
	for _, name := range f.order {
		fi := f.fields[name]
		fobj := FieldObject(f.key, name)
		r := fieldRight{name: name, info: fi, mask: maskerOf(fi)}
		full, err := authz.Enforce(ctx, tenant, user, fobj, ActRead)
		if err != nil {
			return nil, fmt.Errorf("resolve rights on %s: %w", fobj, err)
		}
		if full {
			r.view = ViewFull
		} else if masked, err := authz.Enforce(ctx, tenant, user, fobj, ActReadMasked); err != nil {
			return nil, fmt.Errorf("resolve rights on %s: %w", fobj, err)
		} else if masked {
			r.view = ViewMasked
		}
		if !fi.computed {
			if r.write, err = authz.Enforce(ctx, tenant, user, fobj, ActUpdate); err != nil {
				return nil, fmt.Errorf("resolve rights on %s: %w", fobj, err)
			}
		}
		if r.view == ViewNone && !r.write {
			continue
		}
		if r.view == ViewFull && fi.sensitive() {
			m.unmasked = append(m.unmasked, name)
		}
		m.fields = append(m.fields, r)
	}
	for i := range m.fields {
		m.byName[m.fields[i].name] = &m.fields[i]
	}
	return m, nil
}

// maskKey identifies a resolved mask; the policy version is checked on lookup.
type maskKey struct {
	tenant, user, form string
	version            int
}

// maskCache keeps resolved masks. An entry whose policy version is not the tenant's
// current one is stale and replaced.
type maskCache struct {
	mu  sync.RWMutex
	m   map[maskKey]*FieldMask
	max int
}

func newMaskCache(max int) *maskCache {
	return &maskCache{m: map[maskKey]*FieldMask{}, max: max}
}

func (c *maskCache) get(k maskKey, policy uint64) *FieldMask {
	c.mu.RLock()
	m := c.m[k]
	c.mu.RUnlock()
	if m == nil || m.policy != policy {
		return nil
	}
	return m
}

func (c *maskCache) put(k maskKey, m *FieldMask) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		// Dropping everything keeps the bound without bookkeeping; masks are cheap to rebuild.
		c.m = make(map[maskKey]*FieldMask, c.max)
	}
	c.m[k] = m
}

// Access is what an actor may see and do on a form, for UI hints and the audit view.
type Access struct {
	Form    string `json:"form"`
	Version int    `json:"version"`
	// Title names the form per locale, for the reader's menus.
	Title  Localized     `json:"title,omitempty"`
	Create bool          `json:"create"`
	Read   bool          `json:"read"`
	Update bool          `json:"update"`
	Delete bool          `json:"delete"`
	Export bool          `json:"export"`
	Fields []FieldAccess `json:"fields"`
	// RowScoped tells whether the actor sees only part of the records.
	RowScoped bool `json:"row_scoped"`
	// Schema is the version's JSON Schema reduced to the listed fields: the others'
	// properties, required entries, the constraints naming them and the $defs only they
	// used are gone. It checks entries in the browser; the server checks with the whole.
	Schema json.RawMessage `json:"schema,omitempty"`
	// Layout is the version's layout with only the listed fields, and only the sections
	// that keep one; absent when the form has no layout.
	Layout *Layout `json:"layout,omitempty"`
	// Mask applies the same rights to data, for callers that show records or diffs.
	Mask *FieldMask `json:"-"`
}

// FieldAccess is one field the actor may read or write; fields they may do neither
// with are not listed.
type FieldAccess struct {
	Name      string `json:"name"`
	View      View   `json:"view"`
	Write     bool   `json:"write"`
	Sensitive bool   `json:"sensitive,omitempty"`
	Computed  bool   `json:"computed,omitempty"`
	// Label, Widget and Options are how to show the field (a reader without the right
	// to the form's definition still needs its column headers).
	Label   Localized `json:"label,omitempty"`
	Widget  string    `json:"widget,omitempty"`
	Options []Option  `json:"options,omitempty"`
	// Help and Placeholder are the entry form's hints.
	Help        Localized `json:"help,omitempty"`
	Placeholder Localized `json:"placeholder,omitempty"`
	// Columns are a sub-table's columns in the schema's order, with the table's write
	// right and, for a masked reader, masked where the column is sensitive or masked.
	Columns []FieldAccess `json:"columns,omitempty"`
}

func (m *FieldMask) access() *Access {
	a := &Access{
		Form: m.form, Version: m.version, Mask: m,
		Create: m.rights[ActCreate], Read: m.rights[ActRead], Update: m.rights[ActUpdate],
		Delete: m.rights[ActDelete], Export: m.rights[ActExport],
		Fields: make([]FieldAccess, 0, len(m.fields)),
	}
	for _, r := range m.fields {
		fa := FieldAccess{Name: r.name, View: r.view, Write: r.write, Sensitive: r.info.sensitive(), Computed: r.info.computed}
		if meta := r.info.meta; meta != nil {
			fa.Label, fa.Widget, fa.Options = meta.Label, meta.Widget, meta.Options
			fa.Help, fa.Placeholder = meta.Help, meta.Placeholder
		}
		a.Fields = append(a.Fields, fa)
	}
	return a
}
