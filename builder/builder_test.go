package builder_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

const tenant = "acme-credit"

// allowAll grants every right with no row scope; builder tests exercise publishing,
// not permissions (runtime/form tests those against a rule table).
type allowAll struct{}

func (allowAll) Enforce(context.Context, string, string, string, string) (bool, error) {
	return true, nil
}
func (allowAll) PolicyVersion(string) uint64                                         { return 1 }
func (allowAll) RowScopes(context.Context, string, string, string) ([]string, error) { return nil, nil }

type fixture struct {
	b       store.Backend
	forms   *form.Service
	log     *audit.Log
	builder *builder.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	log := audit.New(nil)
	forms := form.NewService(b, allowAll{}, log, form.Options{})
	return &fixture{b: b, forms: forms, log: log, builder: builder.New(b, forms, log)}
}

var author = form.Actor{Tenant: tenant, UserID: "designer", RequestID: "req-9"}

func template(t *testing.T, key string) []byte {
	t.Helper()
	tpl, err := schemas.TemplateOf("lending", key)
	require.NoError(t, err)
	return tpl.Body
}

// edit returns body with fn applied to its decoded form.
func edit(t *testing.T, body []byte, fn func(def map[string]any)) []byte {
	t.Helper()
	var def map[string]any
	require.NoError(t, json.Unmarshal(body, &def))
	fn(def)
	out, err := json.Marshal(def)
	require.NoError(t, err)
	return out
}

func TestSaveDraft(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		kind, key string
		body      []byte
		wantErr   error
		wantCodes []string // problems of a refused body
		draftErrs []string // "path code" of a stored draft's problems
	}{
		{name: "valid template", kind: "form", key: "loan_application", body: template(t, "loan_application")},
		{name: "invalid body is stored with its problems", kind: "form", key: "loan_application",
			body: edit(t, template(t, "loan_application"), func(d map[string]any) {
				d["computed"].(map[string]any)["debt_to_income"] = map[string]any{"expr": "record.monthly_debts / 2.0"}
				d["fields"].(map[string]any)["amount"].(map[string]any)["widget"] = "slider"
			}),
			draftErrs: []string{"/fields/amount/widget enum"}},
		{name: "key must match", kind: "form", key: "loan", body: template(t, "loan_application"),
			draftErrs: []string{"/key key_mismatch"}},
		{name: "syntax error is refused", kind: "form", key: "x", body: []byte(`{"key": "x",`), wantCodes: []string{"syntax"}},
		{name: "array is refused", kind: "form", key: "x", body: []byte(`[]`), wantCodes: []string{"syntax"}},
		{name: "null is refused", kind: "form", key: "x", body: []byte(`null`), wantCodes: []string{"type"}},
		{name: "too large", kind: "form", key: "x", body: []byte(`{"pad":"` + strings.Repeat("x", builder.MaxBodySize) + `"}`), wantCodes: []string{"max_size"}},
		{name: "unknown kind", kind: "workflow", key: "x", body: []byte(`{}`), wantErr: builder.ErrUnknownKind},
		{name: "bad key", kind: "form", key: "Loan App", body: []byte(`{}`), wantErr: builder.ErrInvalidKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			d, err := fx.builder.SaveDraft(ctx, author, tc.kind, tc.key, tc.body)
			switch {
			case tc.wantErr != nil:
				require.ErrorIs(t, err, tc.wantErr)
				return
			case tc.wantCodes != nil:
				var de *form.DefinitionError
				require.ErrorAs(t, err, &de)
				var codes []string
				for _, p := range de.Problems {
					codes = append(codes, p.Code)
				}
				assert.Equal(t, tc.wantCodes, codes)
				_, err := fx.builder.Draft(ctx, tenant, tc.kind, tc.key)
				assert.ErrorIs(t, err, builder.ErrDraftNotFound, "a refused body is not stored")
				return
			}
			require.NoError(t, err)
			var got []string
			for _, p := range d.Problems {
				got = append(got, p.Path+" "+p.Code)
			}
			if tc.draftErrs == nil {
				assert.Empty(t, got)
				assert.True(t, d.Valid)
			} else {
				assert.Subset(t, got, tc.draftErrs)
				assert.False(t, d.Valid)
			}
			stored, err := fx.builder.Draft(ctx, tenant, tc.kind, tc.key)
			require.NoError(t, err)
			assert.JSONEq(t, string(tc.body), string(stored.Body))
			assert.Equal(t, d.Problems, stored.Problems)
			assert.Equal(t, d.Hash, stored.Hash)
			assert.Equal(t, "designer", stored.SavedBy)
		})
	}
}

func TestPublishVersionsRollback(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	v1Body := template(t, "loan_application")

	_, err := fx.builder.Publish(ctx, author, "form", "loan_application", "first")
	require.ErrorIs(t, err, builder.ErrDraftNotFound)

	t.Run("an invalid draft is refused with every problem", func(t *testing.T) {
		bad := edit(t, v1Body, func(d map[string]any) {
			d["computed"].(map[string]any)["debt_to_income"] = map[string]any{"expr": "record.monthly_debts / 2.0"}
			d["layout"].(map[string]any)["sections"].([]any)[0].(map[string]any)["fields"] = []any{"nope"}
		})
		_, err := fx.builder.SaveDraft(ctx, author, "form", "loan_application", bad)
		require.NoError(t, err)
		_, err = fx.builder.Publish(ctx, author, "form", "loan_application", "broken")
		var de *form.DefinitionError
		require.ErrorAs(t, err, &de)
		var paths []string
		for _, p := range de.Problems {
			paths = append(paths, p.Path)
		}
		assert.Equal(t, []string{"/computed/debt_to_income/expr", "/layout/sections/0/fields/0"}, paths)
		versions, err := fx.builder.Versions(ctx, tenant, "form", "loan_application")
		require.NoError(t, err)
		assert.Empty(t, versions, "a refused publish writes nothing")
		_, err = fx.forms.Form(ctx, tenant, "loan_application")
		assert.ErrorIs(t, err, form.ErrFormNotFound)
	})

	t.Run("publish v1", func(t *testing.T) {
		_, err := fx.builder.SaveDraft(ctx, author, "form", "loan_application", v1Body)
		require.NoError(t, err)
		v, err := fx.builder.Publish(ctx, author, "form", "loan_application", "first release")
		require.NoError(t, err)
		assert.Equal(t, 1, v.Number)
		assert.Equal(t, "first release", v.Note)
		assert.Equal(t, "designer", v.Author)
		assert.Equal(t, form.BodyHash(v1Body), v.Hash)
		f, err := fx.forms.Form(ctx, tenant, "loan_application")
		require.NoError(t, err)
		assert.Equal(t, 1, f.Version(), "the runtime runs the new version at once")
	})

	t.Run("indexes of indexed fields exist", func(t *testing.T) {
		sc, err := fx.b.Scope(tenant)
		require.NoError(t, err)
		records := sc.Collection(form.RecordsCollection("loan_application"))
		for _, field := range []string{"amount", "id_number", "channel"} {
			// Re-declaring an existing index with other fields is refused, which proves it exists.
			err := records.EnsureIndex(ctx, store.Index{Name: builder.IndexName(field), Fields: []string{"data.other"}})
			assert.ErrorIs(t, err, store.ErrInvalid, field)
			assert.NoError(t, records.EnsureIndex(ctx, store.Index{Name: builder.IndexName(field), Fields: []string{"data." + field}}))
		}
	})

	t.Run("publishing the same body again is refused", func(t *testing.T) {
		_, err := fx.builder.Publish(ctx, author, "form", "loan_application", "again")
		assert.ErrorIs(t, err, builder.ErrUnchanged)
	})

	v2Body := edit(t, v1Body, func(d map[string]any) {
		d["schema"].(map[string]any)["properties"].(map[string]any)["referrer"] = map[string]any{"type": "string"}
		d["fields"].(map[string]any)["referrer"] = map[string]any{"label": map[string]any{"en": "Referrer"}, "widget": "text", "indexed": true}
	})
	t.Run("publish v2 swaps the runtime form", func(t *testing.T) {
		_, err := fx.builder.SaveDraft(ctx, author, "form", "loan_application", v2Body)
		require.NoError(t, err)
		v, err := fx.builder.Publish(ctx, author, "form", "loan_application", "add referrer")
		require.NoError(t, err)
		assert.Equal(t, 2, v.Number)
		f, err := fx.forms.Form(ctx, tenant, "loan_application")
		require.NoError(t, err)
		assert.Equal(t, 2, f.Version())
		assert.Contains(t, f.Fields(), "referrer")
	})

	t.Run("rollback appends v3 with v1's body", func(t *testing.T) {
		v, err := fx.builder.Rollback(ctx, author, "form", "loan_application", 1, "referrer not ready")
		require.NoError(t, err)
		assert.Equal(t, 3, v.Number)
		assert.Equal(t, 1, v.RollbackOf)
		got, err := fx.builder.Version(ctx, tenant, "form", "loan_application", 3)
		require.NoError(t, err)
		assert.Equal(t, string(v1Body), string(got.Body), "the body is kept byte for byte")
		f, err := fx.forms.Form(ctx, tenant, "loan_application")
		require.NoError(t, err)
		assert.Equal(t, 3, f.Version())
		assert.NotContains(t, f.Fields(), "referrer")
	})

	rollbackErrs := []struct {
		name string
		to   int
		want error
	}{
		{"to the current body", 3, builder.ErrUnchanged},
		{"to a missing version", 9, builder.ErrVersionNotFound},
		{"to version zero", 0, builder.ErrVersionNotFound},
	}
	for _, tc := range rollbackErrs {
		t.Run("rollback "+tc.name, func(t *testing.T) {
			_, err := fx.builder.Rollback(ctx, author, "form", "loan_application", tc.to, "")
			assert.ErrorIs(t, err, tc.want)
		})
	}

	t.Run("history is append-only", func(t *testing.T) {
		versions, err := fx.builder.Versions(ctx, tenant, "form", "loan_application")
		require.NoError(t, err)
		require.Len(t, versions, 3)
		for i, v := range versions {
			assert.Equal(t, i+1, v.Number)
			assert.Nil(t, v.Body, "lists carry no bodies")
		}
		assert.Equal(t, []string{"first release", "add referrer", "referrer not ready"},
			[]string{versions[0].Note, versions[1].Note, versions[2].Note})
		v2, err := fx.builder.Version(ctx, tenant, "form", "loan_application", 2)
		require.NoError(t, err)
		assert.Equal(t, string(v2Body), string(v2.Body))
		assert.Equal(t, form.BodyHash(v2Body), v2.Hash)
	})

	t.Run("every publish is audited and the chain verifies", func(t *testing.T) {
		sc, err := fx.b.Scope(tenant)
		require.NoError(t, err)
		page, err := fx.log.List(ctx, sc, audit.ListQuery{Action: audit.ActionPublish})
		require.NoError(t, err)
		require.Len(t, page.Entries, 3)
		assert.Equal(t, "definition:form/loan_application", page.Entries[0].Object)
		assert.Equal(t, json.Number("1"), page.Entries[0].Detail["rollback_of"])
		rep, err := audit.Verify(ctx, sc)
		require.NoError(t, err)
		assert.True(t, rep.OK())
	})

	t.Run("a note too long is refused", func(t *testing.T) {
		_, err := fx.builder.Rollback(ctx, author, "form", "loan_application", 2, strings.Repeat("n", builder.MaxNoteLength+1))
		assert.ErrorIs(t, err, builder.ErrNoteTooLong)
	})
}

func TestList(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	_, err := fx.builder.SaveDraft(ctx, author, "form", "loan_application", template(t, "loan_application"))
	require.NoError(t, err)
	_, err = fx.builder.Publish(ctx, author, "form", "loan_application", "")
	require.NoError(t, err)
	_, err = fx.builder.SaveDraft(ctx, author, "form", "customer", []byte(`{"key":"customer"}`))
	require.NoError(t, err)

	list, err := fx.builder.List(ctx, tenant, "form")
	require.NoError(t, err)
	require.Len(t, list, 2)
	tests := []struct {
		name   string
		got    *builder.Summary
		key    string
		latest int
		draft  builder.DraftStatus
		valid  bool
	}{
		{"drafted only", list[0], "customer", 0, builder.DraftChanged, false},
		{"published, draft unchanged", list[1], "loan_application", 1, builder.DraftUnchanged, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.key, tc.got.Key)
			assert.Equal(t, tc.latest, tc.got.Latest)
			assert.Equal(t, tc.draft, tc.got.Draft)
			assert.Equal(t, tc.valid, tc.got.DraftValid)
		})
	}
	_, err = fx.builder.List(ctx, tenant, "dashboards")
	assert.ErrorIs(t, err, builder.ErrUnknownKind)

	published, err := fx.builder.Published(ctx, tenant, "form")
	require.NoError(t, err)
	assert.Equal(t, []string{"loan_application"}, published, "a form drafted only is not listed")
	_, err = fx.builder.Published(ctx, tenant, "dashboards")
	assert.ErrorIs(t, err, builder.ErrUnknownKind)
}

// TestTemplatesPublish: every starter form publishes and runs (the whole pack, flows and
// rules included: TestInstallLendingPack).
func TestTemplatesPublish(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	tpls, err := schemas.Templates("lending")
	require.NoError(t, err)
	for _, tpl := range tpls {
		if tpl.Kind != schemas.KindForm {
			continue
		}
		t.Run(tpl.Key, func(t *testing.T) {
			d, err := fx.builder.SaveDraft(ctx, author, tpl.Kind, tpl.Key, tpl.Body)
			require.NoError(t, err)
			require.Empty(t, d.Problems)
			v, err := fx.builder.Publish(ctx, author, tpl.Kind, tpl.Key, "from template")
			require.NoError(t, err)
			assert.Equal(t, 1, v.Number)
			acc, err := fx.forms.Access(ctx, author, tpl.Key)
			require.NoError(t, err)
			assert.True(t, acc.Create)
		})
	}
}

// TestPublishOrphanVersion: on an engine without transactions a publish can stop after
// writing version n and before moving the head. Publishing the same body again adopts
// it; a different body must not overwrite it.
func TestPublishOrphanVersion(t *testing.T) {
	ctx := context.Background()
	v1 := template(t, "loan_application")
	v2 := edit(t, v1, func(d map[string]any) { d["title"] = map[string]any{"en": "Loan application v2"} })
	v3 := edit(t, v1, func(d map[string]any) { d["title"] = map[string]any{"en": "Loan application v3"} })
	tests := []struct {
		name    string
		publish []byte
		wantErr error
	}{
		{name: "same body adopts the orphan", publish: v2},
		{name: "another body conflicts", publish: v3, wantErr: builder.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			_, err := fx.builder.SaveDraft(ctx, author, "form", "loan_application", v1)
			require.NoError(t, err)
			_, err = fx.builder.Publish(ctx, author, "form", "loan_application", "v1")
			require.NoError(t, err)
			sc, err := fx.b.Scope(tenant)
			require.NoError(t, err)
			orphan := &form.StoredVersion{Kind: "form", Key: "loan_application", Version: 2, Body: v2,
				Hash: form.BodyHash(v2), Note: "interrupted", Author: "designer", PublishedAt: time.Now().UTC()}
			require.NoError(t, sc.Collection(form.VersionsCollection).Insert(ctx,
				&store.Doc{ID: form.VersionID("form", "loan_application", 2), Data: orphan.Data()}))

			_, err = fx.builder.SaveDraft(ctx, author, "form", "loan_application", tc.publish)
			require.NoError(t, err)
			v, err := fx.builder.Publish(ctx, author, "form", "loan_application", "retry")
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				assert.ErrorIs(t, err, store.ErrConflict)
				f, err := fx.forms.Form(ctx, tenant, "loan_application")
				require.NoError(t, err)
				assert.Equal(t, 1, f.Version(), "the head did not move")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 2, v.Number)
			got, err := fx.builder.Version(ctx, tenant, "form", "loan_application", 2)
			require.NoError(t, err)
			assert.Equal(t, string(v2), string(got.Body))
		})
	}
}
