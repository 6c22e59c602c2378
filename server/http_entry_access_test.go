package server_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/schemas"
)

// updateAccess rewrites testdata/access_clerk.json, the clerk's access answer the
// browser app's entry page tests are drawn from; review the diff like code.
var updateAccess = flag.Bool("update-access", false, "rewrite testdata/access_clerk.json from the server's answer")

const clerkAccessFile = "testdata/access_clerk.json"

// entryAccess is the part of an access answer an entry form is drawn from.
type entryAccess struct {
	Schema struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	} `json:"schema"`
	Layout struct {
		Sections []struct {
			Key    string   `json:"key"`
			Fields []string `json:"fields"`
		} `json:"sections"`
	} `json:"layout"`
	Fields []struct {
		Name    string `json:"name"`
		Columns []struct {
			Name string `json:"name"`
		} `json:"columns"`
	} `json:"fields"`
}

// TestHTTPAccessCarriesTheEntryForm: a clerk who may create records but not read the
// definition gets the schema and layout of the fields they may know, with no trace of
// the others; an administrator gets all of it.
func TestHTTPAccessCarriesTheEntryForm(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	obj := "form:" + loanForm
	hidden := []string{"monthly_income", "other_income", "monthly_debt"}
	perms := []any{
		map[string]any{"object": obj, "action": "create"},
		map[string]any{"object": obj + "/*", "action": "read"},
		map[string]any{"object": obj + "/*", "action": "update"},
	}
	for _, h := range hidden {
		perms = append(perms, map[string]any{"object": obj + "/field:" + h, "action": "*", "effect": "deny"})
	}
	l.admin.do("POST", l.path("/roles"), map[string]any{"key": "clerk", "name": "Clerk"}).must(201)
	l.admin.do("PUT", l.path("/roles/clerk/permissions"), map[string]any{"permissions": perms}).must(200)
	l.admin.do("POST", l.path("/users"), map[string]any{"email": "clerk@acme.test", "name": "Clerk", "password": testPassword, "roles": []string{"clerk"}}).must(201)
	clerk := e.login("acme", "clerk@acme.test", testPassword)
	access := l.path("/forms/" + loanForm + "/access")

	assert.Equal(t, 403, clerk.do("GET", l.path("/definitions/form/"+loanForm), nil).status, "the clerk may not read the definition")

	res := clerk.do("GET", access, nil).must(200)
	if *updateAccess {
		var pretty bytes.Buffer
		require.NoError(t, json.Indent(&pretty, res.raw, "", "  "))
		require.NoError(t, os.WriteFile(clerkAccessFile, append(pretty.Bytes(), '\n'), 0o644))
	}
	recorded, err := os.ReadFile(clerkAccessFile)
	require.NoError(t, err)
	assert.JSONEq(t, string(recorded), string(res.raw), "the browser's tests use this answer (run with -update-access to accept)")
	for _, h := range hidden {
		assert.NotContains(t, string(res.raw), h, "no trace of a hidden field")
	}
	var got entryAccess
	require.NoError(t, json.Unmarshal(res.raw, &got))
	assert.Contains(t, got.Schema.Required, "amount")
	assert.Contains(t, got.Schema.Properties, "amount")
	assert.Contains(t, got.Schema.Properties, "emergency_contacts")
	sections := map[string][]string{}
	for _, s := range got.Layout.Sections {
		sections[s.Key] = s.Fields
	}
	assert.Equal(t, []string{"existing_loans_count", "credit_card_limit_total", "housing_status", "annual_income", "debt_to_income"}, sections["finances"])
	var columns []string
	for _, f := range got.Fields {
		if f.Name == "emergency_contacts" {
			for _, c := range f.Columns {
				columns = append(columns, c.Name)
			}
		}
	}
	assert.Equal(t, []string{"name", "relation", "phone"}, columns, "a sub-table's columns come with it, in order")

	tpl, err := schemas.TemplateOf("lending", loanForm)
	require.NoError(t, err)
	var def struct {
		Schema json.RawMessage `json:"schema"`
		Layout json.RawMessage `json:"layout"`
	}
	require.NoError(t, json.Unmarshal(tpl.Body, &def))
	admin := l.admin.do("GET", access, nil).must(200)
	var whole struct {
		Schema json.RawMessage `json:"schema"`
		Layout json.RawMessage `json:"layout"`
	}
	require.NoError(t, json.Unmarshal(admin.raw, &whole))
	assert.JSONEq(t, string(def.Schema), string(whole.Schema), "the administrator gets the published schema")
	assert.JSONEq(t, string(def.Layout), string(whole.Layout))

	list := clerk.do("GET", l.path("/forms"), nil).must(200)
	assert.NotContains(t, string(list.raw), `"schema"`, "the forms menu stays small")
}
