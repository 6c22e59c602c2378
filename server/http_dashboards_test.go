package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// widgetCounts maps each category's first key to the widget's first series value.
func widgetCounts(t *testing.T, res *response) map[string]float64 {
	t.Helper()
	cats := res.body["categories"].([]any)
	series := res.body["series"].([]any)
	require.NotEmpty(t, series)
	values := series[0].(map[string]any)["values"].([]any)
	out := map[string]float64{}
	for i, c := range cats {
		key := fmt.Sprint(c.(map[string]any)["key"].([]any)[0])
		if values[i] != nil {
			f, _ := values[i].(json.Number).Float64()
			out[key] = f
		}
	}
	return out
}

func TestHTTPDashboards(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	installed := l.admin.do("POST", l.path("/templates/lending/install"), nil).must(200)
	assert.NotEmpty(t, installed.body["installed"])
	assert.Equal(t, 404, l.admin.do("POST", l.path("/templates/insurance/install"), nil).status)

	channels := []string{"online", "online", "online", "branch", "partner", "partner"}
	for i, ch := range channels {
		l.reviewer.do("POST", l.records(), application(i+1, map[string]any{"channel": ch, "applied_on": "2026-11-02"})).must(201)
	}
	widget := l.path("/dashboards/cockpit/widgets/volume_by_channel")

	t.Run("figures match the records", func(t *testing.T) {
		d := l.admin.do("GET", l.path("/dashboards/cockpit"), nil).must(200)
		assert.Contains(t, d.body["widgets"], "volume_by_channel")
		assert.NotEmpty(t, d.body["name"])
		var filterIDs []any
		for _, f := range d.body["filters"].([]any) {
			filterIDs = append(filterIDs, f.(map[string]any)["id"])
		}
		assert.Contains(t, filterIDs, "channel", "the dashboard's filters come with it")
		list := l.admin.do("GET", l.path("/dashboards"), nil).must(200)
		require.Len(t, list.body["dashboards"], 1)
		assert.Equal(t, "cockpit", list.body["dashboards"].([]any)[0].(map[string]any)["key"])
		none := l.collector.do("GET", l.path("/dashboards"), nil).must(200)
		assert.Empty(t, none.body["dashboards"], "a collector may view no dashboard")
		res := l.admin.do("GET", widget+"?locale=en", nil).must(200)
		assert.Equal(t, map[string]float64{"online": 3, "branch": 1, "partner": 2}, widgetCounts(t, res))
		res = l.admin.do("GET", widget+"?filter.channel=partner,branch", nil).must(200)
		assert.Equal(t, map[string]float64{"branch": 1, "partner": 2}, widgetCounts(t, res))
		res = l.admin.do("GET", widget+"?filter.period.from=2026-12-01", nil).must(200)
		assert.Empty(t, widgetCounts(t, res))
		bad := l.admin.do("GET", widget+"?filter.period.from=yesterday", nil)
		assert.Equal(t, 400, bad.status)
		assert.Equal(t, "invalid_query", bad.errCode())
		assert.Equal(t, 404, l.admin.do("GET", l.path("/dashboards/cockpit/widgets/nope"), nil).status)
	})

	t.Run("charts draw as SVG and PNG", func(t *testing.T) {
		svg := l.admin.do("GET", widget+"/chart.svg", nil)
		require.Equal(t, 200, svg.status)
		assert.True(t, bytes.Contains(svg.raw, []byte("<svg")), "%.100s", svg.raw)
		png := l.admin.do("GET", widget+"/chart.png", nil)
		require.Equal(t, 200, png.status)
		assert.True(t, bytes.HasPrefix(png.raw, []byte("\x89PNG")))
		assert.Equal(t, 404, l.admin.do("GET", widget+"/chart.gif", nil).status)
	})

	t.Run("drill-down lists exactly the records counted, as the caller may see them", func(t *testing.T) {
		res := l.admin.do("GET", widget+"/drill?category="+url.QueryEscape(`["partner"]`), nil).must(200)
		recs := res.body["records"].([]any)
		require.Len(t, recs, 2)
		for _, r := range recs {
			assert.Equal(t, "partner", r.(map[string]any)["data"].(map[string]any)["channel"])
		}
		bad := l.admin.do("GET", widget+"/drill?category=partner", nil)
		assert.Equal(t, 400, bad.status)
	})

	t.Run("the dashboard right and the row scope apply", func(t *testing.T) {
		assert.Equal(t, 403, l.collector.do("GET", widget, nil).status)
		l.admin.do("PUT", l.path("/roles/channel_manager/permissions"), map[string]any{"permissions": []map[string]any{
			{"object": "form:" + loanForm, "action": "read"}, {"object": "form:" + loanForm + "/*", "action": "read_masked"},
			{"object": "form:" + loanForm + "/field:channel", "action": "read"},
			{"object": "dashboard:cockpit", "action": "read"},
		}}).must(200)
		res := l.channel.do("GET", widget, nil).must(200)
		assert.Equal(t, map[string]float64{"online": 3}, widgetCounts(t, res), "a channel manager counts only their channel")
		res = l.channel.do("GET", widget+"/drill?category="+url.QueryEscape(`["partner"]`), nil).must(200)
		assert.Empty(t, res.body["records"])
		masked := l.channel.do("GET", l.path("/dashboards/cockpit/widgets/product_mix"), nil)
		assert.Equal(t, 422, masked.status, "product is masked for them: it cannot be grouped on")
		assert.Contains(t, masked.errPaths(), "/group_by/0/field")
	})
}
