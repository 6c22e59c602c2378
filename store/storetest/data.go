package storetest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// sameData reports how got differs from want, or "" when they are the same JSON:
// integers must come back as the same json.Number text, other numbers with the same
// float64 value (engines may spell 2.50 as 2.5), everything else equal.
func sameData(want, got any) string {
	return diffAt("", want, got)
}

func diffAt(path string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %T %v", pathOr(path), got, got)
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s/%s: missing", path, k)
			}
			if d := diffAt(path+"/"+k, wv, gv); d != "" {
				return d
			}
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				return fmt.Sprintf("%s/%s: unexpected key", path, k)
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %v, got %T %v", pathOr(path), w, got, got)
		}
		for i := range w {
			if d := diffAt(fmt.Sprintf("%s/%d", path, i), w[i], g[i]); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return fmt.Sprintf("%s: want json.Number %s, got %T %v", pathOr(path), w, got, got)
		}
		if isIntLiteral(string(w)) {
			if g != w {
				return fmt.Sprintf("%s: want integer %s exactly, got %s", pathOr(path), w, g)
			}
			return ""
		}
		wf, _ := w.Float64()
		gf, err := g.Float64()
		if err != nil || wf != gf {
			return fmt.Sprintf("%s: want number %s, got %s", pathOr(path), w, g)
		}
		return ""
	}
	if want != got {
		return fmt.Sprintf("%s: want %T %v, got %T %v", pathOr(path), want, want, got, got)
	}
	return ""
}

func pathOr(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func isIntLiteral(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil && !strings.ContainsAny(s, ".eE")
}
