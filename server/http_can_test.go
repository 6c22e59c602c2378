package server_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTPCanCoversTheAppsEntryPoints: the can map of /auth/me (and of the login answer)
// says, besides the administration objects, which published forms the person may create
// or read records of and which dashboards they may view, so the browser offers only
// entry points that work; what it leaves out, the routes refuse.
func TestHTTPCanCoversTheAppsEntryPoints(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	l.admin.do("POST", l.path("/templates/lending/install"), nil).must(200)
	obj := "form:" + loanForm
	l.admin.do("POST", l.path("/roles"), map[string]any{"key": "clerk", "name": "Clerk"}).must(201)
	l.admin.do("PUT", l.path("/roles/clerk/permissions"), map[string]any{"permissions": []any{
		map[string]any{"object": obj, "action": "create"},
		map[string]any{"object": obj + "/*", "action": "update"},
	}}).must(200)
	l.admin.do("POST", l.path("/users"), map[string]any{"email": "clerk@acme.test", "name": "Clerk", "password": testPassword, "roles": []string{"clerk"}}).must(201)

	canOf := func(res *response) map[string]any {
		t.Helper()
		can, ok := res.body["can"].(map[string]any)
		require.True(t, ok, "no can map in %s", res.raw)
		return can
	}

	admin := canOf(l.admin.do("GET", "/api/v1/auth/me", nil).must(200))
	assert.ElementsMatch(t, []any{"read", "update", "publish"}, admin["admin:definitions"])
	assert.ElementsMatch(t, []any{"create", "read", "update", "delete", "export"}, admin[obj])
	assert.ElementsMatch(t, []any{"read"}, admin["dashboard:cockpit"])
	assert.ElementsMatch(t, []any{"read", "manage"}, admin["admin:plugins"])

	clerkLogin := e.anon().do("POST", "/api/v1/auth/login", map[string]any{"tenant": "acme", "email": "clerk@acme.test", "password": testPassword}).must(200)
	user, ok := clerkLogin.body["user"].(map[string]any)
	require.True(t, ok)
	clerk := user["can"].(map[string]any)
	assert.Equal(t, map[string]any{obj: []any{"create"}}, clerk, "a clerk may create loan applications and nothing else")
	session := e.login("acme", "clerk@acme.test", testPassword)
	assert.Equal(t, clerk, canOf(session.do("GET", "/api/v1/auth/me", nil).must(200)), "login and /auth/me say the same")

	// What the map leaves out, the routes refuse.
	assert.Equal(t, 403, session.do("GET", l.path("/definitions/form"), nil).status)
	assert.Equal(t, 403, session.do("GET", l.path("/dashboards/cockpit"), nil).status)
	assert.Equal(t, 403, session.do("GET", l.path("/users"), nil).status)
	assert.Equal(t, 403, session.do("GET", l.path("/audit"), nil).status)
	assert.Equal(t, 403, session.do("GET", l.records(), nil).status)

	collector := canOf(l.collector.do("GET", "/api/v1/auth/me", nil).must(200))
	assert.Equal(t, []any{"read"}, collector[obj])
	assert.NotContains(t, collector, "dashboard:cockpit")
}
