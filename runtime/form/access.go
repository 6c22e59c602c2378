package form

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
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
	// partRows are the sub-tables the user may write only in part (see keepColumns).
	partRows []*fieldRight
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
	// show turns a stored value into what the reader sees; nil: the value as stored.
	show masker
	// cols are a sub-table's columns the reader may read or write, in name order.
	cols []fieldRight
	// wholeRows: the reader reads in full and writes every column of the sub-table, so
	// its rows may be removed and reordered; otherwise row i of a write is row i stored.
	wholeRows bool
}

// col is the reader's right on a column of a sub-table; nil when they may neither read
// nor write it.
func (r *fieldRight) col(name string) *fieldRight {
	for i := range r.cols {
		if r.cols[i].name == name {
			return &r.cols[i]
		}
	}
	return nil
}

// Can reports a record-level right: ActCreate, ActRead, ActUpdate, ActDelete or ActExport.
func (m *FieldMask) Can(act string) bool { return m.rights[act] }

// right finds the reader's right on a field or, for "table.column", on a sub-table's
// column; nil when they may neither read nor write it.
func (m *FieldMask) right(field string) *fieldRight {
	top, col, nested := strings.Cut(field, ".")
	r, ok := m.byName[top]
	if !ok || !nested {
		return r
	}
	return r.col(col)
}

// View is the user's view of a field or of a sub-table's column ("contacts.phone");
// ViewNone for unknown ones. A sub-table's own view is the best of its columns'.
func (m *FieldMask) View(field string) View {
	if r := m.right(field); r != nil {
		return r.view
	}
	return ViewNone
}

// CanWrite reports whether the user may write a field or a sub-table's column. For a
// sub-table it means some column: see WritesWhole.
func (m *FieldMask) CanWrite(field string) bool {
	r := m.right(field)
	return r != nil && r.write
}

// WritesWhole reports whether the user may replace a field's whole value: its write
// right, and for a sub-table, full reads and writes of every column, since rows they
// may not see or change would otherwise go with the old value.
func (m *FieldMask) WritesWhole(field string) bool {
	r := m.right(field)
	return r != nil && r.write && (r.info.sub == nil || r.wholeRows)
}

// Known reports whether the user may know the field (or "table.column") exists: they
// may read or write it. Every other field is treated exactly like a name the form does
// not have.
func (m *FieldMask) Known(field string) bool { return m.right(field) != nil }

// Unmasked lists the sensitive fields the user reads in full, in form order; a
// sub-table is listed when one of its sensitive columns is.
func (m *FieldMask) Unmasked() []string { return append([]string(nil), m.unmasked...) }

// Apply returns what the user sees of a record's data: unreadable fields and columns
// absent, masked ones through their mask. data is not modified.
func (m *FieldMask) Apply(data map[string]any) map[string]any {
	out := make(map[string]any, len(m.fields))
	for i := range m.fields {
		r := &m.fields[i]
		if v, ok := data[r.name]; ok && r.view != ViewNone {
			out[r.name] = r.shown(v)
		}
	}
	return out
}

func (r *fieldRight) shown(v any) any {
	if r.show == nil {
		return v
	}
	return r.show(v)
}

// RedactDiff drops from an audit diff the fields the user may not read and masks those
// they read masked, so an audit view shows each reader only what they may see. A
// sub-table whose change lies only in columns hidden from the reader is dropped too.
func (m *FieldMask) RedactDiff(diff map[string]audit.Change) map[string]audit.Change {
	out := make(map[string]audit.Change, len(diff))
	for k, c := range diff {
		r, ok := m.byName[k]
		if !ok || r.view == ViewNone {
			continue
		}
		from, to := r.shown(c.From), r.shown(c.To)
		if r.info.sub != nil && sameValue(from, to) {
			continue
		}
		out[k] = audit.Change{From: from, To: to}
	}
	return out
}

// rowMasker masks a subtable for a masked reader of every column: each row's sensitive
// or masked columns through their masks, the other columns as they are.
func rowMasker(fi *fieldInfo) masker {
	cols := make([]fieldRight, len(fi.sub))
	for i, c := range fi.sub {
		cols[i] = fieldRight{name: c.name, view: ViewMasked, info: c, show: columnMasker(c)}
	}
	return rowProjector(cols)
}

// columnMasker is how a masked reader sees a column: through its mask when it is
// sensitive or has one; a column with neither has nothing to hide and is shown as is.
func columnMasker(c *fieldInfo) masker {
	if c.meta.Sensitive || c.meta.Mask != nil {
		return c.mask
	}
	return nil
}

// rowProjector shows a sub-table's rows with only the columns cols lists, each as its
// reader sees it. A value that is not a list of rows is masked whole.
func rowProjector(cols []fieldRight) masker {
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
			shown := make(map[string]any, len(cols))
			for j := range cols {
				c := &cols[j]
				if cv, ok := row[c.name]; ok && c.view != ViewNone {
					shown[c.name] = c.shown(cv)
				}
			}
			out[i] = shown
		}
		return out
	}
}

// fieldRights asks the authorizer the read, read_masked and update questions of one
// field object.
func fieldRights(ctx context.Context, authz Authorizer, tenant, user, obj string, computed bool) (view View, write bool, err error) {
	full, err := authz.Enforce(ctx, tenant, user, obj, ActRead)
	if err != nil {
		return 0, false, fmt.Errorf("resolve rights on %s: %w", obj, err)
	}
	if full {
		view = ViewFull
	} else if masked, err := authz.Enforce(ctx, tenant, user, obj, ActReadMasked); err != nil {
		return 0, false, fmt.Errorf("resolve rights on %s: %w", obj, err)
	} else if masked {
		view = ViewMasked
	}
	if !computed {
		if write, err = authz.Enforce(ctx, tenant, user, obj, ActUpdate); err != nil {
			return 0, false, fmt.Errorf("resolve rights on %s: %w", obj, err)
		}
	}
	return view, write, nil
}

// resolveField resolves one field's right. A sub-table's comes from its columns (a
// rule on the table covers them, a rule on a column only that column): it shows the
// columns its reader may read and may be written when one column may.
func resolveField(ctx context.Context, authz Authorizer, tenant, user, form string, fi *fieldInfo) (fieldRight, error) {
	r := fieldRight{name: fi.name, info: fi}
	obj := FieldObject(form, fi.name)
	if len(fi.sub) == 0 {
		var err error
		if r.view, r.write, err = fieldRights(ctx, authz, tenant, user, obj, fi.computed); err != nil {
			return r, err
		}
		if r.view == ViewMasked {
			r.show = maskerOf(fi)
		}
		return r, nil
	}
	r.wholeRows = true
	for _, c := range fi.sub {
		view, write, err := fieldRights(ctx, authz, tenant, user, obj+"."+c.name, false)
		if err != nil {
			return r, err
		}
		col := fieldRight{name: c.name, view: view, write: write, info: c}
		if view == ViewMasked {
			if col.show = columnMasker(c); col.show == nil {
				col.view = ViewFull
			}
		}
		r.wholeRows = r.wholeRows && col.view == ViewFull && write
		if col.view == ViewNone && !write {
			continue
		}
		r.view, r.write = max(r.view, col.view), r.write || write
		r.cols = append(r.cols, col)
	}
	if !r.wholeRows {
		r.show = rowProjector(r.cols)
	}
	return r, nil
}

// sensitiveInFull reports whether the reader sees personal data of the field in full.
func (r *fieldRight) sensitiveInFull() bool {
	if r.info.sub == nil {
		return r.view == ViewFull && r.info.meta.Sensitive
	}
	for i := range r.cols {
		if c := &r.cols[i]; c.view == ViewFull && c.info.meta.Sensitive {
			return true
		}
	}
	return false
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
		r, err := resolveField(ctx, authz, tenant, user, f.key, f.fields[name])
		if err != nil {
			return nil, err
		}
		if r.view == ViewNone && !r.write {
			continue
		}
		if r.sensitiveInFull() {
			m.unmasked = append(m.unmasked, name)
		}
		m.fields = append(m.fields, r)
	}
	for i := range m.fields {
		r := &m.fields[i]
		m.byName[r.name] = r
		if r.info.sub != nil && r.write && !r.wholeRows {
			m.partRows = append(m.partRows, r)
		}
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
	// Columns are the sub-table's columns the actor may read or write, in the schema's
	// order, each with its own view and write right. A sub-table's own View is the best
	// of its columns' and Write tells that one column may be written.
	Columns []FieldAccess `json:"columns,omitempty"`
	// RemoveRows tells, for a sub-table, whether the actor may remove and reorder its
	// rows: only when they read in full and write every column. Otherwise row i of a
	// write is row i of the stored record.
	RemoveRows bool `json:"remove_rows,omitempty"`
}

func (m *FieldMask) access() *Access {
	a := &Access{
		Form: m.form, Version: m.version, Mask: m,
		Create: m.rights[ActCreate], Read: m.rights[ActRead], Update: m.rights[ActUpdate],
		Delete: m.rights[ActDelete], Export: m.rights[ActExport],
		Fields: make([]FieldAccess, 0, len(m.fields)),
	}
	for _, r := range m.fields {
		fa := FieldAccess{Name: r.name, View: r.view, Write: r.write, Sensitive: r.info.sensitive(), Computed: r.info.computed,
			RemoveRows: r.info.sub != nil && r.wholeRows}
		if meta := r.info.meta; meta != nil {
			fa.Label, fa.Widget, fa.Options = meta.Label, meta.Widget, meta.Options
			fa.Help, fa.Placeholder = meta.Help, meta.Placeholder
		}
		a.Fields = append(a.Fields, fa)
	}
	return a
}
