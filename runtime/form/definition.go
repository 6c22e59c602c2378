package form

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Definition is a decoded form definition; schemas/doc.go and schemas/form.schema.json
// describe every member.
type Definition struct {
	Key         string               `json:"key"`
	Title       Localized            `json:"title"`
	Description Localized            `json:"description,omitempty"`
	Schema      json.RawMessage      `json:"schema"`
	Fields      map[string]*Field    `json:"fields"`
	Layout      *Layout              `json:"layout,omitempty"`
	Computed    map[string]*Computed `json:"computed,omitempty"`
	Decisions   *Decisions           `json:"decisions,omitempty"`
}

// Decisions names the automated decisions run when a record is created.
type Decisions struct {
	Score *DecisionStep `json:"score,omitempty"`
	Fraud *DecisionStep `json:"fraud,omitempty"`
}

// DecisionStep names the object field a decision is written into.
type DecisionStep struct {
	Field string `json:"field"`
}

// Localized is text per locale ("zh-CN", "en").
type Localized map[string]string

// Field is the metadata of one schema property.
type Field struct {
	Label       Localized `json:"label"`
	Help        Localized `json:"help,omitempty"`
	Placeholder Localized `json:"placeholder,omitempty"`
	// Widget is how the UI edits the field (text, money, id_number, subtable…).
	Widget string `json:"widget"`
	// Sensitive marks personal data: masked for read_masked readers, full reads audited.
	Sensitive bool `json:"sensitive,omitempty"`
	// Mask is how masked readers see the value; nil means "full" (***).
	Mask *Mask `json:"mask,omitempty"`
	// Indexed asks the store for an index on the field when the form is published.
	Indexed bool `json:"indexed,omitempty"`
	// Options label the allowed values of select, radio and checkbox fields.
	Options []Option `json:"options,omitempty"`
	// Fields is the metadata of a subtable's item properties.
	Fields map[string]*Field `json:"fields,omitempty"`
}

// Option is one labelled allowed value.
type Option struct {
	Value any       `json:"value"`
	Label Localized `json:"label"`
}

// Layout orders fields into sections.
type Layout struct {
	Sections []Section `json:"sections"`
}

// Section is one titled group of fields.
type Section struct {
	Key         string    `json:"key"`
	Title       Localized `json:"title,omitempty"`
	Description Localized `json:"description,omitempty"`
	Columns     int       `json:"columns,omitempty"`
	Fields      []string  `json:"fields"`
}

// Computed is a field whose value is a CEL expression over record.
type Computed struct {
	Expr        string    `json:"expr"`
	Description Localized `json:"description,omitempty"`
}

// Mask names a masking rule: one of the named masks, or Name "" with KeepStart/KeepEnd.
type Mask struct {
	Name      string
	KeepStart int
	KeepEnd   int
}

// The named masks.
const (
	MaskIDNumber = "id_number"
	MaskPhone    = "phone"
	MaskBankCard = "bank_card"
	MaskName     = "name"
	MaskEmail    = "email"
	MaskFull     = "full"
)

// UnmarshalJSON reads "id_number" or {"keep_start":3,"keep_end":4}, strictly.
func (m *Mask) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err == nil {
		*m = Mask{Name: name}
		return nil
	}
	var custom struct {
		KeepStart *int `json:"keep_start"`
		KeepEnd   *int `json:"keep_end"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&custom); err != nil {
		return fmt.Errorf("mask: %w", err)
	}
	if custom.KeepStart == nil || custom.KeepEnd == nil {
		return errors.New("mask: keep_start and keep_end are required")
	}
	*m = Mask{KeepStart: *custom.KeepStart, KeepEnd: *custom.KeepEnd}
	return nil
}

// MarshalJSON writes the form UnmarshalJSON reads.
func (m Mask) MarshalJSON() ([]byte, error) {
	if m.Name != "" {
		return json.Marshal(m.Name)
	}
	return json.Marshal(map[string]int{"keep_start": m.KeepStart, "keep_end": m.KeepEnd})
}
