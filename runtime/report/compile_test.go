package report

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
)

// cockpitWith returns the cockpit definition with edit applied to its decoded JSON.
func cockpitWith(t *testing.T, edit func(d map[string]any)) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/cockpit.json")
	require.NoError(t, err)
	var d map[string]any
	require.NoError(t, json.Unmarshal(raw, &d))
	edit(d)
	out, err := json.Marshal(d)
	require.NoError(t, err)
	return out
}

func widgetAt(d map[string]any, i int) map[string]any {
	return d["widgets"].([]any)[i].(map[string]any)
}

func TestCompileLocatesProblems(t *testing.T) {
	f, err := form.Compile(loanFormBody(t))
	require.NoError(t, err)
	forms := map[string]*form.Form{"loan_application": f}
	cases := []struct {
		name string
		edit func(d map[string]any)
		want map[string]string // path → code
	}{
		{"unknown form", func(d map[string]any) { widgetAt(d, 1)["form"] = "loan_account" },
			map[string]string{"/widgets/1/form": "unknown_form"}},
		{"unknown group field", func(d map[string]any) {
			widgetAt(d, 2)["group_by"] = []any{map[string]any{"field": "chanel"}}
		}, map[string]string{"/widgets/2/group_by/0/field": "unknown_field"}},
		{"bucket on a text field", func(d map[string]any) {
			widgetAt(d, 4)["group_by"] = []any{map[string]any{"field": "channel", "bucket": "week"}}
		}, map[string]string{"/widgets/4/group_by/0/bucket": "bad_bucket"}},
		{"range bounds that do not increase", func(d map[string]any) {
			widgetAt(d, 7)["group_by"] = []any{map[string]any{"field": "overdue_amount", "bucket": "range", "bounds": []any{5000, 1000}}}
		}, map[string]string{"/widgets/7/group_by/0/bounds/1": "bad_bounds"}},
		{"user labels on a number", func(d map[string]any) {
			widgetAt(d, 2)["group_by"] = []any{map[string]any{"field": "amount", "labels": "user"}}
		}, map[string]string{"/widgets/2/group_by/0/labels": "bad_labels"}},
		{"widget id twice", func(d map[string]any) { widgetAt(d, 3)["id"] = "headline" },
			map[string]string{"/widgets/3/id": "duplicate_widget"}},
		{"unknown field in a measure filter and a sum of text", func(d map[string]any) {
			m := widgetAt(d, 1)["measures"].([]any)
			m[1].(map[string]any)["filter"] = map[string]any{"field": "state", "op": "eq", "value": "x"}
			m[4].(map[string]any)["field"] = "channel"
		}, map[string]string{"/widgets/1/measures/1/filter/field": "unknown_field", "/widgets/1/measures/4/field": "not_numeric"}},
		{"ratio of an unknown measure", func(d map[string]any) {
			widgetAt(d, 1)["measures"].([]any)[3].(map[string]any)["denominator"] = "decidd"
		}, map[string]string{"/widgets/1/measures/3/denominator": "unknown_measure"}},
		{"dashboard filter on a field no form has", func(d map[string]any) {
			d["filters"].([]any)[1].(map[string]any)["field"] = "region"
		}, map[string]string{"/filters/1/field": "unknown_field"}},
		{"meta-schema: unknown widget type", func(d map[string]any) { widgetAt(d, 3)["type"] = "gauge" },
			map[string]string{"/widgets/3/type": "enum"}},
		{"too many group keys for a bar", func(d map[string]any) {
			widgetAt(d, 3)["group_by"] = []any{map[string]any{"field": "channel"}, map[string]any{"field": "product"}}
		}, map[string]string{"/widgets/3/group_by": "group_count"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(cockpitWith(t, tc.edit), forms)
			var de *DashboardError
			require.ErrorAs(t, err, &de)
			got := map[string]string{}
			for _, p := range de.Problems {
				got[p.Path] = p.Code
			}
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("the cockpit compiles", func(t *testing.T) {
		d, err := Compile(cockpitWith(t, func(map[string]any) {}), forms)
		require.NoError(t, err)
		assert.Equal(t, []string{"loan_application"}, d.Forms())
		assert.Len(t, d.Widgets(), 13)
	})
}
