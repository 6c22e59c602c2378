package form

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// jsonObject is a decoded JSON object that keeps its members in their written order,
// so a schema reduced for one reader still reads like the published one (a sub-table's
// columns keep their order).
type jsonObject struct {
	keys []string
	vals map[string]any
}

func newJSONObject() *jsonObject { return &jsonObject{vals: map[string]any{}} }

// get returns member k.
func (o *jsonObject) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

// object returns member k when it is an object.
func (o *jsonObject) object(k string) *jsonObject {
	v, _ := o.vals[k].(*jsonObject)
	return v
}

// set writes member k, keeping its place when it exists.
func (o *jsonObject) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// MarshalJSON writes the members in order.
func (o *jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := writeOrdered(&b, o); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeOrdered writes v as JSON. Nested objects and lists are written in place rather
// than through their own MarshalJSON, which encoding/json would check and copy again at
// every level.
func writeOrdered(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case *jsonObject:
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeOrdered(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeOrdered(b, x.vals[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeOrdered(b, it); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		raw, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b.Write(raw)
	}
	return nil
}

// decodeOrdered decodes JSON text into *jsonObject, []any, json.Number, string, bool
// and nil. Callers pass text that already parsed (a compiled definition), whose depth
// is bounded.
func decodeOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readOrdered(dec)
	if err != nil {
		return nil, fmt.Errorf("decode ordered JSON: %w", err)
	}
	return v, nil
}

func readOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		o := newJSONObject()
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, ok := kt.(string)
			if !ok {
				return nil, errors.New("object key is not a string")
			}
			v, err := readOrdered(dec)
			if err != nil {
				return nil, err
			}
			o.set(k, v)
		}
		_, err := dec.Token()
		return o, err
	case '[':
		arr := []any{}
		for dec.More() {
			v, err := readOrdered(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.Token()
		return arr, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// orderedAt resolves a JSON pointer in a document decoded by decodeOrdered.
func orderedAt(doc any, p string) (any, bool) {
	cur := doc
	for _, t := range ptrTokens(p) {
		switch v := cur.(type) {
		case *jsonObject:
			next, ok := v.get(t)
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
