package form

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
)

// columnsFixture adds, to the service fixture, roles that may write the emergency
// contacts only in part:
//   - collector: the phone column masked and read-only, the relation read-only;
//   - blind: the phone column hidden and read-only;
//   - blind_writer: the phone column hidden but writable.
func columnsFixture(t *testing.T) (*serviceFixture, *Record) {
	t.Helper()
	fx := newServiceFixture(t)
	form, all := FormObject("loan_application"), FieldObject("loan_application", "*")
	phone := FieldObject("loan_application", "emergency_contacts.phone")
	relation := FieldObject("loan_application", "emergency_contacts.relation")
	for _, u := range []string{"collector", "blind", "blind_writer"} {
		fx.authz.Grant(u, form, ActCreate, ActRead, ActUpdate).Grant(u, all, ActRead, ActUpdate)
	}
	fx.authz.Grant("collector", phone, ActReadMasked, "deny-"+ActRead, "deny-"+ActUpdate).
		Grant("collector", relation, "deny-"+ActUpdate)
	fx.authz.Grant("blind", phone, "deny-"+ActRead, "deny-"+ActReadMasked, "deny-"+ActUpdate)
	fx.authz.Grant("blind_writer", phone, "deny-"+ActRead, "deny-"+ActReadMasked)
	data := loanData()
	data["emergency_contacts"] = []any{
		map[string]any{"name": "李四", "relation": "spouse", "phone": "13900001111"},
		map[string]any{"name": "王五", "relation": "parent", "phone": "13700002222"},
	}
	rec, err := fx.svc.Create(context.Background(), actor("officer"), "loan_application", data)
	require.NoError(t, err)
	return fx, rec
}

// contacts decodes rows the way a request body arrives.
func contacts(t *testing.T, raw string) []any {
	t.Helper()
	var rows []any
	require.NoError(t, json.Unmarshal([]byte(raw), &rows))
	return rows
}

func storedContacts(t *testing.T, fx *serviceFixture, id string) any {
	t.Helper()
	rec, err := fx.svc.Get(context.Background(), actor("officer"), "loan_application", id)
	require.NoError(t, err)
	return rec.Data["emergency_contacts"]
}

func TestColumnReads(t *testing.T) {
	ctx := context.Background()
	fx, rec := columnsFixture(t)

	got, err := fx.svc.Get(ctx, actor("collector"), "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, []any{
		map[string]any{"name": "李四", "relation": "spouse", "phone": "139****1111"},
		map[string]any{"name": "王五", "relation": "parent", "phone": "137****2222"},
	}, got.Data["emergency_contacts"])

	got, err = fx.svc.Get(ctx, actor("blind"), "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, []any{
		map[string]any{"name": "李四", "relation": "spouse"},
		map[string]any{"name": "王五", "relation": "parent"},
	}, got.Data["emergency_contacts"])

	acc, err := fx.svc.Access(ctx, actor("collector"), "loan_application")
	require.NoError(t, err)
	table := accessField(t, acc, "emergency_contacts")
	assert.Equal(t, ViewFull, table.View)
	assert.True(t, table.Write, "one column may be written")
	assert.False(t, table.RemoveRows)
	assert.Equal(t, []string{"name full write", "relation full read-only", "phone masked read-only"}, describeColumns(table.Columns))

	acc, err = fx.svc.Access(ctx, actor("officer"), "loan_application")
	require.NoError(t, err)
	assert.True(t, accessField(t, acc, "emergency_contacts").RemoveRows)

	acc, err = fx.svc.Access(ctx, actor("blind"), "loan_application")
	require.NoError(t, err)
	assert.Equal(t, []string{"name full write", "relation full write"}, describeColumns(accessField(t, acc, "emergency_contacts").Columns))
	var schema struct {
		Properties map[string]struct {
			Items struct {
				Required   []string       `json:"required"`
				Properties map[string]any `json:"properties"`
			} `json:"items"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(acc.Schema, &schema))
	items := schema.Properties["emergency_contacts"].Items
	assert.Equal(t, []string{"name", "relation"}, items.Required, "the hidden column's required entry goes")
	assert.NotContains(t, items.Properties, "phone")
	assert.Contains(t, items.Properties, "name")
}

func accessField(t *testing.T, acc *Access, name string) FieldAccess {
	t.Helper()
	for _, f := range acc.Fields {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no field %s in the access answer", name)
	return FieldAccess{}
}

func describeColumns(cols []FieldAccess) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		w := "read-only"
		if c.Write {
			w = "write"
		}
		out[i] = c.Name + " " + c.View.String() + " " + w
	}
	return out
}

func TestColumnWrites(t *testing.T) {
	ctx := context.Background()
	stored := []any{
		map[string]any{"name": "李四", "relation": "spouse", "phone": "13900001111"},
		map[string]any{"name": "王五", "relation": "parent", "phone": "13700002222"},
	}
	update := func(fx *serviceFixture, user string, rec *Record, rows []any) (*Record, error) {
		return fx.svc.Update(ctx, actor(user), "loan_application", rec.ID, rec.Version, map[string]any{"emergency_contacts": rows})
	}
	t.Run("rows sent back as read keep the masked column", func(t *testing.T) {
		fx, rec := columnsFixture(t)
		got, err := update(fx, "collector", rec, contacts(t, `[{"name":"李小四","relation":"spouse","phone":"139****1111"},
			{"name":"王五","relation":"parent","phone":"137****2222"}]`))
		require.NoError(t, err)
		assert.Equal(t, "139****1111", got.Data["emergency_contacts"].([]any)[0].(map[string]any)["phone"])
		want := []any{map[string]any{"name": "李小四", "relation": "spouse", "phone": "13900001111"}, stored[1]}
		assert.Equal(t, want, storedContacts(t, fx, rec.ID))
	})
	t.Run("columns left out keep their values", func(t *testing.T) {
		fx, rec := columnsFixture(t)
		_, err := update(fx, "blind", rec, contacts(t, `[{"name":"李四","relation":"sibling"},{"name":"王小五","relation":"parent"}]`))
		require.NoError(t, err)
		want := []any{
			map[string]any{"name": "李四", "relation": "sibling", "phone": "13900001111"},
			map[string]any{"name": "王小五", "relation": "parent", "phone": "13700002222"},
		}
		assert.Equal(t, want, storedContacts(t, fx, rec.ID))
	})
	t.Run("a hidden but writable column takes a new value and keeps an omitted one", func(t *testing.T) {
		fx, rec := columnsFixture(t)
		_, err := update(fx, "blind_writer", rec, contacts(t, `[{"name":"李四","relation":"spouse"},
			{"name":"王五","relation":"parent","phone":"13600003333"},{"name":"赵六","relation":"friend","phone":"13500004444"}]`))
		require.NoError(t, err)
		want := []any{stored[0],
			map[string]any{"name": "王五", "relation": "parent", "phone": "13600003333"},
			map[string]any{"name": "赵六", "relation": "friend", "phone": "13500004444"},
		}
		assert.Equal(t, want, storedContacts(t, fx, rec.ID))
	})
	refusals := []struct {
		name, user, rows string
		want             []Problem
	}{
		{"a read-only column changed", "collector", `[{"name":"李四","relation":"child","phone":"139****1111"},{"name":"王五","relation":"parent"}]`,
			[]Problem{{Path: "/emergency_contacts/0/relation", Code: "forbidden", Message: "you may not change this column"}}},
		{"a masked read-only column retyped", "collector", `[{"name":"李四","relation":"spouse","phone":"13900009999"},{"name":"王五","relation":"parent"}]`,
			[]Problem{{Path: "/emergency_contacts/0/phone", Code: "forbidden", Message: "you may not change this column"}}},
		{"a read-only column emptied", "collector", `[{"name":"李四","relation":"spouse","phone":null},{"name":"王五","relation":"parent"}]`,
			[]Problem{{Path: "/emergency_contacts/0/phone", Code: "forbidden", Message: "you may not change this column"}}},
		{"a new row fills a read-only column", "collector", `[{"name":"李四","relation":"spouse"},{"name":"王五","relation":"parent"},{"name":"赵六","relation":"friend"}]`,
			[]Problem{{Path: "/emergency_contacts/2/relation", Code: "forbidden", Message: "you may not change this column"}}},
		{"a hidden column written", "blind", `[{"name":"李四","relation":"spouse","phone":"13900001111"},{"name":"王五","relation":"parent"}]`,
			[]Problem{{Path: "/emergency_contacts/0/phone", Code: "additionalProperties", Message: "is not a column of this subtable"}}},
		{"a row removed", "collector", `[{"name":"李四","relation":"spouse"}]`,
			[]Problem{{Path: "/emergency_contacts", Code: "remove_rows_forbidden",
				Message: "rows of this table cannot be removed or reordered: some of its columns are hidden from you or read-only"}}},
		{"the table emptied", "blind_writer", `null`,
			[]Problem{{Path: "/emergency_contacts", Code: "remove_rows_forbidden",
				Message: "rows of this table cannot be removed or reordered: some of its columns are hidden from you or read-only"}}},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			fx, rec := columnsFixture(t)
			_, err := update(fx, tc.user, rec, contacts(t, tc.rows))
			assert.Equal(t, tc.want, problemsIn(t, err))
			assert.Equal(t, stored, storedContacts(t, fx, rec.ID), "a refused write changes nothing")
		})
	}
	t.Run("a new row without the hidden required column reads like any hidden required field", func(t *testing.T) {
		fx, rec := columnsFixture(t)
		_, err := update(fx, "blind", rec, contacts(t, `[{"name":"李四","relation":"spouse"},{"name":"王五","relation":"parent"},{"name":"赵六","relation":"friend"}]`))
		assert.Equal(t, []Problem{{Code: "required", Message: "a required field you cannot see has no value; ask an administrator"}}, problemsIn(t, err))
		assert.NotContains(t, err.Error(), "phone")
	})
	t.Run("a full writer removes and reorders rows", func(t *testing.T) {
		fx, rec := columnsFixture(t)
		_, err := update(fx, "officer", rec, []any{stored[1]})
		require.NoError(t, err)
		assert.Equal(t, []any{stored[1]}, storedContacts(t, fx, rec.ID))
	})
	t.Run("create leaves read-only columns out", func(t *testing.T) {
		fx, _ := columnsFixture(t)
		data := loanData()
		_, err := fx.svc.Create(ctx, actor("collector"), "loan_application", data)
		assert.Equal(t, []Problem{{Path: "/emergency_contacts/0/phone", Code: "forbidden", Message: "you may not change this column"},
			{Path: "/emergency_contacts/0/relation", Code: "forbidden", Message: "you may not change this column"}}, problemsIn(t, err))
	})
}

func TestColumnAuditAndTasks(t *testing.T) {
	ctx := context.Background()
	fx, rec := columnsFixture(t)
	rows := storedContacts(t, fx, rec.ID).([]any)
	changed := []any{map[string]any{"name": "李四", "relation": "spouse", "phone": "13911112222"}, rows[1]}
	_, err := fx.svc.Update(ctx, actor("officer"), "loan_application", rec.ID, rec.Version, map[string]any{"emergency_contacts": changed})
	require.NoError(t, err)
	var diff map[string]audit.Change
	for _, e := range fx.auditEntries(t) {
		if e.Action == audit.ActionUpdate {
			diff = e.Diff
		}
	}
	require.Contains(t, diff, "emergency_contacts")

	blind, err := fx.svc.Mask(ctx, actor("blind"), "loan_application")
	require.NoError(t, err)
	assert.NotContains(t, blind.RedactDiff(diff), "emergency_contacts", "a change only in a hidden column is not shown")
	collector, err := fx.svc.Mask(ctx, actor("collector"), "loan_application")
	require.NoError(t, err)
	shown := collector.RedactDiff(diff)["emergency_contacts"]
	assert.Equal(t, "139****2222", shown.To.([]any)[0].(map[string]any)["phone"])

	assert.True(t, collector.CanWrite("emergency_contacts"))
	assert.False(t, collector.WritesWhole("emergency_contacts"), "a task's field edit replaces the whole table")
	assert.False(t, collector.CanWrite("emergency_contacts.relation"))
	assert.Equal(t, ViewMasked, collector.View("emergency_contacts.phone"))
	assert.False(t, blind.Known("emergency_contacts.phone"))
	officer, err := fx.svc.Mask(ctx, actor("officer"), "loan_application")
	require.NoError(t, err)
	assert.True(t, officer.WritesWhole("emergency_contacts"))
}
