package tenants

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Actions of a permission. Field objects take only read, read_masked, update and *.
const (
	ActionCreate     = "create"
	ActionRead       = "read"
	ActionReadMasked = "read_masked"
	ActionUpdate     = "update"
	ActionDelete     = "delete"
	ActionExport     = "export"
	ActionApprove    = "approve"
	ActionPublish    = "publish"
	ActionManage     = "manage"
	ActionAll        = "*"
)

var actions = map[string]bool{
	ActionCreate: true, ActionRead: true, ActionReadMasked: true, ActionUpdate: true,
	ActionDelete: true, ActionExport: true, ActionApprove: true, ActionPublish: true,
	ActionManage: true, ActionAll: true,
}

var fieldActions = map[string]bool{ActionRead: true, ActionReadMasked: true, ActionUpdate: true, ActionAll: true}

var adminAreas = []string{"audit", "definitions", "lists", "plugins", "roles", "tasks", "tenant", "tokens", "users", "webhooks"}

// AdminAreas lists the areas an "admin:<area>" object may name.
func AdminAreas() []string { return slices.Clone(adminAreas) }

// Permission is one rule of a role: Effect (allow or deny) Action on Object.
type Permission struct {
	// Object is what the rule covers; see the object grammar of ValidatePermissions.
	Object string `json:"object"`
	// Action is one of the Action* constants.
	Action string `json:"action"`
	// Effect is "allow" (the default when empty) or "deny"; a deny wins over every allow.
	Effect string `json:"effect,omitempty"`
}

// FormObject is the object of record-level rights on a form.
func FormObject(form string) string { return "form:" + form }

// FieldObject is the object of one field of a form; field is a dotted path for nested
// and sub-table fields ("contacts.phone").
func FieldObject(form, field string) string { return "form:" + form + "/field:" + field }

// FlowNodeObject is the object of one node of a flow (approve, claim…).
func FlowNodeObject(flow, node string) string { return "flow:" + flow + "/node:" + node }

// DashboardObject is the object of a dashboard.
func DashboardObject(key string) string { return "dashboard:" + key }

// AdminObject is the object of an administration area ("admin:users").
func AdminObject(area string) string { return "admin:" + area }

var (
	fieldPathRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]{0,63}(\.[a-zA-Z][a-zA-Z0-9_]{0,63}){0,7}$`)
	nodeIDRe    = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$`)
)

// objectKind classifies a valid object: "field" for form field objects, "other" for
// every other valid object, "" when invalid.
func objectKind(obj string) string {
	if obj == "*" {
		return "other"
	}
	kind, rest, ok := strings.Cut(obj, ":")
	if !ok {
		return ""
	}
	if rest == "*" {
		switch kind {
		case "form", "flow", "dashboard", "rule", "admin":
			return "other"
		}
		return ""
	}
	key, sub, hasSub := strings.Cut(rest, "/")
	switch kind {
	case "admin":
		for _, a := range adminAreas {
			if rest == a {
				return "other"
			}
		}
		return ""
	case "dashboard", "rule":
		if ValidKey(rest) {
			return "other"
		}
		return ""
	case "form", "flow":
		if !ValidKey(key) {
			return ""
		}
	default:
		return ""
	}
	switch {
	case !hasSub, sub == "*":
		return "other"
	case kind == "form":
		if f, ok := strings.CutPrefix(sub, "field:"); ok && fieldPathRe.MatchString(f) {
			return "field"
		}
	case kind == "flow":
		if n, ok := strings.CutPrefix(sub, "node:"); ok && nodeIDRe.MatchString(n) {
			return "other"
		}
	}
	return ""
}

// ValidatePermissions checks a role's rules before they are stored and returns a
// *ValidationError naming each bad entry by index ("/permissions/3/object").
//
// Objects: "*"; "form:*", "flow:*", "dashboard:*", "rule:*", "admin:*"; "form:<key>"
// (record-level rights), "form:<key>/*" (every field), "form:<key>/field:<path>";
// "flow:<key>", "flow:<key>/*", "flow:<key>/node:<id>"; "dashboard:<key>"; "rule:<key>";
// "admin:<area>" with an area of AdminAreas(). A trailing "*" covers everything below it.
func ValidatePermissions(perms []Permission) error {
	var ps problems
	checkPermissions(&ps, "/permissions", perms)
	return ps.err()
}

func checkPermissions(ps *problems, path string, perms []Permission) {
	if len(perms) > maxPermissions {
		ps.add(path, CodeTooMany, "a role has at most %d permissions", maxPermissions)
		return
	}
	seen := make(map[[2]string]int, len(perms))
	for i, p := range perms {
		at := fmt.Sprintf("%s/%d", path, i)
		kind := objectKind(p.Object)
		switch {
		case p.Object == "":
			ps.add(at+"/object", CodeRequired, "an object is required")
		case kind == "":
			ps.add(at+"/object", CodeInvalidObject, "%q is not an object such as *, form:<key>, form:<key>/*, form:<key>/field:<name>, flow:<key>/node:<id>, dashboard:<key> or admin:<area>", p.Object)
		}
		switch {
		case p.Action == "":
			ps.add(at+"/action", CodeRequired, "an action is required")
		case !actions[p.Action]:
			ps.add(at+"/action", CodeInvalidAction, "%q is not one of create, read, read_masked, update, delete, export, approve, publish, manage or *", p.Action)
		case kind == "field" && !fieldActions[p.Action]:
			ps.add(at+"/action", CodeActionNotAllowed, "a field takes only read, read_masked, update or *, not %q", p.Action)
		}
		if p.Effect != "" && p.Effect != EffectAllow && p.Effect != EffectDeny {
			ps.add(at+"/effect", CodeInvalidEffect, "the effect is allow or deny, not %q", p.Effect)
		}
		k := [2]string{p.Object, p.Action}
		if j, dup := seen[k]; dup {
			ps.add(at, CodeDuplicate, "the same object and action as entry %d", j)
		} else {
			seen[k] = i
		}
	}
}

func (p Permission) effect() string {
	if p.Effect == "" {
		return EffectAllow
	}
	return p.Effect
}
