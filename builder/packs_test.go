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
	"github.com/credolabs/credo/schemas"
)

// The lending starter app publishes whole through the runtimes' own compilers, and a
// second install changes nothing.
func TestInstallLendingPack(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	load := form.Published{Backend: fx.b}
	fx.builder.Register(builder.KindRule, builder.Rules(rule.NewCatalog(fx.forms, load, rule.CatalogOptions{})))
	fx.builder.Register(builder.KindFlow, builder.Flows(flow.NewCatalog(fx.forms, load)))
	fx.builder.Register(builder.KindDashboard, builder.Dashboards(report.NewCatalog(fx.forms, load)))

	tpls, err := schemas.Templates("lending")
	require.NoError(t, err)
	got, err := fx.builder.InstallPack(ctx, author, "lending")
	require.NoError(t, err)
	var kinds []string
	for _, in := range got {
		assert.Equal(t, 1, in.Version, "%s/%s", in.Kind, in.Key)
		assert.False(t, in.Unchanged)
		kinds = append(kinds, in.Kind+"/"+in.Key)
	}
	assert.Len(t, got, len(tpls), "every template: %v", kinds)
	assert.Contains(t, kinds, "dashboard/cockpit")
	assert.Contains(t, kinds, "flow/loan_approval")
	assert.Contains(t, kinds, "flow/collection")
	assert.Contains(t, kinds, "rule/loan_application")

	again, err := fx.builder.InstallPack(ctx, author, "lending")
	require.NoError(t, err)
	for _, in := range again {
		assert.True(t, in.Unchanged, "%s/%s", in.Kind, in.Key)
		assert.Equal(t, 1, in.Version)
	}

	_, err = fx.builder.InstallPack(ctx, author, "no-such-pack")
	require.ErrorIs(t, err, schemas.ErrTemplateNotFound)
}
