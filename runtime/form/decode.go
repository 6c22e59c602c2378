package form

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Definition size limits keep a hostile definition from exhausting the compiler.
const (
	// MaxDefinitionSize is the largest definition body accepted, in bytes.
	MaxDefinitionSize = 1 << 20
	// MaxDefinitionDepth is the deepest nesting of objects and arrays in a definition.
	MaxDefinitionDepth = 48
)

// parseJSON decodes one JSON value keeping numbers as json.Number. Unlike
// json.Unmarshal it reports duplicate object keys (a duplicate would silently hide
// the first value) and stops at maxDepth; a syntax error names its byte offset.
func parseJSON(b []byte, maxDepth int) (any, []Problem) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	p := &jsonParser{dec: dec, maxDepth: maxDepth}
	v, err := p.value("", 0)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = fmt.Errorf("unexpected data after the top-level value at byte offset %d", dec.InputOffset())
		}
	}
	if err != nil {
		return nil, []Problem{{Code: "syntax", Message: syntaxMessage(err, dec)}}
	}
	return v, p.problems
}

type jsonParser struct {
	dec      *json.Decoder
	maxDepth int
	problems problems
}

var errTooDeep = errors.New("too deep")

func (p *jsonParser) value(path string, depth int) (any, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	return p.fromToken(tok, path, depth)
}

func (p *jsonParser) fromToken(tok json.Token, path string, depth int) (any, error) {
	d, isDelim := tok.(json.Delim)
	if !isDelim {
		return tok, nil
	}
	if depth >= p.maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d levels at %q: %w", p.maxDepth, path, errTooDeep)
	}
	switch d {
	case '{':
		obj := map[string]any{}
		for p.dec.More() {
			kt, err := p.dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string) // the decoder only yields string keys inside objects
			child := ptr(path, k)
			v, err := p.value(child, depth+1)
			if err != nil {
				return nil, err
			}
			if _, dup := obj[k]; dup {
				p.problems.add(child, "duplicate_key", "the key %q appears more than once in this object", k)
			}
			obj[k] = v
		}
		_, err := p.dec.Token() // '}'
		return obj, err
	case '[':
		arr := []any{}
		for p.dec.More() {
			v, err := p.value(ptrIndex(path, len(arr)), depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := p.dec.Token() // ']'
		return arr, err
	}
	return nil, fmt.Errorf("unexpected %q at byte offset %d", d, p.dec.InputOffset())
}

func syntaxMessage(err error, dec *json.Decoder) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte offset %d: %s", se.Offset, se.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("invalid JSON: unexpected end of input at byte offset %d", dec.InputOffset())
	case errors.Is(err, errTooDeep):
		return "invalid JSON: " + err.Error()
	}
	return "invalid JSON: " + err.Error()
}

// ParseDefinition decodes a definition document of any kind (rule set, flow, dashboard)
// as strictly as a form: numbers as json.Number, duplicate keys and nesting beyond
// MaxDefinitionDepth reported as located problems.
func ParseDefinition(b []byte) (any, []Problem) { return parseJSON(b, MaxDefinitionDepth) }
