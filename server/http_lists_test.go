package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func listValues(values ...string) map[string]any {
	vs := make([]any, len(values))
	for i, v := range values {
		vs[i] = map[string]any{"value": v}
	}
	return map[string]any{"values": vs}
}

func entryValues(t *testing.T, res *response) []string {
	t.Helper()
	es, ok := res.body["entries"].([]any)
	require.True(t, ok, "no entries in %s", res.raw)
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.(map[string]any)["value"].(string))
	}
	return out
}

func TestHTTPLists(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	phones := l.path("/lists/blacklist.phone")

	t.Run("add is idempotent", func(t *testing.T) {
		res := l.admin.do("POST", phones, map[string]any{"values": []any{
			map[string]any{"value": " 13800000001 ", "note": "fraud ring"},
			map[string]any{"value": "13800000002"},
		}}).must(200)
		assert.Equal(t, json.Number("2"), res.body["added"])
		assert.Equal(t, json.Number("0"), res.body["unchanged"])

		res = l.admin.do("POST", phones, listValues("13800000001", "13800000003")).must(200)
		assert.Equal(t, json.Number("1"), res.body["added"])
		assert.Equal(t, json.Number("1"), res.body["unchanged"])
	})

	t.Run("read one value", func(t *testing.T) {
		res := l.admin.do("GET", phones+"/13800000001", nil).must(200)
		assert.Equal(t, "13800000001", res.str("value"), "stored trimmed")
		assert.Equal(t, "fraud ring", res.str("note"), "adding again kept the first note")
		assert.Equal(t, "blacklist.phone", res.str("list"))
		assert.NotEmpty(t, res.str("added_by"))
		assert.NotEmpty(t, res.str("added_at"))
		missing := l.admin.do("GET", phones+"/13999999999", nil)
		assert.Equal(t, 404, missing.status)
		assert.Equal(t, "not_found", missing.errCode())
	})

	t.Run("values with any character round-trip through the path", func(t *testing.T) {
		odd := "沪A·12345/b c+d%"
		l.admin.do("POST", l.path("/lists/watch.plate"), listValues(odd)).must(200)
		path := l.path("/lists/watch.plate/") + url.PathEscape(odd)
		assert.Equal(t, odd, l.admin.do("GET", path, nil).must(200).str("value"))
		l.admin.do("DELETE", path, nil).must(204)
		assert.Equal(t, 404, l.admin.do("GET", path, nil).status)
	})

	t.Run("paging", func(t *testing.T) {
		var batch []string
		for i := range 9 {
			batch = append(batch, fmt.Sprintf("1390000%04d", (i*4)%9))
		}
		l.admin.do("POST", phones, listValues(batch...)).must(200)
		var got []string
		next, pages := "", 0
		for {
			path := phones + "?limit=4"
			if next != "" {
				path += "&cursor=" + url.QueryEscape(next)
			}
			res := l.admin.do("GET", path, nil).must(200)
			got = append(got, entryValues(t, res)...)
			pages++
			next = res.str("next")
			if next == "" || pages > 5 {
				break
			}
		}
		assert.Equal(t, 3, pages)
		require.Len(t, got, 12)
		assert.True(t, strings.HasPrefix(got[0], "1380000000"))
		for i := 1; i < len(got); i++ {
			assert.Less(t, got[i-1], got[i], "entries come in value order")
		}
		bad := l.admin.do("GET", phones+"?cursor=garbage", nil)
		assert.Equal(t, 400, bad.status)
		assert.Equal(t, 400, l.admin.do("GET", phones+"?limit=0", nil).status)
	})

	t.Run("list names with counts", func(t *testing.T) {
		l.admin.do("POST", l.path("/lists/blacklist.id_number"), listValues(idNumber(1))).must(200)
		res := l.admin.do("GET", l.path("/lists"), nil).must(200)
		assert.JSONEq(t, `{"lists":[{"name":"blacklist.id_number","count":1},{"name":"blacklist.phone","count":12}]}`, string(res.raw))
	})

	t.Run("remove", func(t *testing.T) {
		l.admin.do("DELETE", phones+"/13800000002", nil).must(204)
		again := l.admin.do("DELETE", phones+"/13800000002", nil)
		assert.Equal(t, 404, again.status)
		assert.Equal(t, "not_found", again.errCode())
		assert.Equal(t, 404, l.admin.do("GET", phones+"/13800000002", nil).status)
	})

	t.Run("bad requests store nothing", func(t *testing.T) {
		res := l.admin.do("POST", l.path("/lists/BlackList"), listValues("x"))
		assert.Equal(t, 400, res.status, "%s", res.raw)
		assert.Equal(t, "invalid_list_name", res.errCode())
		assert.Equal(t, "invalid_list_name", l.admin.do("GET", l.path("/lists/blacklist..phone"), nil).errCode())

		res = l.admin.do("POST", phones, map[string]any{"values": []any{
			map[string]any{"value": "13800000009"},
			map[string]any{"value": "  "},
			map[string]any{"value": strings.Repeat("9", 201)},
			map[string]any{"value": "ok", "note": strings.Repeat("n", 501)},
		}})
		assert.Equal(t, 422, res.status, "%s", res.raw)
		assert.Equal(t, "validation_failed", res.errCode())
		assert.Equal(t, []string{"/values/1/value", "/values/2/value", "/values/3/note"}, res.errPaths())

		many := make([]string, 1001)
		for i := range many {
			many[i] = fmt.Sprint(i)
		}
		res = l.admin.do("POST", phones, listValues(many...))
		assert.Equal(t, 422, res.status)
		assert.Equal(t, []string{"/values"}, res.errPaths())
		res = l.admin.do("POST", phones, map[string]any{"values": []any{}})
		assert.Equal(t, 422, res.status)
		res = l.admin.do("POST", phones, map[string]any{"values": []any{map[string]any{"value": "1", "added_by": "someone"}}})
		assert.Equal(t, 400, res.status)
		assert.Equal(t, "unknown_field", res.errCode())

		assert.Equal(t, 404, l.admin.do("GET", phones+"/13800000009", nil).status, "a refused batch stored none of its good values")
	})

	t.Run("permissions", func(t *testing.T) {
		for _, c := range []*client{l.reviewer, l.auditor, l.collector} {
			assert.Equal(t, 403, c.do("GET", phones, nil).status)
			assert.Equal(t, 403, c.do("GET", l.path("/lists"), nil).status)
			assert.Equal(t, 403, c.do("POST", phones, listValues("1")).status)
			assert.Equal(t, 403, c.do("DELETE", phones+"/13800000001", nil).status)
		}
		// "lists" is an administration area a role can be given, here to add but not remove.
		l.admin.do("POST", l.path("/roles"), map[string]any{"key": "fraud_analyst", "name": "Fraud analyst"}).must(201)
		l.admin.do("PUT", l.path("/roles/fraud_analyst/permissions"), map[string]any{"permissions": []any{
			map[string]any{"object": "admin:lists", "action": "read"},
			map[string]any{"object": "admin:lists", "action": "create"},
		}}).must(200)
		l.admin.do("POST", l.path("/users"), map[string]any{"email": "fraud@acme.test", "name": "Analyst", "password": testPassword, "roles": []string{"fraud_analyst"}}).must(201)
		analyst := e.login("acme", "fraud@acme.test", testPassword)
		analyst.do("POST", phones, listValues("13800000077")).must(200)
		analyst.do("GET", phones+"/13800000077", nil).must(200)
		assert.Equal(t, 403, analyst.do("DELETE", phones+"/13800000077", nil).status)

		tok := l.admin.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "etl", "scopes": []string{"records:write"}}).must(201)
		m := e.anon()
		m.bearer = tok.str("token")
		assert.Equal(t, 403, m.do("POST", phones, listValues("1")).status, "lists need the admin scope")
	})

	t.Run("changes are audited without the values in full", func(t *testing.T) {
		res := l.admin.do("GET", l.path("/audit?object=list:blacklist.phone"), nil).must(200)
		entries, _ := res.body["entries"].([]any)
		var actions []string
		for _, x := range entries {
			actions = append(actions, x.(map[string]any)["action"].(string))
		}
		assert.Equal(t, []string{"update", "delete", "update", "update", "update"}, actions, "newest first; refused and unchanged adds leave no entry")
		assert.NotContains(t, string(res.raw), "13800000002")
		assert.Contains(t, string(res.raw), "13*******02")
		ok := l.admin.do("GET", l.path("/audit/verify"), nil).must(200)
		assert.Equal(t, true, ok.body["ok"])
	})
}

func TestHTTPListsAreTenantScoped(t *testing.T) {
	e := newTestEnv(t)
	acme := e.newLender("acme")
	globex := e.newLender("globex")
	acme.admin.do("POST", acme.path("/lists/blacklist.phone"), listValues("13800000001")).must(200)

	for _, c := range []struct{ method, path string }{
		{"GET", "/lists"},
		{"GET", "/lists/blacklist.phone"},
		{"POST", "/lists/blacklist.phone"},
		{"GET", "/lists/blacklist.phone/13800000001"},
		{"DELETE", "/lists/blacklist.phone/13800000001"},
	} {
		res := globex.admin.do(c.method, acme.path(c.path), listValues("13800000002"))
		assert.Equal(t, 404, res.status, "%s %s: %s", c.method, c.path, res.raw)
		assert.NotContains(t, string(res.raw), "13800000001")
	}
	// globex's list of the same name is its own, and empty.
	own := globex.admin.do("GET", globex.path("/lists/blacklist.phone"), nil).must(200)
	assert.Empty(t, entryValues(t, own))
	assert.Equal(t, 404, globex.admin.do("GET", globex.path("/lists/blacklist.phone/13800000001"), nil).status)
	assert.Equal(t, 404, globex.admin.do("DELETE", globex.path("/lists/blacklist.phone/13800000001"), nil).status)

	still := acme.admin.do("GET", acme.path("/lists/blacklist.phone"), nil).must(200)
	assert.Equal(t, []string{"13800000001"}, entryValues(t, still), "nothing globex sent reached acme's list")
}
