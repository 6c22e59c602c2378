package sqlite

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/credolabs/credo/store"
)

// SQLite's JSONB element types (doc/jsonb.md in SQLite's source tree; the format is
// stable across SQLite versions, like the database file format). SQLite writes the
// JSON5 ones (INT5, FLOAT5, TEXT5) only for JSON5 text given to it; the platform writes
// none, but a document holding one still reads as json() renders it.
const (
	jsonbNull    = 0x0
	jsonbTrue    = 0x1
	jsonbFalse   = 0x2
	jsonbInt     = 0x3
	jsonbInt5    = 0x4
	jsonbFloat   = 0x5
	jsonbFloat5  = 0x6
	jsonbText    = 0x7
	jsonbTextJ   = 0x8
	jsonbText5   = 0x9
	jsonbTextRaw = 0xa
	jsonbArray   = 0xb
	jsonbObject  = 0xc
)

// containerHeader is the room reserved for an array's or object's header while its
// payload is written: a 4-byte size. The header shrinks to its shortest form after.
const containerHeader = 5

// encodeBody is the body of a document to write: JSONB, or JSON text (encodeData) when
// encodeJSONB does not take it; the statements' jsonb(?) reads either.
func encodeBody(data map[string]any) ([]byte, error) {
	if err := checkKeys(data); err != nil {
		return nil, err
	}
	if b, ok := encodeJSONB(data); ok {
		return b, nil
	}
	return encodeData(data)
}

// bodyEngine tags the store.Body values this engine makes: encodeBody's bytes.
const bodyEngine = "sqlite"

// EncodeBody encodes data as Insert would, so a caller can do it before its transaction
// rather than while the writer is held.
func (s *scope) EncodeBody(data map[string]any) (store.Body, error) {
	b, err := encodeBody(data)
	if err != nil {
		return store.Body{}, err
	}
	return store.NewBody(bodyEngine, b), nil
}

// ExtendBody appends extra's members to a JSONB object this engine encoded: a new header
// and the two payloads, without encoding b's members again. A body encodeBody wrote as
// JSON text, or extra that is not JSONB-encodable, gives the zero Body (the Insert
// encodes Data).
func (s *scope) ExtendBody(b store.Body, extra map[string]any) (store.Body, error) {
	if err := checkKeys(extra); err != nil {
		return store.Body{}, err
	}
	enc, ok := b.Encoded(bodyEngine)
	if !ok {
		return store.Body{}, nil
	}
	t, start, end, err := jsonbHeader(enc, 0)
	if err != nil || t != jsonbObject || end != len(enc) {
		return store.Body{}, nil
	}
	more, ok := encodeJSONB(extra)
	if !ok {
		return store.Body{}, nil
	}
	_, mStart, mEnd, err := jsonbHeader(more, 0)
	if err != nil {
		return store.Body{}, nil
	}
	n := (end - start) + (mEnd - mStart)
	w := jsonbWriter{b: make([]byte, 0, containerHeader+n)}
	w.header(jsonbObject, n)
	w.b = append(append(w.b, enc[start:end]...), more[mStart:mEnd]...)
	return store.NewBody(bodyEngine, w.b), nil
}

// bodyOf is the body to write for doc: its Body when this engine encoded it, else
// Data encoded now.
func bodyOf(doc *store.Doc) ([]byte, error) {
	if b, ok := doc.Body.Encoded(bodyEngine); ok {
		return b, nil
	}
	return encodeBody(doc.Data)
}

// encodeJSONB encodes a document body as SQLite JSONB, the form the tables keep, so a
// write spends neither encoding/json's reflection nor SQLite's parse of the text
// (on the single writer). ok is false for a value it does not encode exactly as
// encoding/json would (a struct, time.Time, invalid UTF-8, a number that is not
// finite…): the caller then encodes the document as JSON text.
func encodeJSONB(data map[string]any) (b []byte, ok bool) {
	if data == nil {
		return []byte{jsonbObject}, true // an empty object, as encodeData writes {}
	}
	w := writers.Get().(*jsonbWriter)
	defer func() {
		if cap(w.b) > maxPooledBody {
			return // a large document's room is not kept
		}
		clear(w.keys[:cap(w.keys)]) // drop the references to the document's keys
		w.b, w.keys = w.b[:0], w.keys[:0]
		writers.Put(w)
	}()
	if !w.object(data) {
		return nil, false
	}
	return append(make([]byte, 0, len(w.b)), w.b...), true // the exact size: the writer's room stays
}

// maxPooledBody is the most room a pooled writer keeps between documents.
const maxPooledBody = 64 << 10

// writers are reused, with the room they grew.
var writers = sync.Pool{New: func() any { return &jsonbWriter{b: make([]byte, 0, 1024), keys: make([]string, 0, 64)} }}

// jsonbWriter appends JSONB elements to b.
type jsonbWriter struct {
	b []byte
	// keys is scratch space for sorting an object's keys, reused level by level.
	keys []string
}

// header appends the header of an element of type t whose payload has n bytes.
func (w *jsonbWriter) header(t byte, n int) {
	switch {
	case n <= 11:
		w.b = append(w.b, byte(n)<<4|t)
	case n <= 0xff:
		w.b = append(w.b, 0xc0|t, byte(n))
	case n <= 0xffff:
		w.b = append(w.b, 0xd0|t, byte(n>>8), byte(n))
	default:
		w.b = append(w.b, 0xe0|t, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

// open reserves a container's header and returns where it starts.
func (w *jsonbWriter) open() int {
	at := len(w.b)
	w.b = append(w.b, 0, 0, 0, 0, 0)
	return at
}

// close writes the header of the container opened at at in its shortest form, moving
// the payload back over the room it does not need.
func (w *jsonbWriter) close(t byte, at int) {
	n := len(w.b) - at - containerHeader
	var h [containerHeader]byte
	hw := jsonbWriter{b: h[:0]}
	hw.header(t, n)
	size := len(hw.b)
	copy(w.b[at+size:], w.b[at+containerHeader:])
	copy(w.b[at:], hw.b)
	w.b = w.b[:at+size+n]
}

func (w *jsonbWriter) object(m map[string]any) bool {
	if m == nil {
		w.b = append(w.b, jsonbNull)
		return true
	}
	at := w.open()
	base := len(w.keys)
	for k := range m {
		w.keys = append(w.keys, k)
	}
	keys := w.keys[base:]
	slices.Sort(keys)
	for _, k := range keys {
		if !w.text(k) || !w.value(m[k]) {
			return false
		}
	}
	w.keys = w.keys[:base]
	w.close(jsonbObject, at)
	return true
}

func (w *jsonbWriter) value(v any) bool {
	switch x := v.(type) {
	case nil:
		w.b = append(w.b, jsonbNull)
	case string:
		return w.text(x)
	case bool:
		if x {
			w.b = append(w.b, jsonbTrue)
		} else {
			w.b = append(w.b, jsonbFalse)
		}
	case json.Number:
		return w.number(string(x))
	case float64:
		return w.float(x, 64)
	case float32:
		return w.float(float64(x), 32)
	case int:
		w.int(int64(x))
	case int64:
		w.int(x)
	case int32:
		w.int(int64(x))
	case uint32:
		w.int(int64(x))
	case uint64:
		w.primitive(jsonbInt, strconv.AppendUint(nil, x, 10))
	case map[string]any:
		return w.object(x)
	case []any:
		if x == nil {
			w.b = append(w.b, jsonbNull)
			return true
		}
		at := w.open()
		for _, e := range x {
			if !w.value(e) {
				return false
			}
		}
		w.close(jsonbArray, at)
	case []string:
		if x == nil {
			w.b = append(w.b, jsonbNull)
			return true
		}
		at := w.open()
		for _, e := range x {
			if !w.text(e) {
				return false
			}
		}
		w.close(jsonbArray, at)
	case []map[string]any:
		if x == nil {
			w.b = append(w.b, jsonbNull)
			return true
		}
		at := w.open()
		for _, e := range x {
			if !w.object(e) {
				return false
			}
		}
		w.close(jsonbArray, at)
	default:
		return false
	}
	return true
}

// text appends a string as TEXT when it holds no character JSON or SQL would escape,
// else as TEXTRAW, which SQLite escapes when it renders the text. Invalid UTF-8 is
// left to encoding/json, which replaces it.
func (w *jsonbWriter) text(s string) bool {
	raw, ascii := false, true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			ascii = false
		case c < 0x20 || c == '"' || c == '\'' || c == '\\':
			raw = true
		}
	}
	if !ascii && !utf8.ValidString(s) {
		return false
	}
	t := byte(jsonbText)
	if raw {
		t = jsonbTextRaw
	}
	w.header(t, len(s))
	w.b = append(w.b, s...)
	return true
}

func (w *jsonbWriter) primitive(t byte, payload []byte) {
	w.header(t, len(payload))
	w.b = append(w.b, payload...)
}

func (w *jsonbWriter) int(i int64) {
	var buf [20]byte
	w.primitive(jsonbInt, strconv.AppendInt(buf[:0], i, 10))
}

// float writes a float as encoding/json does: the shortest decimal that reads back as
// the same value, in exponent form only outside [1e-6, 1e21).
func (w *jsonbWriter) float(f float64, bits int) bool {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return false
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], f, format, -1, bits)
	if format == 'e' { // 1e-07 → 1e-7, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	w.primitive(numberType(b), b)
	return true
}

// number writes a json.Number; one encoding/json would refuse is left to it.
func (w *jsonbWriter) number(s string) bool {
	if s == "" {
		s = "0" // encoding/json writes the empty Number as 0
	}
	if !validNumber(s) {
		return false
	}
	w.header(numberType(s), len(s))
	w.b = append(w.b, s...)
	return true
}

// numberType tells an integer literal from one with a fraction or an exponent, as
// SQLite's own parser of JSON text does.
func numberType[T string | []byte](s T) byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '.' || c == 'e' || c == 'E' {
			return jsonbFloat
		}
	}
	return jsonbInt
}

// validNumber reports whether s is a JSON number (RFC 8259).
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i == len(s):
		return false
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i == len(s)
}

// errNotJSONB is a value that is not a well-formed JSONB document.
var errNotJSONB = errors.New("not a JSONB document")

// decodeBody reads a document body as a documents table returns it: JSONB, read here
// without SQLite rendering it as text first, or JSON text (a projection's result). The
// values are those store.DecodeData gives for the body's text: numbers as json.Number
// with the text SQLite's json() writes, strings with their escapes resolved.
func decodeBody(b []byte) (map[string]any, error) {
	if len(b) == 0 || b[0]&0x0f != jsonbObject {
		return store.DecodeData(b) // JSON text starts with "{", a JSONB object with 0x?c
	}
	v, end, err := readJSONB(b, 0, 0)
	if err != nil || end != len(b) {
		return nil, errors.Join(errNotJSONB, err)
	}
	m, _ := v.(map[string]any)
	return m, nil
}

// maxJSONBDepth bounds the nesting readJSONB follows, as encoding/json bounds its own.
const maxJSONBDepth = 10000

// jsonbHeader reads the header of the element at i: its type and where its payload
// starts and ends.
func jsonbHeader(b []byte, i int) (t byte, start, end int, err error) {
	if i >= len(b) {
		return 0, 0, 0, errNotJSONB
	}
	t, size, start := b[i]&0x0f, uint64(b[i]>>4), i+1
	if size >= 12 {
		n := 1 << (size - 12) // 1, 2, 4 or 8 bytes of size
		if start+n > len(b) {
			return 0, 0, 0, errNotJSONB
		}
		size = 0
		for _, c := range b[start : start+n] {
			size = size<<8 | uint64(c)
		}
		start += n
	}
	if size > uint64(len(b)-start) {
		return 0, 0, 0, errNotJSONB
	}
	return t, start, start + int(size), nil
}

// readJSONB reads the element at i and returns its value and where it ends.
func readJSONB(b []byte, i, depth int) (any, int, error) {
	t, start, end, err := jsonbHeader(b, i)
	if err != nil {
		return nil, 0, err
	}
	p := b[start:end]
	switch t {
	case jsonbNull:
		return nil, end, nil
	case jsonbTrue:
		return true, end, nil
	case jsonbFalse:
		return false, end, nil
	case jsonbInt, jsonbFloat:
		return json.Number(p), end, nil
	case jsonbInt5:
		return json.Number(hexInt(p)), end, nil
	case jsonbFloat5:
		return json.Number(float5(p)), end, nil
	case jsonbText, jsonbTextRaw:
		return validText(p), end, nil
	case jsonbTextJ, jsonbText5:
		return unescape(p), end, nil
	case jsonbArray, jsonbObject:
		if depth >= maxJSONBDepth {
			return nil, 0, errNotJSONB
		}
		if t == jsonbArray {
			arr := []any{}
			for j := start; j < end; {
				v, next, err := readJSONB(b[:end], j, depth+1)
				if err != nil {
					return nil, 0, err
				}
				arr, j = append(arr, v), next
			}
			return arr, end, nil
		}
		obj := map[string]any{}
		for j := start; j < end; {
			kt, _, _, err := jsonbHeader(b[:end], j)
			if err != nil || kt < jsonbText || kt > jsonbTextRaw {
				return nil, 0, errNotJSONB
			}
			k, next, err := readJSONB(b[:end], j, depth+1)
			if err != nil {
				return nil, 0, err
			}
			v, next, err := readJSONB(b[:end], next, depth+1)
			if err != nil {
				return nil, 0, err
			}
			obj[k.(string)], j = v, next
		}
		return obj, end, nil
	}
	return nil, 0, errNotJSONB
}

// validText is a string payload as encoding/json reads it: each byte that is not UTF-8
// becomes U+FFFD.
func validText(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	var sb strings.Builder
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		sb.WriteRune(r) // RuneError for a bad byte
		p = p[n:]
	}
	return sb.String()
}

// unescape resolves the escapes of a TEXTJ or TEXT5 payload: JSON's, and JSON5's
// (\x41, \', \v, \0, a backslash before a line break), as SQLite's json() renders them
// and encoding/json then reads them (a lone surrogate is U+FFFD).
func unescape(p []byte) string {
	var sb strings.Builder
	sb.Grow(len(p))
	for i := 0; i < len(p); {
		c := p[i]
		if c != '\\' {
			r, n := utf8.DecodeRune(p[i:])
			sb.WriteRune(r)
			i += n
			continue
		}
		if i+1 >= len(p) {
			break
		}
		e := p[i+1]
		i += 2
		switch e {
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'v':
			sb.WriteByte('\v')
		case '0':
			sb.WriteByte(0)
		case 'x':
			if i+2 <= len(p) {
				if v, err := strconv.ParseUint(string(p[i:i+2]), 16, 8); err == nil {
					sb.WriteRune(rune(v))
					i += 2
				}
			}
		case 'u':
			r := hex4(p, i)
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+1 < len(p) && p[i] == '\\' && p[i+1] == 'u' {
					r2 = hex4(p, i+2)
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					sb.WriteRune(d)
					i += 6
					continue
				}
				r = utf8.RuneError
			}
			sb.WriteRune(r)
		case '\r':
			if i < len(p) && p[i] == '\n' {
				i++
			}
		case '\n':
		case 0xe2: // U+2028 and U+2029 after a backslash continue the line
			if i+1 < len(p) && p[i] == 0x80 && (p[i+1] == 0xa8 || p[i+1] == 0xa9) {
				i += 2
			}
		default: // \" \\ \/ \' and the rest stand for themselves
			sb.WriteByte(e)
		}
	}
	return sb.String()
}

// hex4 reads the four hex digits at i, or -1.
func hex4(p []byte, i int) rune {
	if i+4 > len(p) {
		return -1
	}
	v, err := strconv.ParseUint(string(p[i:i+4]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(v)
}

// hexInt renders a JSON5 hexadecimal integer (0x1F, -0x1F) in decimal, as SQLite's
// json() does: 9.0e999 when it overflows 64 bits.
func hexInt(p []byte) string {
	sign, k := "", 2
	switch {
	case len(p) > 0 && p[0] == '+':
		k++
	case len(p) > 0 && p[0] == '-':
		sign = "-"
		k++
	}
	var u uint64
	for ; k < len(p); k++ {
		d, err := strconv.ParseUint(string(p[k:k+1]), 16, 8)
		if err != nil {
			break
		}
		if u>>60 != 0 {
			return sign + "9.0e999"
		}
		u = u*16 + d
	}
	return sign + strconv.FormatUint(u, 10)
}

// float5 renders a JSON5 number missing a digit beside its point (.5, 5.) as SQLite's
// json() does: 0.5, 5.0.
func float5(p []byte) string {
	var sb strings.Builder
	k := 0
	if len(p) > 0 && p[0] == '-' {
		sb.WriteByte('-')
		k++
	}
	if k < len(p) && p[k] == '.' {
		sb.WriteByte('0')
	}
	for ; k < len(p); k++ {
		sb.WriteByte(p[k])
		if p[k] == '.' && (k+1 == len(p) || p[k+1] < '0' || p[k+1] > '9') {
			sb.WriteByte('0')
		}
	}
	return sb.String()
}

var _ store.BodyEncoder = (*scope)(nil)
