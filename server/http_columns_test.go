package server_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTPSubTableColumnRights: rights given on a sub-table's columns through roles
// reach every answer: a hidden column is absent from records and from the access
// answer, a masked one comes masked, and a write keeps what the writer may not change.
func TestHTTPSubTableColumnRights(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	obj := "form:" + loanForm
	contacts := obj + "/field:emergency_contacts"
	perms := []any{
		map[string]any{"object": obj, "action": "read"},
		map[string]any{"object": obj, "action": "update"},
		map[string]any{"object": obj + "/*", "action": "read"},
		map[string]any{"object": contacts, "action": "update"},
		map[string]any{"object": contacts + ".phone", "action": "*", "effect": "deny"},
		map[string]any{"object": contacts + ".relation", "action": "update", "effect": "deny"},
	}
	l.admin.do("POST", l.path("/roles"), map[string]any{"key": "contact_clerk", "name": "Contact clerk"}).must(201)
	l.admin.do("PUT", l.path("/roles/contact_clerk/permissions"), map[string]any{"permissions": perms}).must(200)
	l.admin.do("POST", l.path("/users"), map[string]any{"email": "cc@acme.test", "name": "CC", "password": testPassword, "roles": []string{"contact_clerk"}}).must(201)
	clerk := e.login("acme", "cc@acme.test", testPassword)

	rows := []any{
		map[string]any{"name": "李娜", "relation": "spouse", "phone": "13900001111"},
		map[string]any{"name": "王强", "relation": "parent", "phone": "13700002222"},
	}
	id := l.reviewer.do("POST", l.records(), application(1, map[string]any{"emergency_contacts": rows})).must(201).str("id")
	rec := l.records() + "/" + id

	seen := clerk.do("GET", rec, nil).must(200).data()["emergency_contacts"]
	assert.Equal(t, []any{map[string]any{"name": "李娜", "relation": "spouse"}, map[string]any{"name": "王强", "relation": "parent"}}, seen)

	var access entryAccess
	require.NoError(t, json.Unmarshal(clerk.do("GET", l.path("/forms/"+loanForm+"/access"), nil).must(200).raw, &access))
	assert.NotContains(t, string(access.Schema.Properties["emergency_contacts"]), `"phone"`, "no trace of the hidden column")
	for _, f := range access.Fields {
		if f.Name == "emergency_contacts" {
			assert.Len(t, f.Columns, 2)
			for _, c := range f.Columns {
				assert.NotEqual(t, "phone", c.Name)
			}
		}
	}

	res := clerk.do("PATCH", rec, map[string]any{"version": 1, "data": map[string]any{"emergency_contacts": []any{
		map[string]any{"name": "李娜娜", "relation": "spouse"}, map[string]any{"name": "王强", "relation": "parent"}}}}).must(200)
	assert.Equal(t, "李娜娜", res.data()["emergency_contacts"].([]any)[0].(map[string]any)["name"])

	stored := l.reviewer.do("GET", rec, nil).must(200).data()["emergency_contacts"]
	assert.Equal(t, []any{
		map[string]any{"name": "李娜娜", "relation": "spouse", "phone": "13900001111"},
		map[string]any{"name": "王强", "relation": "parent", "phone": "13700002222"},
	}, stored, "the hidden column kept its values")

	refused := clerk.do("PATCH", rec, map[string]any{"version": 2, "data": map[string]any{"emergency_contacts": []any{
		map[string]any{"name": "王强", "relation": "parent"}}}})
	require.Equal(t, 422, refused.status)
	assert.Equal(t, []string{"/emergency_contacts"}, refused.errPaths())
	assert.Contains(t, string(refused.raw), "remove_rows_forbidden")

	refused = clerk.do("PATCH", rec, map[string]any{"version": 2, "data": map[string]any{"emergency_contacts": []any{
		map[string]any{"name": "李娜娜", "relation": "child"}, map[string]any{"name": "王强", "relation": "parent"}}}})
	require.Equal(t, 422, refused.status)
	assert.Equal(t, []string{"/emergency_contacts/0/relation"}, refused.errPaths())
	assert.Equal(t, stored, l.reviewer.do("GET", rec, nil).must(200).data()["emergency_contacts"], "a refused write changes nothing")
}
