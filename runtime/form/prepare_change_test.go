package form

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// changeForm is a small form; root adds keywords to its schema's root.
func changeForm(t *testing.T, root string) *Form {
	t.Helper()
	label := func(s, widget string) string {
		return fmt.Sprintf(`{"label":{"en":%q,"zh-CN":%q},"widget":%q}`, s, s, widget)
	}
	def := fmt.Sprintf(`{"key":"change","title":{"en":"Change","zh-CN":"Change"},
	 "schema":{"type":"object","additionalProperties":false,"required":["name","amount"],%s
	  "properties":{"name":{"type":"string","minLength":2},"amount":{"type":"number","minimum":100},
	   "note":{"type":"string","maxLength":5},"stage":{"type":"string","enum":["new","review"]}}},
	 "fields":{"name":%s,"amount":%s,"note":%s,"stage":%s}}`, root, label("name", "text"), label("amount", "number"), label("note", "text"), label("stage", "select"))
	return mustCompile(t, []byte(def))
}

// A change to a valid record is judged on what changed when the schema's root judges
// each property by itself, and says what is wrong exactly as the full validation does;
// a root that relates fields to one another always takes the full validation.
func TestPrepareChangeValidatesWhatChanged(t *testing.T) {
	local := changeForm(t, "")
	require.True(t, local.local)
	prev, err := local.Prepare(map[string]any{"name": "Ann", "amount": json.Number("500"), "stage": "new"})
	require.NoError(t, err)
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range prev {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	for name, data := range map[string]map[string]any{
		"a valid change":        with("stage", "review"),
		"a field added":         with("note", "ok"),
		"an optional dropped":   with("stage", nil),
		"below the minimum":     with("amount", json.Number("99")),
		"too long":              with("note", "too long"),
		"not in the enum":       with("stage", "closed"),
		"a required dropped":    with("name", nil),
		"a wrong type":          with("amount", "lots"),
		"nothing changed":       with("name", "Ann"),
		"an unknown field":      with("colour", "red"),
		"two changes, one bad":  func() map[string]any { m := with("stage", "review"); m["name"] = "A"; return m }(),
		"two changes, both bad": func() map[string]any { m := with("stage", "x"); m["note"] = "123456"; return m }(),
	} {
		want, wantErr := local.Prepare(data)
		got, _, gotErr := local.prepareChange(prev, data)
		assert.Equal(t, wantErr, gotErr, name)
		assert.Equal(t, want, got, name)
	}

	// dependentRequired: a note needs a stage. Dropping the stage breaks it although the
	// note did not change.
	related := changeForm(t, `"dependentRequired":{"note":["stage"]},`)
	require.False(t, related.local)
	prev, err = related.Prepare(map[string]any{"name": "Ann", "amount": json.Number("500"), "note": "hi", "stage": "new"})
	require.NoError(t, err)
	data := map[string]any{"name": "Ann", "amount": json.Number("500"), "note": "hi"}
	_, _, err = related.prepareChange(prev, data)
	require.Error(t, err)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "dependentRequired", ve.Problems[0].Code)
}
