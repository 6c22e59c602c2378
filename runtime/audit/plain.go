package audit

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/credolabs/credo/store"
)

// An entry is hashed over encoding/json's bytes of the stored document. Entries are
// written on every create, update and view, so the JSON of a body is built here without
// reflection: plainValue turns what callers put in an entry into the plain values the
// store gives back (string, json.Number, bool, nil, map[string]any, []any), and
// appendPlain writes such values exactly as json.Marshal does (map keys in byte order,
// HTML-escaped text). Anything else takes the encoding/json round trip it always took.

// plainEntry turns an entry (without its link fields) into the plain values it is stored
// as, so the hash covers exactly what is read back, whatever Go types the caller put in
// Diff and Detail.
func plainEntry(e *Entry) (map[string]any, error) {
	m := make(map[string]any, 8)
	m["time"] = e.Time.UTC().Format(timeLayout)
	m["actor"], m["action"], m["object"] = e.Actor, e.Action, e.Object
	if e.Client != "" {
		m["client"] = e.Client
	}
	if e.RequestID != "" {
		m["request_id"] = e.RequestID
	}
	if len(e.Diff) > 0 {
		diff := make(map[string]any, len(e.Diff))
		for k, c := range e.Diff {
			ch := make(map[string]any, 2)
			if c.From != nil {
				ch["from"] = c.From
			}
			if c.To != nil {
				ch["to"] = c.To
			}
			diff[k] = ch
		}
		m["diff"] = diff
	}
	if len(e.Detail) > 0 {
		m["detail"] = e.Detail
	}
	for k, v := range m {
		p, err := plainValue(v)
		if err != nil {
			return nil, err
		}
		m[k] = p
	}
	return m, nil
}

// plainValue is v as the store reads it back after encoding/json wrote it.
func plainValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool:
		return x, nil
	case string:
		if utf8.ValidString(x) {
			return x, nil
		}
	case json.Number:
		if validNumber(string(x)) {
			return x, nil
		}
	case int:
		return json.Number(strconv.Itoa(x)), nil
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), nil
	case float64: // records' numbers: each took the round trip, a third of an entry's cost
		if n, ok := floatNumber(x); ok {
			return n, nil
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if !utf8.ValidString(k) {
				return roundTrip(v)
			}
			p, err := plainValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = p
		}
		return out, nil
	case []any:
		if x == nil {
			return nil, nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			p, err := plainValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	}
	return roundTrip(v)
}

// floatNumber is f as encoding/json writes a float64 (shortest text that reads back
// as f, exponent form outside [1e-6, 1e21)); ok is false for NaN and infinities, which
// it refuses.
func floatNumber(f float64) (_ json.Number, ok bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(nil, f, format, -1, 64)
	if format == 'e' { // e-09 to e-9, as encoding/json does
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return json.Number(b), true
}

// roundTrip is v written by encoding/json and read back as the store reads documents.
func roundTrip(v any) (any, error) {
	b, err := json.Marshal(map[string]any{"v": v})
	if err != nil {
		return nil, err
	}
	m, err := store.DecodeData(b)
	if err != nil {
		return nil, err
	}
	return m["v"], nil
}

// validNumber reports whether s is a JSON number, as encoding/json requires of a
// json.Number it writes.
func validNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	return json.Valid([]byte(s))
}

// marshalPlain is json.Marshal(v), fast for plain values.
func marshalPlain(v any) ([]byte, error) {
	if b, ok := appendPlain(nil, v); ok {
		return b, nil
	}
	return json.Marshal(v)
}

// appendPlain appends v as json.Marshal writes it; ok is false when v holds anything but
// plain values, and then b is to be thrown away.
func appendPlain(b []byte, v any) (_ []byte, ok bool) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), true
	case bool:
		return strconv.AppendBool(b, x), true
	case string:
		return appendString(b, x), true
	case json.Number:
		if !validNumber(string(x)) {
			return b, false
		}
		return append(b, x...), true
	case map[string]any:
		if x == nil {
			return append(b, "null"...), true
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendString(b, k), ':')
			if b, ok = appendPlain(b, x[k]); !ok {
				return b, false
			}
		}
		return append(b, '}'), true
	case []any:
		if x == nil {
			return append(b, "null"...), true
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, ok = appendPlain(b, e); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	}
	return b, false
}

const hexDigits = "0123456789abcdef"

// appendString is encoding/json's string encoding with HTML escaping: <, > and & as
// \u00XX, control characters, invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}
