package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/schemas"
)

func TestHTTPRecordLifecycle(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	c := l.reviewer

	created := c.do("POST", l.records(), application(1, nil)).must(201)
	id := created.str("id")
	require.NotEmpty(t, id)
	assert.Equal(t, json.Number("1"), created.body["version"])
	assert.Equal(t, json.Number("1"), created.body["form_version"])
	assert.Equal(t, idNumber(1), created.data()["id_number"], "a reviewer reads the ID number in full")
	assert.Equal(t, json.Number("150006"), created.data()["annual_income"], "computed: (12000.5+500)*12")

	got := c.do("GET", l.records()+"/"+id, nil).must(200)
	assert.Equal(t, created.data()["applicant_name"], got.data()["applicant_name"])

	upd := c.do("PATCH", l.records()+"/"+id, map[string]any{"version": 1, "data": map[string]any{"amount": 60000}}).must(200)
	assert.Equal(t, json.Number("2"), upd.body["version"])
	assert.Equal(t, json.Number("60000"), upd.data()["amount"])

	stale := c.do("PATCH", l.records()+"/"+id, map[string]any{"version": 1, "data": map[string]any{"amount": 70000}})
	assert.Equal(t, 409, stale.status)
	assert.Equal(t, "version_conflict", stale.errCode())

	assert.Equal(t, 403, c.do("DELETE", l.records()+"/"+id+"?version=2", nil).status, "reviewers may not delete")
	assert.Equal(t, 409, l.admin.do("DELETE", l.records()+"/"+id+"?version=1", nil).status)
	l.admin.do("DELETE", l.records()+"/"+id+"?version=2", nil).must(204)
	assert.Equal(t, 404, c.do("GET", l.records()+"/"+id, nil).status)
}

func TestHTTPListFilterSortPaging(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	for i := range 12 {
		l.reviewer.do("POST", l.records(), application(i, map[string]any{"amount": 1000 * (i + 1)})).must(201)
	}
	var amounts []string
	path := l.records() + "?limit=5&sort=-amount"
	for path != "" {
		res := l.reviewer.do("GET", path, nil).must(200)
		for _, r := range res.body["records"].([]any) {
			amounts = append(amounts, string(r.(map[string]any)["data"].(map[string]any)["amount"].(json.Number)))
		}
		path = ""
		if next := res.str("next"); next != "" {
			path = l.records() + "?limit=5&sort=-amount&cursor=" + next
		}
	}
	require.Len(t, amounts, 12)
	assert.Equal(t, "12000", amounts[0])
	assert.Equal(t, "1000", amounts[11])

	res := l.reviewer.do("POST", l.records()+"/search", map[string]any{
		"filter": map[string]any{"and": []any{
			map[string]any{"field": "amount", "op": "gte", "value": 5000},
			map[string]any{"field": "amount", "op": "lt", "value": 8000},
		}},
		"sort": []any{map[string]any{"field": "amount"}},
	}).must(200)
	assert.Len(t, res.body["records"], 3)
}

func TestHTTPBadInputChangesNothing(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	c := l.reviewer
	deep := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)
	contacts := make([]any, 5_000)
	for i := range contacts {
		contacts[i] = map[string]any{"name": "李娜", "relation": "spouse", "phone": "13900001111"}
	}
	many := "[" + strings.TrimSuffix(strings.Repeat("1,", 120_000), ",") + "]"
	cases := []struct {
		name   string
		body   any
		status int
		code   string
		paths  []string
	}{
		{"malformed JSON", `{"amount": 5`, 400, "malformed_json", nil},
		{"not an object", `[1,2]`, 400, "malformed_json", nil},
		{"wrong type", application(1, map[string]any{"amount": "lots"}), 422, "validation_failed", []string{"/amount"}},
		{"below minimum", application(1, map[string]any{"amount": 10}), 422, "validation_failed", []string{"/amount"}},
		{"unknown field", application(1, map[string]any{"favourite_colour": "red"}), 422, "validation_failed", []string{"/favourite_colour"}},
		{"missing required", application(1, map[string]any{"applicant_name": nil}), 422, "validation_failed", []string{"/applicant_name"}},
		{"nested field", application(1, map[string]any{"emergency_contacts": []any{map[string]any{"name": "李娜", "relation": "spouse", "phone": "12"}}}), 422, "validation_failed", []string{"/emergency_contacts/0/phone"}},
		{"several fields at once", application(1, map[string]any{"amount": "x", "term_months": 7}), 422, "validation_failed", []string{"/amount", "/term_months"}},
		{"deep nesting", deep, 400, "too_deep", nil},
		{"long array", application(1, map[string]any{"emergency_contacts": contacts}), 422, "validation_failed", []string{"/emergency_contacts"}},
		{"huge array", `{"emergency_contacts":` + many + `}`, 400, "too_large", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.do("POST", l.records(), tc.body)
			assert.Equal(t, tc.status, res.status, "body: %.300s", res.raw)
			assert.Equal(t, tc.code, res.errCode())
			paths := res.errPaths()
			for _, p := range tc.paths {
				assert.Contains(t, paths, p)
			}
			if e, ok := res.body["error"].(map[string]any); ok {
				assert.NotEmpty(t, e["message"])
			}
		})
	}
	t.Run("oversized body", func(t *testing.T) {
		big := c.do("POST", l.records(), map[string]any{"applicant_name": strings.Repeat("张", 1<<20)})
		assert.Equal(t, 413, big.status)
		assert.Equal(t, "body_too_large", big.errCode())
		// Announce a body over even the upload limit and send none: the server must refuse
		// it from the header alone (a client that streams it regardless sees the
		// connection closed).
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
		require.NoError(t, err)
		defer func() { _ = conn.Close() }()
		_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nX-CSRF-Token: %s\r\n\r\n",
			l.records(), 65<<20, c.csrf)
		require.NoError(t, err)
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		defer func() { _ = res.Body.Close() }()
		assert.Equal(t, 413, res.StatusCode)
		body, _ := io.ReadAll(res.Body)
		assert.Contains(t, string(body), `"code":"body_too_large"`)
	})
	list := c.do("GET", l.records(), nil).must(200)
	assert.Empty(t, list.body["records"], "no bad input may store anything")
}

func TestHTTPInvalidDefinitionIsRefused(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	bad := map[string]any{
		"key":   loanForm,
		"title": map[string]any{"en": "Loan"},
		"schema": map[string]any{"type": "object", "properties": map[string]any{
			"amount": map[string]any{"type": "number", "minimum": "zero"},
		}},
		"fields":   map[string]any{"amount": map[string]any{"label": map[string]any{"en": "Amount"}, "widget": "number"}},
		"computed": map[string]any{"bad": map[string]any{"expr": "record.amout * 2.0"}},
	}
	l.admin.do("PUT", l.path("/definitions/form/"+loanForm), bad).must(200)
	res := l.admin.do("POST", l.path("/definitions/form/"+loanForm+"/publish"), nil)
	require.Equal(t, 422, res.status, "%s", res.raw)
	assert.Equal(t, "invalid_definition", res.errCode())
	assert.GreaterOrEqual(t, len(res.errPaths()), 2, "every problem is reported: %v", res.errPaths())
	versions := l.admin.do("GET", l.path("/definitions/form/"+loanForm+"/versions"), nil).must(200)
	assert.Len(t, versions.body["versions"], 1, "a refused publish adds no version")
	// Records still validate against the published version.
	l.reviewer.do("POST", l.records(), application(1, nil)).must(201)
}

func TestHTTPConcurrentUpdatesConflict(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	id := l.reviewer.do("POST", l.records(), application(1, nil)).must(201).str("id")
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := l.reviewer.do("PATCH", l.records()+"/"+id, map[string]any{"version": 1, "data": map[string]any{"amount": 2000 + i}})
			statuses[i] = res.status
		}()
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, s := range statuses {
		switch s {
		case 200:
			ok++
		case 409:
			conflict++
		}
	}
	assert.Equal(t, 1, ok, "statuses %v", statuses)
	assert.Equal(t, 7, conflict, "statuses %v", statuses)
}

func TestHTTPRollbackPublishesANewVersion(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	tpl, err := schemas.TemplateOf("lending", loanForm)
	require.NoError(t, err)
	var def map[string]any
	require.NoError(t, json.Unmarshal(tpl.Body, &def))
	def["title"] = map[string]any{"zh-CN": "贷款申请 v2", "en": "Loan application v2"}
	l.admin.do("PUT", l.path("/definitions/form/"+loanForm), def).must(200)
	l.admin.do("POST", l.path("/definitions/form/"+loanForm+"/publish"), map[string]any{"note": "retitled"}).must(201)
	again := l.admin.do("POST", l.path("/definitions/form/"+loanForm+"/publish"), nil)
	assert.Equal(t, 409, again.status, "publishing an unchanged draft is refused")

	l.admin.do("POST", l.path("/definitions/form/"+loanForm+"/rollback"), map[string]any{"to": 1, "note": "back to the first"}).must(201)
	versions := l.admin.do("GET", l.path("/definitions/form/"+loanForm+"/versions"), nil).must(200)
	assert.Len(t, versions.body["versions"], 3, "a rollback appends; history is never rewritten")
	assert.Equal(t, 404, l.admin.do("GET", l.path("/definitions/form/"+loanForm+"/versions/9"), nil).status)
	assert.Equal(t, 400, l.admin.do("GET", l.path("/definitions/form/"+loanForm+"/versions/x"), nil).status)
	res := l.reviewer.do("POST", l.records(), application(2, nil)).must(201)
	assert.Equal(t, json.Number("3"), res.body["form_version"], fmt.Sprintf("%s", res.raw))
}
