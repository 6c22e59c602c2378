package transfer

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/credolabs/credo/runtime/form"
)

// cellProblem is why one cell could not be read as its field's type.
type cellProblem struct {
	code, message string
}

// converter reads one non-empty, trimmed cell as the value its field holds.
type converter func(cell string) (any, *cellProblem)

// Widgets whose text is made of digits: a spreadsheet may have stored them as numbers.
var digitWidgets = map[string]bool{"id_number": true, "phone": true, "bank_card": true, "region": true}

// converterFor builds the reader of a field's cells from its type and widget. Values a
// reader cannot make sense of are refused here with words a person understands; what
// is left (ranges, patterns, enums) the form's validation judges, as for any submission.
func converterFor(vt form.ValueType, meta *form.Field) converter {
	widget := ""
	var options []form.Option
	if meta != nil {
		widget, options = meta.Widget, meta.Options
	}
	var conv converter
	switch vt.Kind {
	case "string":
		switch {
		case widget == "date":
			conv = readDate
		case digitWidgets[widget]:
			conv = readDigits
		default:
			conv = readText
		}
	case "number":
		conv = readNumber
	case "integer":
		conv = readInteger
	case "boolean":
		conv = readBool
	case "array":
		item := readText
		if vt.Items != nil {
			item = converterFor(*vt.Items, nil)
		}
		conv = readList(item, options)
	default: // objects and sub-tables: JSON text
		conv = readJSON
	}
	if len(options) > 0 && vt.Kind != "array" {
		return byLabel(conv, options)
	}
	return conv
}

func readText(cell string) (any, *cellProblem) { return cell, nil }

// readDigits reads an ID, phone or card number. A spreadsheet that stored one as a
// number writes it in exponent form (1.3812345678E10) or with ".0"; beyond 15 digits
// Excel has already lost the last ones, which no reader can bring back.
func readDigits(cell string) (any, *cellProblem) {
	if !strings.ContainsAny(cell, "eE.") {
		return cell, nil
	}
	f, err := strconv.ParseFloat(cell, 64)
	if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
		return cell, nil
	}
	if math.Abs(f) >= 1e15 {
		return nil, &cellProblem{"lost_digits", "was stored as a number with more than 15 digits, so the spreadsheet has lost its last digits; format the column as text and enter the values again"}
	}
	return strconv.FormatFloat(f, 'f', 0, 64), nil
}

// readNumber reads a decimal, as the exact decimal text the form validates (money keeps
// its cents). Currency signs and thousands separators are dropped, and a binary value a
// workbook stored (1234.5599999999999) is read as the 15 digits Excel shows (1234.56).
func readNumber(cell string) (any, *cellProblem) {
	n, ok := decimalOf(cell)
	if !ok {
		return nil, &cellProblem{"not_a_number", "is not a number"}
	}
	return n, nil
}

func readInteger(cell string) (any, *cellProblem) {
	n, ok := decimalOf(cell)
	if !ok {
		return nil, &cellProblem{"not_a_number", "is not a number"}
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return json.Number(strconv.FormatInt(i, 10)), nil
	}
	return nil, &cellProblem{"not_an_integer", "is not a whole number"}
}

func decimalOf(cell string) (json.Number, bool) {
	s := strings.TrimSpace(cell)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "元"), " ")
	for _, sign := range []string{"¥", "￥", "$", "CNY", "RMB"} {
		s = strings.TrimSpace(strings.TrimPrefix(s, sign))
	}
	s = withoutGrouping(s)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return json.Number(strconv.FormatInt(i, 10)), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	shown, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return json.Number(strconv.FormatFloat(shown, 'f', -1, 64)), true
}

// withoutGrouping drops thousands separators from "12,345,678.90", and only from text
// grouped that way, so "1,5" is not read as 15.
func withoutGrouping(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	groups := strings.Split(whole, ",")
	for i, g := range groups {
		if len(g) == 0 || len(g) > 3 || i > 0 && len(g) != 3 || strings.Trim(g, "0123456789") != "" {
			return s
		}
	}
	out := strings.Join(groups, "")
	if frac != "" {
		out += "." + frac
	}
	if strings.HasPrefix(s, "-") {
		out = "-" + out
	}
	return out
}

var boolWords = map[string]bool{
	"true": true, "yes": true, "y": true, "1": true, "是": true, "√": true, "✓": true,
	"false": false, "no": false, "n": false, "0": false, "否": false, "×": false,
}

func readBool(cell string) (any, *cellProblem) {
	if b, ok := boolWords[strings.ToLower(cell)]; ok {
		return b, nil
	}
	return nil, &cellProblem{"not_a_boolean", "is not yes or no (true/false, yes/no, 1/0, 是/否)"}
}

// maxExcelSerial is 9999-12-31, the last day a workbook can hold.
const maxExcelSerial = 2958465

// readDate reads a date as YYYY-MM-DD from ISO text, 2024/1/2, 2024.1.2, 2024年1月2日,
// 20240102, a date-time (its date part), or an Excel serial day number (a date cell a
// workbook stores as the days since 1899-12-30).
func readDate(cell string) (any, *cellProblem) {
	if len(cell) == 8 && strings.Trim(cell, "0123456789") == "" {
		if t, err := time.Parse("20060102", cell); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	if len(cell) == len(time.DateOnly) && cell[4] == '-' && cell[7] == '-' {
		if _, err := time.Parse(time.DateOnly, cell); err == nil {
			return cell, nil // already as the form keeps it: most cells
		}
	}
	if f, err := strconv.ParseFloat(cell, 64); err == nil {
		if f >= 1 && f <= maxExcelSerial {
			if t, err := excelize.ExcelDateToTime(f, false); err == nil {
				return t.Format(time.DateOnly), nil
			}
		}
		return nil, &cellProblem{"not_a_date", "is not a date"}
	}
	s := cell
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	s = dateSeparators.Replace(s)
	if t, err := time.Parse("2006-1-2", s); err == nil {
		return t.Format(time.DateOnly), nil
	}
	return nil, &cellProblem{"not_a_date", "is not a date (write it as 2024-01-31)"}
}

// dateSeparators turns 2024/1/2, 2024.1.2 and 2024年1月2日 into 2024-1-2.
var dateSeparators = strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")

// readList reads a JSON array, or items separated by commas, semicolons or 、.
func readList(item converter, options []form.Option) converter {
	if len(options) > 0 {
		item = byLabel(item, options)
	}
	return func(cell string) (any, *cellProblem) {
		if strings.HasPrefix(cell, "[") {
			return readJSON(cell)
		}
		parts := strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(",，;；、|", r) })
		out := make([]any, 0, len(parts))
		for _, p := range parts {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			v, prob := item(p)
			if prob != nil {
				return nil, prob
			}
			out = append(out, v)
		}
		return out, nil
	}
}

// readJSON reads an object or a sub-table written as JSON text in one cell.
func readJSON(cell string) (any, *cellProblem) {
	dec := json.NewDecoder(bytes.NewReader([]byte(cell)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, &cellProblem{"not_json", "is not JSON text (this field holds a list or object)"}
	}
	return v, nil
}

// byLabel lets a cell name an option by its label in any language ("男" for "male"),
// and otherwise reads it as conv does.
func byLabel(conv converter, options []form.Option) converter {
	labels := map[string]any{}
	for _, o := range options {
		labels[strings.ToLower(toText(o.Value))] = o.Value
		for _, l := range o.Label {
			labels[strings.ToLower(strings.TrimSpace(l))] = o.Value
		}
	}
	return func(cell string) (any, *cellProblem) {
		if v, ok := labels[strings.ToLower(cell)]; ok {
			return conv(strings.TrimSpace(toText(v)))
		}
		return conv(cell)
	}
}

// toText writes an option value back as cell text, so the field's own reader types it.
func toText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
