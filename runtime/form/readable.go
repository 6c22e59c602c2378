package form

import (
	"slices"
	"strings"
)

// A reader without the right to a form's definition still fills the form in, so the
// access answer carries the published JSON Schema and layout reduced to the fields the
// reader may know. The reduced schema checks in the browser only; the server checks
// with the whole one. So where a constraint names a field the reader may not know,
// the reduction only ever loosens: it drops the constraint, never tightens another.

// nameScope says which member names of one object level a reader may know. A nil
// scope knows every name.
type nameScope struct {
	known func(name string) bool
	// below is the scope of the level under a known member (a sub-table's rows); nil:
	// every name there is known.
	below func(name string) *nameScope
}

func (sc *nameScope) knows(name string) bool { return sc == nil || sc.known(name) }

func (sc *nameScope) under(name string) *nameScope {
	if sc == nil || sc.below == nil {
		return nil
	}
	return sc.below(name)
}

// schemaReducer reduces one schema document; root resolves its local references.
type schemaReducer struct {
	root *jsonObject
}

// defContainers are the members that hold reusable subschemas.
var defContainers = []string{"$defs", "definitions"}

// reduceSchema returns root without what sc does not know: the properties, the
// required and dependent names, the subschemas whose meaning depends on them, and the
// $defs nothing left refers to.
func reduceSchema(root *jsonObject, sc *nameScope) *jsonObject {
	r := &schemaReducer{root: root}
	out, _ := r.reduce(root, sc, 0).(*jsonObject)
	if out == nil {
		return root
	}
	r.keepReferencedDefs(out)
	return out
}

// resolve follows a local reference: a JSON pointer ("#/$defs/x") or an anchor ("#x").
func (r *schemaReducer) resolve(ref string) (*jsonObject, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	if frag == "" || strings.HasPrefix(frag, "/") {
		v, ok := orderedAt(r.root, frag)
		o, _ := v.(*jsonObject)
		return o, ok && o != nil
	}
	var found *jsonObject
	walkSchemas(r.root, func(o *jsonObject) bool {
		if a, _ := o.vals["$anchor"].(string); a == frag {
			found = o
		}
		return found == nil
	})
	return found, found != nil
}

// mentions reports whether node says anything about a name sc does not know, at its
// level or below a known member, following local references.
func (r *schemaReducer) mentions(node any, sc *nameScope, hops int) bool {
	o, ok := node.(*jsonObject)
	if !ok || sc == nil {
		return false
	}
	if hops > maxRefHops {
		return true
	}
	if props := o.object("properties"); props != nil {
		for _, k := range props.keys {
			if !sc.knows(k) || r.mentions(props.vals[k], sc.under(k), hops) {
				return true
			}
		}
	}
	for _, n := range stringsOf(o.vals["required"]) {
		if !sc.knows(n) {
			return true
		}
	}
	if dr := o.object("dependentRequired"); dr != nil {
		for _, k := range dr.keys {
			if !sc.knows(k) {
				return true
			}
			for _, n := range stringsOf(dr.vals[k]) {
				if !sc.knows(n) {
					return true
				}
			}
		}
	}
	if ds := o.object("dependentSchemas"); ds != nil {
		for _, k := range ds.keys {
			if !sc.knows(k) || r.mentions(ds.vals[k], sc, hops) {
				return true
			}
		}
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		items, _ := o.vals[kw].([]any)
		for _, it := range items {
			if r.mentions(it, sc, hops) {
				return true
			}
		}
	}
	// items: an array's rows are the level below its property, already in sc.
	for _, kw := range []string{"if", "then", "else", "not", "items"} {
		if r.mentions(o.vals[kw], sc, hops) {
			return true
		}
	}
	if ref, ok := o.vals["$ref"].(string); ok {
		if target, ok := r.resolve(ref); ok {
			return r.mentions(target, sc, hops+1)
		}
	}
	return false
}

// reduce returns node without what sc does not know. Dropping a constraint loosens the
// check, so allOf members, anyOf branches, then/else and dependent schemas are reduced;
// oneOf, not and if are dropped whole when they mention an unknown name, since
// reducing them could make the check stricter or change which branch applies.
func (r *schemaReducer) reduce(node any, sc *nameScope, hops int) any {
	o, ok := node.(*jsonObject)
	if !ok || sc == nil {
		return node
	}
	out := newJSONObject()
	ifUnknown := r.mentions(o.vals["if"], sc, hops)
	var inlined []any
	for _, k := range o.keys {
		v := o.vals[k]
		switch k {
		case "properties":
			props, ok := v.(*jsonObject)
			if !ok {
				out.set(k, v)
				continue
			}
			kept := newJSONObject()
			for _, name := range props.keys {
				if sc.knows(name) {
					kept.set(name, r.reduce(props.vals[name], sc.under(name), hops))
				}
			}
			out.set(k, kept)
		case "required":
			if names, ok := v.([]any); ok {
				if kept := knownNames(names, sc); len(kept) > 0 {
					out.set(k, kept)
				}
				continue
			}
			out.set(k, v)
		case "dependentRequired":
			dr, ok := v.(*jsonObject)
			if !ok {
				out.set(k, v)
				continue
			}
			kept := newJSONObject()
			for _, name := range dr.keys {
				if !sc.knows(name) {
					continue
				}
				if names, ok := dr.vals[name].([]any); ok {
					kept.set(name, knownNames(names, sc))
				}
			}
			if len(kept.keys) > 0 {
				out.set(k, kept)
			}
		case "dependentSchemas":
			ds, ok := v.(*jsonObject)
			if !ok {
				out.set(k, v)
				continue
			}
			kept := newJSONObject()
			for _, name := range ds.keys {
				if sc.knows(name) {
					kept.set(name, r.reduce(ds.vals[name], sc, hops))
				}
			}
			if len(kept.keys) > 0 {
				out.set(k, kept)
			}
		case "allOf", "anyOf":
			items, ok := v.([]any)
			if !ok {
				out.set(k, v)
				continue
			}
			reduced := make([]any, 0, len(items))
			for _, it := range items {
				reduced = append(reduced, r.reduce(it, sc, hops))
			}
			out.set(k, reduced)
		case "oneOf":
			items, _ := v.([]any)
			if !slices.ContainsFunc(items, func(it any) bool { return r.mentions(it, sc, hops) }) {
				out.set(k, v)
			}
		case "not":
			if !r.mentions(v, sc, hops) {
				out.set(k, v)
			}
		case "if":
			if !ifUnknown {
				out.set(k, v)
			}
		case "then", "else":
			if !ifUnknown {
				out.set(k, r.reduce(v, sc, hops))
			}
		case "items":
			out.set(k, r.reduce(v, sc, hops))
		case "$ref":
			ref, _ := v.(string)
			target, ok := r.resolve(ref)
			if ok && hops < maxRefHops && r.mentions(target, sc, hops+1) {
				// The shared definition says more than this reader may know: this place
				// gets its own reduced copy and the reference goes.
				inlined = append(inlined, r.reduce(target, sc, hops+1))
				continue
			}
			out.set(k, v)
		default:
			out.set(k, v)
		}
	}
	if len(inlined) > 0 {
		all, _ := out.vals["allOf"].([]any)
		out.set("allOf", append(all, inlined...))
	}
	return out
}

// keepReferencedDefs drops from out's $defs (and definitions) every entry nothing
// outside them refers to, directly or through other kept entries.
func (r *schemaReducer) keepReferencedDefs(out *jsonObject) {
	used := map[string]bool{} // "<container>/<name>"
	var queue []string
	collect := func(node any, skipDefs bool) {
		walkSchemaValues(node, skipDefs, func(ref string) { queue = append(queue, ref) })
	}
	collect(out, true)
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		for _, id := range r.defsOf(out, ref) {
			if used[id] {
				continue
			}
			used[id] = true
			container, name, _ := strings.Cut(id, "/")
			if defs := out.object(container); defs != nil {
				collect(defs.vals[name], false)
			}
		}
	}
	for _, container := range defContainers {
		defs := out.object(container)
		if defs == nil {
			continue
		}
		kept := newJSONObject()
		for _, name := range defs.keys {
			if used[container+"/"+name] {
				kept.set(name, defs.vals[name])
			}
		}
		if len(kept.keys) == 0 {
			delete(out.vals, container)
			out.keys = removeKey(out.keys, container)
			continue
		}
		out.set(container, kept)
	}
}

// defsOf names the definition entries ("$defs/x") a reference lands in.
func (r *schemaReducer) defsOf(out *jsonObject, ref string) []string {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil
	}
	if strings.HasPrefix(frag, "/") {
		ts := ptrTokens(frag)
		if len(ts) >= 2 && (ts[0] == "$defs" || ts[0] == "definitions") {
			return []string{ts[0] + "/" + ts[1]}
		}
		return nil
	}
	var ids []string
	for _, container := range defContainers {
		defs := out.object(container)
		if defs == nil {
			continue
		}
		for _, name := range defs.keys {
			walkSchemas(defs.vals[name], func(o *jsonObject) bool {
				if a, _ := o.vals["$anchor"].(string); a == frag {
					ids = append(ids, container+"/"+name)
					return false
				}
				return true
			})
		}
	}
	return ids
}

// walkSchemas calls fn on every object in node, depth first, until fn returns false.
func walkSchemas(node any, fn func(*jsonObject) bool) bool {
	switch v := node.(type) {
	case *jsonObject:
		if !fn(v) {
			return false
		}
		for _, k := range v.keys {
			if !walkSchemas(v.vals[k], fn) {
				return false
			}
		}
	case []any:
		for _, it := range v {
			if !walkSchemas(it, fn) {
				return false
			}
		}
	}
	return true
}

// walkSchemaValues calls fn with every "$ref" and "$dynamicRef" in node; skipDefs leaves
// out node's own definition containers.
func walkSchemaValues(node any, skipDefs bool, fn func(ref string)) {
	top, _ := node.(*jsonObject)
	var walk func(n any)
	walk = func(n any) {
		switch v := n.(type) {
		case *jsonObject:
			for _, k := range v.keys {
				switch {
				case skipDefs && v == top && (k == "$defs" || k == "definitions"):
				case k == "$ref" || k == "$dynamicRef":
					if ref, ok := v.vals[k].(string); ok {
						fn(ref)
					}
				default:
					walk(v.vals[k])
				}
			}
		case []any:
			for _, it := range v {
				walk(it)
			}
		}
	}
	walk(node)
}

func knownNames(names []any, sc *nameScope) []any {
	kept := make([]any, 0, len(names))
	for _, n := range names {
		if s, ok := n.(string); !ok || sc.knows(s) {
			kept = append(kept, n)
		}
	}
	return kept
}

func removeKey(keys []string, k string) []string {
	out := keys[:0]
	for _, x := range keys {
		if x != k {
			out = append(out, x)
		}
	}
	return out
}

// readableLayout keeps the sections with a field known to the reader, listing only those.
func readableLayout(l *Layout, known func(string) bool) *Layout {
	if l == nil {
		return nil
	}
	out := &Layout{Sections: []Section{}}
	for _, s := range l.Sections {
		var fields []string
		for _, f := range s.Fields {
			if known(f) {
				fields = append(fields, f)
			}
		}
		if len(fields) == 0 {
			continue
		}
		s.Fields = fields
		out.Sections = append(out.Sections, s)
	}
	return out
}
