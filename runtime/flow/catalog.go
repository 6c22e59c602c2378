package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/credolabs/credo/runtime/catalog"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// Catalog is the Definitions of published flows: each version compiled once against
// the current version of the form it runs on, old versions kept for the instances that
// started on them. Builder publishes through Compile and Install.
type Catalog struct {
	forms *form.Service
	flows *catalog.Catalog[*Flow]
}

// NewCatalog returns a catalog reading published flows through load.
func NewCatalog(forms *form.Service, load catalog.Loader) *Catalog {
	c := &Catalog{forms: forms}
	c.flows = catalog.New(load, catalog.Options[*Flow]{
		Kind: schemas.KindFlow,
		Compile: func(ctx context.Context, tenant, key string, n int, body []byte) (*Flow, error) {
			f, err := c.Compile(ctx, tenant, key, body)
			if err != nil {
				return nil, err
			}
			return f.AtVersion(n), nil
		},
		Current: catalog.OnForm(forms, (*Flow).Form),
	})
	return c
}

// Flow returns version n of the flow key; ErrFlowNotFound when there is none.
func (c *Catalog) Flow(ctx context.Context, tenant, key string, n int) (*Flow, error) {
	f, err := c.flows.Version(ctx, tenant, key, n)
	return f, flowNotFound(err)
}

// Latest returns the current published version of the flow key.
func (c *Catalog) Latest(ctx context.Context, tenant, key string) (*Flow, error) {
	f, _, err := c.flows.Latest(ctx, tenant, key)
	return f, flowNotFound(err)
}

func flowNotFound(err error) error {
	if errors.Is(err, catalog.ErrNotPublished) {
		return fmt.Errorf("%w: %w", ErrFlowNotFound, err)
	}
	return err
}

// Compile compiles a flow body saved as key against the current version of the form it
// names; a body naming another key, or a form not published, is a located problem.
func (c *Catalog) Compile(ctx context.Context, tenant, key string, body []byte) (*Flow, error) {
	var head struct {
		Key  string `json:"key"`
		Form string `json:"form"`
	}
	_ = json.Unmarshal(body, &head) // a malformed body is reported by Compile below
	if head.Key != "" && head.Key != key {
		return nil, &FlowError{Problems: []Problem{{Path: "/key", Code: "key_mismatch",
			Message: fmt.Sprintf("the definition says %q but is saved as %q", head.Key, key)}}}
	}
	f, err := c.forms.Form(ctx, tenant, head.Form)
	if errors.Is(err, form.ErrFormNotFound) || head.Form == "" {
		return nil, &FlowError{Problems: []Problem{{Path: "/form", Code: "unknown_form",
			Message: fmt.Sprintf("no form %q is published", head.Form)}}}
	}
	if err != nil {
		return nil, err
	}
	return Compile(f, body)
}

// Install makes fl, just published as version n, current on this node.
func (c *Catalog) Install(tenant string, n int, fl *Flow) {
	c.flows.Install(tenant, fl.Key(), n, fl.AtVersion(n))
}
