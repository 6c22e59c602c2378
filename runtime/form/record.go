package form

import (
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// Actor is who asks: the tenant, the user and what the row scopes may read of them.
type Actor struct {
	Tenant string
	UserID string
	// Roles and Attrs are what row scopes read as user.roles and user.attrs.
	Roles []string
	Attrs map[string]string
	// Client and RequestID are written into audit entries.
	Client    string
	RequestID string
	// Origin and Depth are set when rules' actions make the change: the record event
	// carries them so those rules do not fire on their own change and a chain stops.
	Origin []string
	Depth  int
}

// Record is one form record as a caller sees it.
type Record struct {
	ID          string         `json:"id"`
	Form        string         `json:"form"`
	FormVersion int            `json:"form_version"`
	Version     int64          `json:"version"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	CreatedBy   string         `json:"created_by"`
	UpdatedBy   string         `json:"updated_by,omitempty"`
	Data        map[string]any `json:"data"`
}

// ListQuery selects records. Filter and Sort name form fields ("amount") or record
// metadata (MetaID, MetaCreatedAt…); Fields limits the data returned to these fields.
type ListQuery struct {
	Filter *store.Filter
	Sort   []store.Sort
	Limit  int
	Cursor string
	Fields []string
}

// RecordPage is one page of records; Next continues it ("" on the last page).
type RecordPage struct {
	Records []*Record `json:"records"`
	Next    string    `json:"next,omitempty"`
}

// Record metadata names usable in ListQuery filters and sorts.
const (
	MetaID          = store.FieldID
	MetaVersion     = store.FieldVersion
	MetaCreatedAt   = store.FieldCreatedAt
	MetaUpdatedAt   = store.FieldUpdatedAt
	MetaCreatedBy   = "_created_by"
	MetaUpdatedBy   = "_updated_by"
	MetaFormVersion = "_form_version"
)

// Keys of a record document's Data in the store.
const (
	docFormVersion = "form_version"
	docCreatedBy   = "created_by"
	docUpdatedBy   = "updated_by"
	docData        = "data"
)

// metaPaths maps metadata names to store paths.
var metaPaths = map[string]string{
	MetaID: store.FieldID, MetaVersion: store.FieldVersion, MetaCreatedAt: store.FieldCreatedAt,
	MetaUpdatedAt: store.FieldUpdatedAt, MetaCreatedBy: docCreatedBy, MetaUpdatedBy: docUpdatedBy,
	MetaFormVersion: docFormVersion,
}

// dataPath is the store path of a form field.
func dataPath(field string) string { return docData + "." + field }

// RecordsCollection is the store collection of a form's records.
func RecordsCollection(formKey string) string { return "records:" + formKey }

// RecordObject is the audit object of one record.
func RecordObject(formKey, id string) string { return fmt.Sprintf("form:%s/record:%s", formKey, id) }

// docOf builds a record document.
func docOf(id string, formVersion int, createdBy, updatedBy string, data map[string]any) *store.Doc {
	d := map[string]any{docFormVersion: formVersion, docCreatedBy: createdBy, docData: data}
	if updatedBy != "" {
		d[docUpdatedBy] = updatedBy
	}
	return &store.Doc{ID: id, Data: d}
}

// StoredData reads a record document of this form as the form's data, for the runtimes
// that scan a form's records themselves (scheduled rules).
func (f *Form) StoredData(d *store.Doc) map[string]any { return f.storedData(d) }

// storedData returns a document's record data in the runtime form.
func (f *Form) storedData(d *store.Doc) map[string]any {
	data, _ := d.Data[docData].(map[string]any)
	return f.normalize(data)
}

// recordOf builds what the caller sees of a document through mask m.
func (f *Form) recordOf(d *store.Doc, data map[string]any, m *FieldMask) *Record {
	r := &Record{ID: d.ID, Form: f.key, Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Data: m.Apply(data)}
	r.FormVersion, _ = intOf(d.Data[docFormVersion])
	r.CreatedBy, _ = d.Data[docCreatedBy].(string)
	r.UpdatedBy, _ = d.Data[docUpdatedBy].(string)
	return r
}
