package rule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/runtime/catalog"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// KindRule is the definition kind of rule sets. A form's rule set is published under the
// form's own key, so each form has at most one.
const KindRule = schemas.KindRule

// Catalog serves the published rule set of each (tenant, form), compiled against the
// form's current version and recompiled when either is republished. Safe for concurrent use.
type Catalog struct {
	forms *form.Service
	opts  Opts
	sets  *catalog.Catalog[*Set]
}

// CatalogOptions configure a Catalog; the zero value is the default.
type CatalogOptions struct {
	// Opts apply to every compiled set.
	Opts Opts
	// HeadTTL is how long a head is trusted before it is read again (default 2 s).
	HeadTTL time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// NewCatalog returns a catalog reading definitions through load and forms through forms.
func NewCatalog(forms *form.Service, load catalog.Loader, o CatalogOptions) *Catalog {
	c := &Catalog{forms: forms, opts: o.Opts}
	c.sets = catalog.New(load, catalog.Options[*Set]{
		Kind: KindRule, HeadTTL: o.HeadTTL, Now: o.Now,
		Compile: func(ctx context.Context, tenant, key string, _ int, body []byte) (*Set, error) {
			return c.Compile(ctx, tenant, key, body)
		},
		Current: catalog.OnForm(forms, func(s *Set) *form.Form { return s.form }),
	})
	return c
}

// Set returns the rule set of formKey in tenant and its published version, or nil and 0
// when the form has none.
func (c *Catalog) Set(ctx context.Context, tenant, formKey string) (*Set, int, error) {
	s, n, err := c.sets.Latest(ctx, tenant, formKey)
	if errors.Is(err, catalog.ErrNotPublished) {
		return nil, 0, nil
	}
	return s, n, err
}

// Compile compiles a rule set body saved as key against the current version of the form
// it names, which must be key.
func (c *Catalog) Compile(ctx context.Context, tenant, key string, body []byte) (*Set, error) {
	f, err := c.forms.Form(ctx, tenant, key)
	if errors.Is(err, form.ErrFormNotFound) {
		return nil, &RuleError{Problems: []form.Problem{{Path: "/form", Code: "unknown_form",
			Message: fmt.Sprintf("a rule set is saved under its form's key, and no form %q is published", key)}}}
	}
	if err != nil {
		return nil, err
	}
	return Compile(f, body, c.opts)
}

// Install makes s, published as version, the current set of its form in tenant.
func (c *Catalog) Install(tenant string, version int, s *Set) {
	c.sets.Install(tenant, s.Form(), version, s)
}
