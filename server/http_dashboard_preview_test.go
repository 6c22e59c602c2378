package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The designer previews a widget of its unsaved draft: figured like a published one,
// under the caller's record rights, refused with located problems when the draft is
// wrong, and nothing is saved or published.
func TestHTTPDashboardPreview(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	l.admin.do("POST", l.path("/templates/lending/install"), nil).must(200)
	for i, ch := range []string{"online", "online", "branch", "partner"} {
		l.reviewer.do("POST", l.records(), application(i+1, map[string]any{"channel": ch, "applied_on": "2026-11-02"})).must(201)
	}
	published := l.admin.do("GET", l.path("/definitions/dashboard/cockpit/versions/1"), nil).must(200)
	var draft map[string]any
	require.NoError(t, json.Unmarshal(published.raw, &struct {
		Body *map[string]any `json:"body"`
	}{&draft}))
	widgets := draft["widgets"].([]any)
	draft["widgets"] = append(widgets, map[string]any{
		"id": "online_only", "type": "pie", "form": loanForm,
		"title":    map[string]any{"en": "Online and branch", "zh-CN": "线上与网点"},
		"filter":   map[string]any{"field": "channel", "op": "in", "value": []any{"online", "branch"}},
		"group_by": []any{map[string]any{"field": "channel"}},
		"measures": []any{map[string]any{"name": "n", "op": "count"}},
	})
	preview := l.path("/dashboards/cockpit/preview/widgets/online_only")

	t.Run("a new widget is figured and drawn before it is saved", func(t *testing.T) {
		res := l.admin.do("POST", preview+"?locale=en", draft).must(200)
		data := &response{body: res.body["data"].(map[string]any)}
		assert.Equal(t, map[string]float64{"online": 2, "branch": 1}, widgetCounts(t, data))
		assert.True(t, strings.HasPrefix(strings.TrimSpace(res.body["svg"].(string)), "<svg"), "%.80s", res.body["svg"])
		assert.Contains(t, res.body["svg"], "Online and branch")
		assert.Equal(t, 404, l.admin.do("GET", l.path("/dashboards/cockpit/widgets/online_only"), nil).status, "nothing was published")
	})

	t.Run("a wrong draft is refused at its path", func(t *testing.T) {
		bad := map[string]any{}
		for k, v := range draft {
			bad[k] = v
		}
		bad["widgets"] = append(append([]any{}, widgets...), map[string]any{
			"id": "online_only", "type": "pie", "form": loanForm, "title": map[string]any{"en": "x"},
			"group_by": []any{map[string]any{"field": "no_such_field"}},
			"measures": []any{map[string]any{"name": "n", "op": "count"}},
		})
		res := l.admin.do("POST", preview, bad)
		assert.Equal(t, 422, res.status)
		assert.Equal(t, "invalid_definition", res.errCode())
		assert.Contains(t, strings.Join(res.errPaths(), " "), "/group_by/0/field")
		assert.Equal(t, 404, l.admin.do("POST", l.path("/dashboards/cockpit/preview/widgets/nope"), draft).status)
	})

	t.Run("only designers preview", func(t *testing.T) {
		assert.Equal(t, 403, l.collector.do("POST", preview, draft).status)
	})
}
