package builder_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/report"
	"github.com/credolabs/credo/runtime/rule"
)

// TestListNamesEveryKind: each listed definition carries its name in every locale (a
// draft's first, else the latest version's), its status and when it last changed.
func TestListNamesEveryKind(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	load := form.Published{Backend: fx.b}
	fx.builder.Register(builder.KindRule, builder.Rules(rule.NewCatalog(fx.forms, load, rule.CatalogOptions{})))
	fx.builder.Register(builder.KindFlow, builder.Flows(flow.NewCatalog(fx.forms, load)))
	fx.builder.Register(builder.KindDashboard, builder.Dashboards(report.NewCatalog(fx.forms, load)))
	_, err := fx.builder.InstallPack(ctx, author, "lending")
	require.NoError(t, err)

	// A draft ahead of the published loan form, with a new title; a half-done flow draft
	// that names nothing yet; a form only drafted.
	renamed := edit(t, template(t, "loan_application"), func(def map[string]any) {
		def["title"] = map[string]any{"zh-CN": "个人贷款申请", "en": "Personal loan application"}
	})
	_, err = fx.builder.SaveDraft(ctx, author, builder.KindForm, "loan_application", renamed)
	require.NoError(t, err)
	_, err = fx.builder.SaveDraft(ctx, author, builder.KindFlow, "collection", []byte(`{"key":"collection","name":7}`))
	require.NoError(t, err)
	_, err = fx.builder.SaveDraft(ctx, author, builder.KindForm, "guarantor", []byte(`{"key":"guarantor","title":{"en":"Guarantor"}}`))
	require.NoError(t, err)

	byKey := func(kind string) map[string]*builder.Summary {
		t.Helper()
		list, err := fx.builder.List(ctx, tenant, kind)
		require.NoError(t, err)
		out := map[string]*builder.Summary{}
		for _, sm := range list {
			out[sm.Key] = sm
			assert.False(t, sm.UpdatedAt.IsZero(), "%s/%s has a last change", kind, sm.Key)
			assert.False(t, sm.UpdatedAt.Before(sm.PublishedAt) || sm.UpdatedAt.Before(sm.DraftSaved), "%s/%s: the latest change", kind, sm.Key)
		}
		return out
	}

	forms := byKey(builder.KindForm)
	cases := []struct {
		name   string
		got    *builder.Summary
		title  form.Localized
		form   string
		status builder.Status
	}{
		{"draft ahead, named by its draft", forms["loan_application"], form.Localized{"zh-CN": "个人贷款申请", "en": "Personal loan application"}, "", builder.StatusDraftAhead},
		{"published as installed", forms["customer"], form.Localized{"zh-CN": "客户", "en": "Customer"}, "", builder.StatusPublished},
		{"drafted only", forms["guarantor"], form.Localized{"en": "Guarantor"}, "", builder.StatusDraft},
		{"flow", byKey(builder.KindFlow)["loan_approval"], form.Localized{"zh-CN": "贷款审批", "en": "Loan approval"}, "loan_application", builder.StatusPublished},
		{"flow whose draft names nothing yet, by its latest version", byKey(builder.KindFlow)["collection"], nil, "collection_case", builder.StatusDraftAhead},
		{"rule set, after its form", byKey(builder.KindRule)["loan_application"], form.Localized{"zh-CN": "个人贷款申请", "en": "Personal loan application"}, "loan_application", builder.StatusPublished},
		{"dashboard", byKey(builder.KindDashboard)["cockpit"], nil, "", builder.StatusPublished},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NotNil(t, tc.got)
			if tc.title != nil {
				assert.Equal(t, tc.title, tc.got.Title)
			} else {
				assert.NotEmpty(t, tc.got.Title["en"], "named by its latest version")
				assert.NotEmpty(t, tc.got.Title["zh-CN"])
			}
			assert.Equal(t, tc.form, tc.got.Form)
			assert.Equal(t, tc.status, tc.got.Status)
		})
	}
	assert.True(t, forms["loan_application"].UpdatedAt.Equal(forms["loan_application"].DraftSaved), "a draft saved after publishing is the last change")
}
