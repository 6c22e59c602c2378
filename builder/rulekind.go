package builder

import (
	"context"
	"errors"

	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/store"
)

// KindRule is the definition kind of rule sets, each saved under its form's key.
const KindRule = rule.KindRule

// Rules is the compiler of rule sets: compiled against the form's current version by the
// catalog that will run them, and installed into it on publish.
func Rules(c *rule.Catalog) Compiler { return ruleKind{c} }

type ruleKind struct{ c *rule.Catalog }

type compiledRules struct {
	s *rule.Set
	c *rule.Catalog
}

func (k ruleKind) Compile(ctx context.Context, tenant, key string, body []byte) (Compiled, error) {
	s, err := k.c.Compile(ctx, tenant, key, body)
	var re *rule.RuleError
	if errors.As(err, &re) {
		return nil, Problems(re.Problems)
	}
	if err != nil {
		return nil, err
	}
	return compiledRules{s: s, c: k.c}, nil
}

func (compiledRules) Prepare(context.Context, store.Scope) error { return nil }

func (r compiledRules) Install(tenant string, version int) { r.c.Install(tenant, version, r.s) }
