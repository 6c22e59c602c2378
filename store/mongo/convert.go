package mongo

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// dataToBSON converts a document body to the value stored in field d.
func dataToBSON(data map[string]any) (bson.M, error) {
	if data == nil {
		return bson.M{}, nil
	}
	for k := range data {
		if k == "" || strings.HasPrefix(k, "_") {
			return nil, &DataError{Code: "invalid_key", Pointer: "/" + escapePointer(k), Message: "top-level key must not be empty nor start with \"_\" (reserved for metadata)"}
		}
	}
	v, err := valueToBSON(data, "")
	if err != nil {
		return nil, err
	}
	return v.(bson.M), nil
}

// valueToBSON converts one JSON-shaped value; ptr is its JSON pointer for error reports.
func valueToBSON(v any, ptr string) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, int32, int64:
		return x, nil
	case json.Number:
		return numberToBSON(x, ptr)
	case int:
		return int64(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, &DataError{Code: "invalid_number", Pointer: ptr, Message: "number is not finite"}
		}
		return x, nil
	case float32:
		return valueToBSON(float64(x), ptr)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case map[string]any:
		out := make(bson.M, len(x))
		for k, e := range x {
			p := ptr + "/" + escapePointer(k)
			if err := checkKey(k, p); err != nil {
				return nil, err
			}
			c, err := valueToBSON(e, p)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make(bson.A, len(x))
		for i, e := range x {
			c, err := valueToBSON(e, ptr+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	// Any other Go value is taken for what it means in JSON (typed slices and maps,
	// structs with tags), so callers need not pre-convert.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &DataError{Code: "unsupported_value", Pointer: ptr, Message: fmt.Sprintf("value of type %T is not JSON", v)}
	}
	var generic any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, &DataError{Code: "unsupported_value", Pointer: ptr, Message: fmt.Sprintf("value of type %T is not JSON", v)}
	}
	return valueToBSON(generic, ptr)
}

// numberToBSON stores integral numbers as int64 so they survive exactly, others as double.
func numberToBSON(n json.Number, ptr string) (any, error) {
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, &DataError{Code: "invalid_number", Pointer: ptr, Message: fmt.Sprintf("number %q is out of range", n.String())}
	}
	return f, nil
}

// checkKey rejects keys the wire protocol reserves: "$" starts operators, "." separates
// paths, and NUL ends a BSON key.
func checkKey(k, ptr string) error {
	switch {
	case strings.HasPrefix(k, "$"):
		return &DataError{Code: "invalid_key", Pointer: ptr, Message: "key must not start with \"$\""}
	case strings.Contains(k, "."):
		return &DataError{Code: "invalid_key", Pointer: ptr, Message: "key must not contain \".\""}
	case strings.Contains(k, "\x00"):
		return &DataError{Code: "invalid_key", Pointer: ptr, Message: "key must not contain NUL"}
	}
	return nil
}

func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

// dataFromRaw converts a stored body back to JSON-shaped Go values.
func dataFromRaw(raw bson.Raw) (map[string]any, error) {
	if len(raw) == 0 {
		return map[string]any{}, nil
	}
	elems, err := raw.Elements()
	if err != nil {
		return nil, fmt.Errorf("decode data: %w", err)
	}
	out := make(map[string]any, len(elems))
	for _, e := range elems {
		v, err := valueFromRaw(e.Value())
		if err != nil {
			return nil, err
		}
		out[e.Key()] = v
	}
	return out, nil
}

func valueFromRaw(rv bson.RawValue) (any, error) {
	switch rv.Type {
	case bson.TypeNull, bson.TypeUndefined:
		return nil, nil
	case bson.TypeString:
		return rv.StringValue(), nil
	case bson.TypeBoolean:
		return rv.Boolean(), nil
	case bson.TypeInt32:
		return json.Number(strconv.FormatInt(int64(rv.Int32()), 10)), nil
	case bson.TypeInt64:
		return json.Number(strconv.FormatInt(rv.Int64(), 10)), nil
	case bson.TypeDouble:
		return floatNumber(rv.Double()), nil
	case bson.TypeDecimal128:
		d := rv.Decimal128()
		if _, err := strconv.ParseFloat(d.String(), 64); err == nil {
			return json.Number(d.String()), nil
		}
		return d.String(), nil
	case bson.TypeDateTime:
		return rv.Time().UTC().Format(time.RFC3339Nano), nil
	case bson.TypeObjectID:
		return rv.ObjectID().Hex(), nil
	case bson.TypeEmbeddedDocument:
		return dataFromRaw(rv.Document())
	case bson.TypeArray:
		vals, err := rv.Array().Values()
		if err != nil {
			return nil, fmt.Errorf("decode data: %w", err)
		}
		out := make([]any, len(vals))
		for i, e := range vals {
			if out[i], err = valueFromRaw(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return rv.String(), nil
}

// floatNumber renders a double the way encoding/json does (shortest representation that
// reads back to the same double). Non-finite values cannot come from JSON; they read as 0.
func floatNumber(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	b, _ := json.Marshal(f)
	return json.Number(b)
}

// queryValue converts a filter operand to what the stored field holds. Metadata times
// are BSON dates; in data, times are strings as JSON has them.
func queryValue(field string, v any) (any, error) {
	switch field {
	case "ca", "ua":
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			t, err := time.Parse(time.RFC3339Nano, x)
			if err != nil {
				return nil, fmt.Errorf("time %q: not RFC 3339", x)
			}
			return t.UTC(), nil
		}
	}
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, fmt.Errorf("number %q is out of range", x.String())
		}
		return f, nil
	case int:
		return int64(x), nil
	case float32:
		return float64(x), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	}
	return v, nil
}
