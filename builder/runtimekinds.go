package builder

import (
	"context"
	"errors"

	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/report"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/schemas"
	"github.com/credolabs/credo/store"
)

// The definition kinds the runtimes compile from their own catalogs.
const (
	// KindRule is the kind of rule sets, each saved under its form's key.
	KindRule = schemas.KindRule
	// KindFlow is the kind of approval and collection flows.
	KindFlow = schemas.KindFlow
	// KindDashboard is the kind of cockpit dashboards.
	KindDashboard = schemas.KindDashboard
)

// Rules is the compiler of rule sets: compiled against the form's current version by the
// catalog that runs them, and installed into it on publish.
func Rules(c *rule.Catalog) Compiler {
	return catalogKind[*rule.Set]{compile: c.Compile, install: c.Install, problems: func(err error) ([]form.Problem, bool) {
		var re *rule.RuleError
		if errors.As(err, &re) {
			return re.Problems, true
		}
		return nil, false
	}}
}

// Flows is the compiler of flows: compiled against the current version of the form they
// run on by the catalog that runs them, and installed into it on publish.
func Flows(c *flow.Catalog) Compiler {
	return catalogKind[*flow.Flow]{compile: c.Compile, install: c.Install, problems: func(err error) ([]form.Problem, bool) {
		var fe *flow.FlowError
		if errors.As(err, &fe) {
			return fe.Problems, true
		}
		return nil, false
	}}
}

// Dashboards is the compiler of dashboards: compiled against the current versions of the
// forms their widgets read, and installed into the catalog that renders them.
func Dashboards(c *report.Catalog) Compiler {
	return catalogKind[*report.Dashboard]{compile: c.Compile, install: c.Install, problems: func(err error) ([]form.Problem, bool) {
		var de *report.DashboardError
		if errors.As(err, &de) {
			return de.Problems, true
		}
		return nil, false
	}}
}

// catalogKind adapts a runtime catalog to Compiler: its definitions need nothing before
// the publish transaction and are installed into the catalog after it.
type catalogKind[T any] struct {
	compile  func(ctx context.Context, tenant, key string, body []byte) (T, error)
	install  func(tenant string, version int, v T)
	problems func(error) ([]form.Problem, bool)
}

func (k catalogKind[T]) Compile(ctx context.Context, tenant, key string, body []byte) (Compiled, error) {
	v, err := k.compile(ctx, tenant, key, body)
	if ps, ok := k.problems(err); ok {
		return nil, Problems(ps)
	}
	if err != nil {
		return nil, err
	}
	return installer(func(tenant string, version int) { k.install(tenant, version, v) }), nil
}

// installer is a compiled definition that only needs installing.
type installer func(tenant string, version int)

func (installer) Prepare(context.Context, store.Scope) error { return nil }

func (i installer) Install(tenant string, version int) { i(tenant, version) }
