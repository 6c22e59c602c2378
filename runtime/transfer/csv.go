package transfer

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/credolabs/credo/runtime/form"
)

// CSVWriter writes records as CSV: a byte order mark, so spreadsheet programs read the
// UTF-8 (Chinese names) correctly, the header row ExportMeta then columns, and one row
// per record, each value as CSVText writes it.
type CSVWriter struct {
	w       *csv.Writer
	columns []string
	row     []string
}

// NewCSVWriter starts a CSV file whose header row is ExportMeta then columns.
func NewCSVWriter(w io.Writer, columns []string) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	c := &CSVWriter{w: csv.NewWriter(w), columns: columns, row: make([]string, 0, len(ExportMeta)+len(columns))}
	if err := c.w.Write(append(append(c.row, ExportMeta...), columns...)); err != nil {
		return nil, err
	}
	return c, nil
}

// Write adds one record as the next row.
func (c *CSVWriter) Write(r *form.Record) error {
	c.row = append(c.row[:0], r.ID, r.CreatedAt.UTC().Format(time.RFC3339), r.UpdatedAt.UTC().Format(time.RFC3339),
		strconv.FormatInt(r.Version, 10), strconv.Itoa(r.FormVersion))
	for _, col := range c.columns {
		c.row = append(c.row, CSVText(r.Data[col]))
	}
	return c.w.Write(c.row)
}

// Close writes out what is buffered; it does not close the underlying writer.
func (c *CSVWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// CSVText is how a value is written to a CSV cell: numbers and yes/no as text, lists and
// objects as JSON. Text a spreadsheet would run as a formula gets a leading apostrophe
// (CSV injection).
func CSVText(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		s = x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return ""
		}
		s = string(b)
	}
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
