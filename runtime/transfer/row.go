package transfer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/credolabs/credo/runtime/form"
)

// Reject is one problem of a rejected row, as the report lists it.
type Reject struct {
	// Row is the row's number in the file (a spreadsheet's row, a CSV's line).
	Row int `json:"row"`
	// Column is the header of the column at fault; empty when the problem is the row's.
	Column string `json:"column,omitempty"`
	// Field is the form field the column fills.
	Field string `json:"field,omitempty"`
	// Code is stable and machine-readable: a validation keyword ("required",
	// "minimum"…) or a reading problem ("not_a_number", "cell_too_large"…).
	Code string `json:"code"`
	// Reason says what is wrong in words. It never quotes the cell: rejected values may
	// be personal data, and the row and column find them in the file.
	Reason string `json:"reason"`
}

// isEmpty reports whether a row has no text at all; such rows are skipped unreported.
func isEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// read turns one row's cells into record data, or into the rejects that refuse it.
func (p *plan) read(row int, cells []string, maxChars int) (map[string]any, []Reject) {
	data := make(map[string]any, len(p.cols))
	var rejects []Reject
	for _, c := range p.cols {
		cell := ""
		if c.index < len(cells) {
			cell = strings.TrimSpace(cells[c.index])
		}
		if cell == "" {
			continue
		}
		if len(cell) > maxChars && utf8.RuneCountInString(cell) > maxChars {
			rejects = append(rejects, Reject{Row: row, Column: c.header, Field: c.field, Code: "cell_too_large",
				Reason: "is longer than " + strconv.Itoa(maxChars) + " characters"})
			continue
		}
		v, prob := c.conv(cell)
		if prob != nil {
			rejects = append(rejects, Reject{Row: row, Column: c.header, Field: c.field, Code: prob.code, Reason: prob.message})
			continue
		}
		data[c.field] = v
	}
	if p.key >= 0 && data[p.cols[p.key].field] == nil && len(rejects) == 0 {
		c := p.cols[p.key]
		rejects = append(rejects, Reject{Row: row, Column: c.header, Field: c.field, Code: "empty_key",
			Reason: "is the key column and is empty, so the row cannot be told apart from the others"})
	}
	return data, rejects
}

// rowIDs derives the record id of each row, so that importing the same rows again finds
// them written already. By default it is the file's content hash, the sheet and the row
// number: the very same file imported twice writes nothing the second time. With a key
// field it is a hash of the key's value: a corrected file (some rows fixed, others the
// same) adds only the rows not yet imported, wherever they moved.
type rowIDs struct {
	filePrefix string
	keyField   string
}

func newRowIDs(fileSHA256, sheet, keyField string) rowIDs {
	h := sha256.Sum256([]byte(fileSHA256 + "\x00" + sheet))
	return rowIDs{filePrefix: "imp-" + hex.EncodeToString(h[:10]) + "-", keyField: keyField}
}

func (r rowIDs) id(row int, data map[string]any) string {
	if r.keyField == "" {
		return r.filePrefix + strconv.Itoa(row)
	}
	h := sha256.Sum256([]byte(r.keyField + "\x00" + toText(data[r.keyField])))
	return "key-" + hex.EncodeToString(h[:16])
}

// rejectsOf words a refused row's problems for the report: the field a problem's path
// starts with, and the column that fills it.
func (p *plan) rejectsOf(row int, ps []form.Problem) []Reject {
	out := make([]Reject, 0, len(ps))
	for _, pr := range ps {
		field := pointerHead(pr.Path)
		out = append(out, Reject{Row: row, Column: p.byField[field], Field: field, Code: pr.Code, Reason: pr.Message})
	}
	return out
}

// pointerHead is the first token of a JSON pointer, unescaped.
func pointerHead(ptr string) string {
	head, _, _ := strings.Cut(strings.TrimPrefix(ptr, "/"), "/")
	return strings.ReplaceAll(strings.ReplaceAll(head, "~1", "/"), "~0", "~")
}

// rejectOf reads a report entry back from the store.
func rejectOf(d map[string]any) Reject {
	r := Reject{}
	if n, ok := d["row"].(json.Number); ok {
		i, _ := n.Int64()
		r.Row = int(i)
	}
	r.Column, _ = d["column"].(string)
	r.Field, _ = d["field"].(string)
	r.Code, _ = d["code"].(string)
	r.Reason, _ = d["reason"].(string)
	return r
}

// columns is the resolved mapping, column header → field, as a job shows it.
func (p *plan) columns() map[string]string {
	out := make(map[string]string, len(p.cols))
	for _, c := range p.cols {
		out[c.header] = c.field
	}
	return out
}
