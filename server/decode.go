package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Limits on any JSON body, checked before anything else reads it.
const (
	maxBodyDepth = 32
	maxBodyNodes = 100_000
)

var (
	errTooDeep  = newAPIError(fiber.StatusBadRequest, "too_deep", fmt.Sprintf("The body nests deeper than %d levels.", maxBodyDepth))
	errTooLarge = newAPIError(fiber.StatusBadRequest, "too_large", fmt.Sprintf("The body holds more than %d values.", maxBodyNodes))
)

// jsonBody is the request body, checked to be JSON of a bounded shape, for handlers that
// pass it on undecoded (definitions).
func jsonBody(c *fiber.Ctx) ([]byte, error) {
	body := c.Body() // a copy (Immutable): take it once
	if err := requireJSON(c, body); err != nil {
		return nil, err
	}
	if err := checkShape(body); err != nil {
		return nil, err
	}
	return body, nil
}

// decodeStrict reads the request body into v: one JSON value, unknown keys refused, numbers
// kept exact. Errors name the field at fault.
func decodeStrict(c *fiber.Ctx, v any) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return newAPIError(fiber.StatusBadRequest, "malformed_json", "The body holds more than one JSON value.")
	}
	return nil
}

// decodeObject reads the body as a free-form JSON object (record data, definitions).
func decodeObject(c *fiber.Ctx) (map[string]any, error) {
	var m map[string]any
	body := c.Body()
	if err := requireJSON(c, body); err != nil {
		return nil, err
	}
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, newAPIError(fiber.StatusBadRequest, "malformed_json", "The body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, newAPIError(fiber.StatusBadRequest, "malformed_json", "The body holds more than one JSON value.")
	}
	if m == nil {
		return nil, newAPIError(fiber.StatusBadRequest, "malformed_json", "The body must be a JSON object.")
	}
	// The body limit bounds what the decoder builds; walking the result is cheaper than a
	// second token pass over the bytes.
	nodes := 0
	if err := checkValue(m, 1, &nodes); err != nil {
		return nil, err
	}
	return m, nil
}

// checkValue refuses a decoded document nested deeper than maxBodyDepth or holding more
// than maxBodyNodes values, with the same errors as checkShape.
func checkValue(v any, depth int, nodes *int) error {
	*nodes++
	if *nodes > maxBodyNodes {
		return errTooLarge
	}
	switch x := v.(type) {
	case map[string]any:
		if depth > maxBodyDepth {
			return errTooDeep
		}
		for _, e := range x {
			if err := checkValue(e, depth+1, nodes); err != nil {
				return err
			}
		}
	case []any:
		if depth > maxBodyDepth {
			return errTooDeep
		}
		for _, e := range x {
			if err := checkValue(e, depth+1, nodes); err != nil {
				return err
			}
		}
	}
	return nil
}

func requireJSON(c *fiber.Ctx, body []byte) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if ct != "" && !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return newAPIError(fiber.StatusUnsupportedMediaType, "unsupported_media_type", "Send the body as application/json.")
	}
	if len(body) == 0 {
		return newAPIError(fiber.StatusBadRequest, "malformed_json", "The body is empty; send a JSON object.")
	}
	return nil
}

// checkShape walks the tokens once to refuse deeply nested or huge documents before any
// decoder builds them in memory.
func checkShape(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	depth, nodes := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return jsonError(err)
		}
		nodes++
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth > maxBodyDepth {
			return errTooDeep
		}
		if nodes > maxBodyNodes {
			return errTooLarge
		}
	}
}

func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return newAPIError(fiber.StatusBadRequest, "malformed_json", fmt.Sprintf("The body is not valid JSON (at byte %d): %s.", se.Offset, se.Error()))
	case errors.As(err, &te):
		path := "/" + strings.ReplaceAll(te.Field, ".", "/")
		return newAPIError(fiber.StatusBadRequest, "wrong_type", "A field has the wrong type.",
			FieldProblem{Path: path, Code: "type", Message: fmt.Sprintf("must be %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return newAPIError(fiber.StatusBadRequest, "unknown_field", "The body has a field this operation does not take.",
			FieldProblem{Path: "/" + name, Code: "unknown_field", Message: "is not a known field"})
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return newAPIError(fiber.StatusBadRequest, "malformed_json", "The body ends before the JSON value does.")
	}
	return newAPIError(fiber.StatusBadRequest, "malformed_json", "The body is not valid JSON: "+err.Error())
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "map", "struct":
		return "an object"
	}
	return "a number"
}
