package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
)

var incomeFields = []string{"monthly_income", "other_income", "monthly_debt", "annual_income", "debt_to_income"}

func TestHTTPFieldPermissionsOnEveryReadPath(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	online := l.reviewer.do("POST", l.records(), application(1, nil)).must(201)
	branch := l.reviewer.do("POST", l.records(), application(2, map[string]any{"channel": "branch"})).must(201)
	id := online.str("id")
	phoneMask := regexp.MustCompile(`^138\*{4}\d{4}$`)

	t.Run("collector get", func(t *testing.T) {
		d := l.collector.do("GET", l.records()+"/"+id, nil).must(200).data()
		assert.Regexp(t, phoneMask, d["mobile_phone"])
		requireNoFields(t, d, incomeFields...)
		assert.Equal(t, "rented", d["housing_status"])
	})
	t.Run("collector list", func(t *testing.T) {
		res := l.collector.do("GET", l.records(), nil).must(200)
		for _, r := range res.body["records"].([]any) {
			d := r.(map[string]any)["data"].(map[string]any)
			assert.Regexp(t, phoneMask, d["mobile_phone"])
			requireNoFields(t, d, incomeFields...)
		}
	})
	t.Run("collector cannot filter or sort on hidden fields", func(t *testing.T) {
		filter := `{"field":"monthly_income","op":"gt","value":1}`
		hidden := l.collector.do("GET", l.records()+"?filter="+urlQuery(filter), nil)
		unknown := l.collector.do("GET", l.records()+"?filter="+urlQuery(`{"field":"no_such_field","op":"gt","value":1}`), nil)
		assert.True(t, hidden.status >= 400 && hidden.status < 500, "%s", hidden.raw)
		assert.Equal(t, unknown.status, hidden.status)
		assert.Equal(t, unknown.errCode(), hidden.errCode(), "a hidden field looks exactly like an unknown one")
		assert.NotContains(t, string(hidden.raw), "income")

		sorted := l.collector.do("GET", l.records()+"?sort=-monthly_income", nil)
		sortedUnknown := l.collector.do("GET", l.records()+"?sort=-no_such_field", nil)
		assert.True(t, sorted.status >= 400 && sorted.status < 500, "%s", sorted.raw)
		assert.Equal(t, sortedUnknown.status, sorted.status)
		assert.Equal(t, sortedUnknown.errCode(), sorted.errCode())
	})
	t.Run("collector cannot write", func(t *testing.T) {
		assert.Equal(t, 403, l.collector.do("POST", l.records(), application(3, nil)).status)
	})
	t.Run("auditor reads everything masked", func(t *testing.T) {
		d := l.auditor.do("GET", l.records()+"/"+id, nil).must(200).data()
		assert.NotEqual(t, idNumber(1), d["id_number"])
		assert.Regexp(t, `^\d{3}\*+\w{4}$`, d["id_number"])
		assert.Regexp(t, phoneMask, d["mobile_phone"])
		assert.Equal(t, 403, l.auditor.do("PATCH", l.records()+"/"+id, map[string]any{"version": 1, "data": map[string]any{"amount": 9000}}).status)
	})
	t.Run("channel manager sees only its channel", func(t *testing.T) {
		res := l.channel.do("GET", l.records(), nil).must(200)
		require.Len(t, res.body["records"], 1)
		assert.Equal(t, id, res.body["records"].([]any)[0].(map[string]any)["id"])
		assert.Equal(t, 404, l.channel.do("GET", l.records()+"/"+branch.str("id"), nil).status)
		assert.Equal(t, 404, l.channel.do("PATCH", l.records()+"/"+branch.str("id"), map[string]any{"version": 1, "data": map[string]any{"amount": 9000}}).status)
	})
	t.Run("audit diffs honour the reader's permissions", func(t *testing.T) {
		l.reviewer.do("PATCH", l.records()+"/"+id, map[string]any{"version": 1, "data": map[string]any{"monthly_income": 20000, "mobile_phone": "13812345678"}}).must(200)
		res := l.auditor.do("GET", l.path("/audit?action=update"), nil).must(200)
		raw := string(res.raw)
		assert.NotContains(t, raw, "13812345678", "the audit log never shows a sensitive value in full")
		assert.NotContains(t, raw, idNumber(1))
		assert.Equal(t, 403, l.collector.do("GET", l.path("/audit"), nil).status)
	})
	t.Run("full reads of sensitive fields are audited", func(t *testing.T) {
		l.reviewer.do("GET", l.records()+"/"+id, nil).must(200)
		res := l.admin.do("GET", l.path("/audit?action=view&actor="+l.userIDs["credit_reviewer"]), nil).must(200)
		entries := res.body["entries"].([]any)
		require.NotEmpty(t, entries)
		assert.Contains(t, string(res.raw), "id_number", "the view entry names the unmasked fields")
	})
}

func TestHTTPHiddenRequiredFieldsAreNotNamed(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	obj := "form:" + loanForm
	l.admin.do("POST", l.path("/roles"), map[string]any{"key": "intake", "name": "Intake"}).must(201)
	l.admin.do("PUT", l.path("/roles/intake/permissions"), map[string]any{"permissions": []any{
		map[string]any{"object": obj, "action": "create"},
		map[string]any{"object": obj + "/*", "action": "read"},
		map[string]any{"object": obj + "/*", "action": "update"},
		map[string]any{"object": obj + "/field:monthly_income", "action": "*", "effect": "deny"},
	}}).must(200)
	l.admin.do("POST", l.path("/users"), map[string]any{"email": "intake@acme.test", "name": "Intake", "password": testPassword, "roles": []string{"intake"}}).must(201)
	intake := e.login("acme", "intake@acme.test", testPassword)

	res := intake.do("POST", l.records(), application(1, map[string]any{"monthly_income": nil, "amount": 1}))
	assert.Equal(t, 422, res.status, "%s", res.raw)
	assert.Contains(t, res.errPaths(), "/amount")
	assert.NotContains(t, string(res.raw), "monthly_income")

	hidden := intake.do("POST", l.records(), application(1, map[string]any{"amount": 1}))
	unknown := intake.do("POST", l.records(), application(1, map[string]any{"amount": 1, "monthly_income": nil, "no_such_field": 5}))
	assert.Equal(t, unknown.status, hidden.status)
	assert.Equal(t, strings.ReplaceAll(string(unknown.errFields()), "no_such_field", "X"),
		strings.ReplaceAll(string(hidden.errFields()), "monthly_income", "X"), "writing a hidden field reads exactly like an unknown one")
}

func TestHTTPTenantIsolationOnEveryRoute(t *testing.T) {
	e := newTestEnv(t)
	acme := e.newLender("acme")
	globex := e.newLender("globex")
	rec := globex.reviewer.do("POST", globex.records(), application(1, nil)).must(201)
	params := map[string]string{
		":tenant": "globex", ":form": loanForm, ":id": rec.str("id"), ":kind": "form", ":key": loanForm,
		":role": "collector", ":version": "1", ":list": "blacklist.phone", ":value": "13800000000",
		":pack": "lending", ":flow": "loan_approval", ":format": "svg", ":job": "01a2b3c4-0000-7000-8000-000000000000",
		":file": "01a2b3c4-0000-7000-8000-000000000001",
	}
	probed := 0
	for _, r := range e.srv.App().GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/t/:tenant") || r.Method == "HEAD" {
			continue
		}
		path := r.Path
		for k, v := range params {
			path = strings.ReplaceAll(path, k, v)
		}
		if strings.Contains(path, ":") {
			t.Fatalf("route %s has a parameter this test does not fill", r.Path)
		}
		for _, c := range []*client{acme.admin, acme.reviewer, acme.auditor} {
			res := c.do(r.Method, path, map[string]any{})
			assert.Equal(t, 404, res.status, "%s %s answered %d: %.200s", r.Method, path, res.status, res.raw)
			assert.NotContains(t, string(res.raw), rec.str("id"))
		}
		probed++
	}
	assert.GreaterOrEqual(t, probed, 20)
	// And the record of one tenant is not reachable under the other's path either.
	assert.Equal(t, 404, acme.admin.do("GET", acme.records()+"/"+rec.str("id"), nil).status)
	// Platform routes are closed to tenant users.
	assert.Equal(t, 403, acme.admin.do("GET", "/api/v1/tenants", nil).status)
}

func TestHTTPAuthentication(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")

	t.Run("no credentials", func(t *testing.T) {
		res := e.anon().do("GET", l.records(), nil)
		assert.Equal(t, 401, res.status)
		assert.Equal(t, "unauthenticated", res.errCode())
	})
	t.Run("session without CSRF token", func(t *testing.T) {
		c := e.login("acme", "reviewer@acme.test", testPassword)
		c.csrf = ""
		res := c.do("POST", l.records(), application(1, nil))
		assert.Equal(t, 403, res.status)
		assert.Equal(t, "csrf_failed", res.errCode())
		c.do("GET", l.records(), nil).must(200)
	})
	t.Run("wrong password and unknown user look alike", func(t *testing.T) {
		a := e.anon().do("POST", "/api/v1/auth/login", map[string]any{"tenant": "acme", "email": "reviewer@acme.test", "password": "wrong-password-1"})
		b := e.anon().do("POST", "/api/v1/auth/login", map[string]any{"tenant": "acme", "email": "nobody@acme.test", "password": "wrong-password-1"})
		assert.Equal(t, 401, a.status)
		assert.Equal(t, a.status, b.status)
		assert.Equal(t, a.errCode(), b.errCode())
	})
	t.Run("login rate limit", func(t *testing.T) {
		var last *response
		for range 30 {
			last = e.anon().do("POST", "/api/v1/auth/login", map[string]any{"tenant": "acme", "email": "collector@acme.test", "password": "wrong-password-1"})
			if last.status == 429 {
				break
			}
		}
		assert.Equal(t, 429, last.status)
		assert.Equal(t, "rate_limited", last.errCode())
		assert.NotEmpty(t, last.header.Get("Retry-After"))
	})
	t.Run("scoped API token", func(t *testing.T) {
		res := l.reviewer.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "etl", "scopes": []string{"records:read"}}).must(201)
		m := e.anon()
		m.bearer = res.str("token")
		m.do("GET", l.records(), nil).must(200)
		assert.Equal(t, 403, m.do("POST", l.records(), application(1, nil)).status)
		m.bearer = "not-a-token"
		assert.Equal(t, 401, m.do("GET", l.records(), nil).status)
	})
	t.Run("logout ends the session", func(t *testing.T) {
		c := e.login("acme", "auditor@acme.test", testPassword)
		c.do("POST", "/api/v1/auth/logout", nil).must(204)
		assert.Equal(t, 401, c.do("GET", l.records(), nil).status)
	})
}

func TestHTTPPlatformAdministration(t *testing.T) {
	e := newTestEnv(t)
	root := e.login("", adminEmail, adminPassword)
	root.do("POST", "/api/v1/tenants", map[string]any{"slug": "acme", "name": "Acme"}).must(201)
	dup := root.do("POST", "/api/v1/tenants", map[string]any{"slug": "acme", "name": "Acme again"})
	assert.Equal(t, 409, dup.status)
	bad := root.do("POST", "/api/v1/tenants", map[string]any{"slug": "No Spaces!", "name": "x"})
	assert.Equal(t, 422, bad.status)
	assert.Contains(t, bad.errPaths(), "/slug")
	unknown := root.do("POST", "/api/v1/tenants", map[string]any{"slug": "beta", "name": "Beta", "colour": "red"})
	assert.Equal(t, 400, unknown.status)
	assert.Equal(t, "unknown_field", unknown.errCode())
	list := root.do("GET", "/api/v1/tenants", nil).must(200)
	assert.Len(t, list.body["tenants"], 1)
}

func TestHTTPAuditChainDetectsTampering(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	id := l.reviewer.do("POST", l.records(), application(1, nil)).must(201).str("id")
	l.reviewer.do("GET", l.records()+"/"+id, nil).must(200)

	ok := l.admin.do("GET", l.path("/audit/verify"), nil).must(200)
	assert.Equal(t, true, ok.body["ok"], "%s", ok.raw)
	entries, _ := ok.body["entries"].(json.Number).Int64()
	assert.Greater(t, entries, int64(5))

	ctx := context.Background()
	sc, err := e.backend.Scope("acme")
	require.NoError(t, err)
	coll := sc.Collection(audit.Collection)
	d, err := coll.Get(ctx, fmt.Sprintf("%020d", 3))
	require.NoError(t, err)
	d.Data["actor"] = "someone-else"
	require.NoError(t, coll.Update(ctx, d))

	broken := l.admin.do("GET", l.path("/audit/verify"), nil).must(200)
	assert.Equal(t, false, broken.body["ok"])
	assert.NotEmpty(t, broken.body["problems"])
}

func urlQuery(s string) string {
	r := strings.NewReplacer("{", "%7B", "}", "%7D", `"`, "%22", ":", "%3A", ",", "%2C", " ", "%20")
	return r.Replace(s)
}

func TestHTTPExportHonoursPermissions(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	for i := range 7 {
		l.reviewer.do("POST", l.records(), application(i, map[string]any{"applicant_name": "=HYPERLINK(\"x\")"})).must(201)
	}
	l.reviewer.do("POST", l.records(), application(9, map[string]any{"channel": "branch"})).must(201)
	obj := "form:" + loanForm
	// The channel manager may export, sees every field masked and only its channel.
	perms := l.admin.do("GET", l.path("/roles/channel_manager/permissions"), nil).must(200).body["permissions"].([]any)
	perms = append(perms, map[string]any{"object": obj, "action": "export"})
	l.admin.do("PUT", l.path("/roles/channel_manager/permissions"), map[string]any{"permissions": perms}).must(200)

	res := l.channel.do("GET", l.path("/forms/"+loanForm+"/export?format=csv&sort=_created_at"), nil).must(200)
	text := strings.TrimPrefix(string(res.raw), "\uFEFF")
	lines := strings.Split(strings.TrimSpace(text), "\n")
	require.Len(t, lines, 8, "header and the 7 online records: %s", text)
	assert.Contains(t, lines[0], "mobile_phone")
	assert.NotContains(t, text, "13800000001", "phones are masked")
	assert.NotContains(t, text, idNumber(1))
	assert.Contains(t, lines[1], ",'=", "formulas are neutralised")

	nd := l.reviewer.do("GET", l.path("/forms/"+loanForm+"/export?format=ndjson"), nil)
	assert.Equal(t, 403, nd.status, "a reviewer without the export right gets nothing")
	bad := l.channel.do("GET", l.path("/forms/"+loanForm+"/export?format=xml"), nil)
	assert.Equal(t, 400, bad.status)
	hidden := l.collector.do("GET", l.path("/forms/"+loanForm+"/export"), nil)
	assert.Equal(t, 403, hidden.status)

	audit := l.admin.do("GET", l.path("/audit?action=export"), nil).must(200)
	assert.Len(t, audit.body["entries"], 1)
}

func TestHTTPRowScopeGuardsWrites(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	outside := l.channel.do("POST", l.records(), application(1, map[string]any{"channel": "branch"}))
	assert.Equal(t, 422, outside.status, "%s", outside.raw)
	assert.Contains(t, string(outside.raw), "row_scope")

	inside := l.channel.do("POST", l.records(), application(2, nil)).must(201)
	moved := l.channel.do("PATCH", l.records()+"/"+inside.str("id"), map[string]any{"version": 1, "data": map[string]any{"channel": "branch"}})
	assert.Equal(t, 422, moved.status, "a record cannot be moved out of the writer's scope")
	l.channel.do("PATCH", l.records()+"/"+inside.str("id"), map[string]any{"version": 1, "data": map[string]any{"amount": 8000}}).must(200)

	list := l.reviewer.do("GET", l.records(), nil).must(200)
	assert.Len(t, list.body["records"], 1, "the refused create stored nothing")
}

func TestHTTPSuspendedTenantIsLockedOut(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	root := e.login("", adminEmail, adminPassword)
	res := root.do("PATCH", "/api/v1/tenants/acme", map[string]any{"status": "suspended"}).must(200)
	assert.Equal(t, "suspended", res.str("status"))

	assert.Equal(t, 401, l.reviewer.do("GET", l.records(), nil).status, "live sessions end")
	login := e.anon().do("POST", "/api/v1/auth/login", map[string]any{"tenant": "acme", "email": "reviewer@acme.test", "password": testPassword})
	assert.Equal(t, 401, login.status, "and nobody can log in")
	bad := root.do("PATCH", "/api/v1/tenants/acme", map[string]any{"status": "paused"})
	assert.Equal(t, 422, bad.status)

	root.do("PATCH", "/api/v1/tenants/acme", map[string]any{"status": "active"}).must(200)
	e.login("acme", "reviewer@acme.test", testPassword).do("GET", l.records(), nil).must(200)
}

// A person without the right to the definitions still gets the menu of forms they use,
// each with the fields they may see, labelled.
func TestHTTPFormsMenu(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	res := l.collector.do("GET", l.path("/forms"), nil).must(200)
	forms := res.body["forms"].([]any)
	require.Len(t, forms, 1)
	loan := forms[0].(map[string]any)
	assert.Equal(t, loanForm, loan["form"])
	assert.Equal(t, "贷款申请", loan["title"].(map[string]any)["zh-CN"])
	views := map[string]string{}
	for _, f := range loan["fields"].([]any) {
		fa := f.(map[string]any)
		views[fa["name"].(string)] = fa["view"].(string)
		assert.NotEmpty(t, fa["label"], "field %s", fa["name"])
	}
	assert.Equal(t, "masked", views["mobile_phone"])
	assert.NotContains(t, views, "monthly_income", "a field they may not see is not even named")
	assert.Equal(t, 403, l.collector.do("GET", l.path("/definitions/form"), nil).status, "the definitions stay closed to them")
}

// TestHTTPPermissionsRevision: a PUT carrying the revision its GET answered is refused
// once someone else changed the policy in between, and changes nothing.
func TestHTTPPermissionsRevision(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	path := l.path("/roles/channel_manager/permissions")
	read := l.admin.do("GET", path, nil).must(200)
	rev := read.body["revision"]
	require.NotNil(t, rev)
	perms := read.body["permissions"].([]any)
	obj := "form:" + loanForm

	// Another administrator changes the role meanwhile.
	l.admin.do("PUT", path, map[string]any{"permissions": append(append([]any{}, perms...),
		map[string]any{"object": obj, "action": "export"})}).must(200)

	stale := l.admin.do("PUT", path, map[string]any{"revision": rev, "permissions": []any{}})
	assert.Equal(t, 409, stale.status)
	assert.Equal(t, "stale_permissions", stale.errCode())
	now := l.admin.do("GET", path, nil).must(200)
	assert.Len(t, now.body["permissions"], len(perms)+1, "the refused PUT changed nothing")

	fresh := l.admin.do("PUT", path, map[string]any{"revision": now.body["revision"], "permissions": perms}).must(200)
	assert.Len(t, fresh.body["permissions"], len(perms))
	assert.NotEqual(t, now.body["revision"], fresh.body["revision"])
}

// TestHTTPMeSaysWhatTheUserMayAdminister: /auth/me answers the administration rights the
// routes themselves check, so a client shows only the pages a person may use.
func TestHTTPMeSaysWhatTheUserMayAdminister(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	admin := l.admin.do("GET", "/api/v1/auth/me", nil).must(200).body["can"].(map[string]any)
	assert.ElementsMatch(t, []any{"read", "manage"}, admin["admin:roles"])
	assert.ElementsMatch(t, []any{"read", "update", "publish"}, admin["admin:definitions"])
	reviewer := l.reviewer.do("GET", "/api/v1/auth/me", nil).must(200).body["can"].(map[string]any)
	assert.NotContains(t, reviewer, "admin:roles")
	assert.NotContains(t, reviewer, "admin:definitions")
	// What /auth/me says the reviewer may not do, the route refuses.
	assert.Equal(t, 403, l.reviewer.do("GET", l.path("/roles"), nil).status)
}
