package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/credolabs/credo/runtime/catalog"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// ErrNotPublished means the tenant has no published dashboard with that key.
var ErrNotPublished = errors.New("report: dashboard not published")

// Catalog serves the published dashboards of every tenant, each compiled against the
// current versions of the forms its widgets read. Builder publishes through Compile
// and Install.
type Catalog struct {
	forms     *form.Service
	dash      *catalog.Catalog[*Dashboard]
	onInstall []func(tenant string, d *Dashboard)
}

// OnInstall registers fn to run when a dashboard is installed after its publish (the
// rollups start building its figures). Register at startup, before the catalog serves.
func (c *Catalog) OnInstall(fn func(tenant string, d *Dashboard)) {
	c.onInstall = append(c.onInstall, fn)
}

// NewCatalog returns a catalog reading published dashboards through load.
func NewCatalog(forms *form.Service, load catalog.Loader) *Catalog {
	c := &Catalog{forms: forms}
	c.dash = catalog.New(load, catalog.Options[*Dashboard]{
		Kind: schemas.KindDashboard,
		Compile: func(ctx context.Context, tenant, key string, n int, body []byte) (*Dashboard, error) {
			d, err := c.Compile(ctx, tenant, key, body)
			if err != nil {
				return nil, err
			}
			return d.AtVersion(n), nil
		},
	})
	return c
}

// Latest returns the current published version of dashboard key, or ErrNotPublished.
func (c *Catalog) Latest(ctx context.Context, tenant, key string) (*Dashboard, error) {
	d, _, err := c.dash.Latest(ctx, tenant, key)
	if errors.Is(err, catalog.ErrNotPublished) {
		return nil, fmt.Errorf("%w: %w", ErrNotPublished, err)
	}
	return d, err
}

// Compile compiles a dashboard body saved as key against the current versions of the
// forms its widgets name; a form not published is a located problem.
func (c *Catalog) Compile(ctx context.Context, tenant, key string, body []byte) (*Dashboard, error) {
	var head struct {
		Key     string `json:"key"`
		Widgets []struct {
			Form string `json:"form"`
		} `json:"widgets"`
	}
	_ = json.Unmarshal(body, &head) // a malformed body is reported by Compile below
	if head.Key != "" && head.Key != key {
		return nil, &DashboardError{Problems: []Problem{{Path: "/key", Code: "key_mismatch",
			Message: fmt.Sprintf("the definition says %q but is saved as %q", head.Key, key)}}}
	}
	forms := map[string]*form.Form{}
	for _, w := range head.Widgets {
		if _, done := forms[w.Form]; done || w.Form == "" {
			continue
		}
		f, err := c.forms.Form(ctx, tenant, w.Form)
		if errors.Is(err, form.ErrFormNotFound) {
			continue // Compile reports the widget's unknown form at its own path
		}
		if err != nil {
			return nil, err
		}
		forms[w.Form] = f
	}
	return Compile(body, forms)
}

// Install makes d, just published as version n, current on this node.
func (c *Catalog) Install(tenant string, n int, d *Dashboard) {
	d = d.AtVersion(n)
	c.dash.Install(tenant, d.Key(), n, d)
	for _, fn := range c.onInstall {
		fn(tenant, d)
	}
}
