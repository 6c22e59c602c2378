package form

import (
	"strconv"
	"strings"
)

// pointerEscaper escapes one JSON pointer reference token (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// ptr appends reference tokens to a JSON pointer.
func ptr(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(t))
	}
	return b.String()
}

// ptrIndex appends an array index to a JSON pointer.
func ptrIndex(base string, i int) string { return base + "/" + strconv.Itoa(i) }

// ptrTokens splits a JSON pointer into unescaped tokens; "" gives none.
func ptrTokens(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

// ptrGet resolves a JSON pointer in a decoded JSON document.
func ptrGet(doc any, p string) (any, bool) {
	cur := doc
	for _, t := range ptrTokens(p) {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[t]
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

// ptrHead returns the first token of a pointer ("" for the root).
func ptrHead(p string) string {
	ts := ptrTokens(p)
	if len(ts) == 0 {
		return ""
	}
	return ts[0]
}
