package tenants

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"

	"github.com/credolabs/credo/store"
)

// PoliciesCollection is the collection of a tenant's scope holding its casbin rules.
const PoliciesCollection = "policies"

// maxRuleFields is how many values (v0…v5) a stored rule may have.
const maxRuleFields = 6

// ErrForeignDomain means a policy rule names a domain other than the adapter's tenant;
// the adapter neither stores nor loads such a rule, so no tenant's rule reaches another.
var ErrForeignDomain = errors.New("tenants: policy rule of another tenant")

// Adapter is a casbin persist.Adapter that keeps one tenant's policy rules in the
// "policies" collection of that tenant's store scope, so policies live on every backend.
// It refuses rules whose domain is not its tenant. The context variants use the ctx they
// are given, so a caller's store transaction (store.Scope.WithTx) covers them.
type Adapter struct {
	sc store.Scope
}

// NewAdapter returns the adapter of the tenant sc is bound to.
func NewAdapter(sc store.Scope) *Adapter { return &Adapter{sc: sc} }

// policyDoc is the stored shape of one rule.
type policyDoc struct {
	PType string `json:"ptype"`
	V0    string `json:"v0,omitempty"`
	V1    string `json:"v1,omitempty"`
	V2    string `json:"v2,omitempty"`
	V3    string `json:"v3,omitempty"`
	V4    string `json:"v4,omitempty"`
	V5    string `json:"v5,omitempty"`
}

func (d policyDoc) rule() []string {
	vs := []string{d.V0, d.V1, d.V2, d.V3, d.V4, d.V5}
	n := len(vs)
	for n > 0 && vs[n-1] == "" {
		n--
	}
	return vs[:n]
}

func (a *Adapter) coll() store.Collection { return a.sc.Collection(PoliciesCollection) }

// ruleID is the document id of a rule: equal rules share it, so a rule is stored once.
func ruleID(ptype string, rule []string) string {
	h := sha256.Sum256([]byte(ptype + "\x1f" + strings.Join(rule, "\x1f")))
	return hex.EncodeToString(h[:16])
}

// domainOf returns the domain value of a rule: field 1 of a "p" rule, field 2 of a "g" rule.
func domainOf(ptype string, rule []string) (string, bool) {
	i := 1
	if strings.HasPrefix(ptype, "g") {
		i = 2
	}
	if len(rule) <= i {
		return "", false
	}
	return rule[i], true
}

func (a *Adapter) checkRule(ptype string, rule []string) error {
	if ptype == "" || len(rule) == 0 || len(rule) > maxRuleFields {
		return fmt.Errorf("policy rule %s %v: wrong shape: %w", ptype, rule, store.ErrInvalid)
	}
	if d, ok := domainOf(ptype, rule); !ok || d != a.sc.Tenant() {
		return fmt.Errorf("policy rule %s %v in tenant %s: %w", ptype, rule, a.sc.Tenant(), ErrForeignDomain)
	}
	return nil
}

func (a *Adapter) newDoc(ptype string, rule []string) (*store.Doc, error) {
	if err := a.checkRule(ptype, rule); err != nil {
		return nil, err
	}
	vs := make([]string, maxRuleFields)
	copy(vs, rule)
	data, err := toData(policyDoc{PType: ptype, V0: vs[0], V1: vs[1], V2: vs[2], V3: vs[3], V4: vs[4], V5: vs[5]})
	if err != nil {
		return nil, err
	}
	return &store.Doc{ID: ruleID(ptype, rule), Data: data}, nil
}

// LoadPolicy loads every rule of the tenant into m.
func (a *Adapter) LoadPolicy(m model.Model) error { return a.LoadPolicyCtx(context.Background(), m) }

// LoadPolicyCtx loads every rule of the tenant into m; a rule of another domain fails the load.
func (a *Adapter) LoadPolicyCtx(ctx context.Context, m model.Model) error {
	err := findAll(ctx, a.coll(), nil, func(d *store.Doc) error {
		var pd policyDoc
		if err := fromData(d, &pd); err != nil {
			return err
		}
		rule := pd.rule()
		if err := a.checkRule(pd.PType, rule); err != nil {
			return err
		}
		return persist.LoadPolicyArray(append([]string{pd.PType}, rule...), m)
	})
	if err != nil {
		return fmt.Errorf("load policies of %s: %w", a.sc.Tenant(), err)
	}
	return nil
}

// SavePolicy replaces the stored rules with those of m.
func (a *Adapter) SavePolicy(m model.Model) error { return a.SavePolicyCtx(context.Background(), m) }

// SavePolicyCtx replaces the stored rules with those of m in one store transaction.
func (a *Adapter) SavePolicyCtx(ctx context.Context, m model.Model) error {
	var docs []*store.Doc
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			for _, rule := range ast.Policy {
				d, err := a.newDoc(ptype, rule)
				if err != nil {
					return fmt.Errorf("save policies of %s: %w", a.sc.Tenant(), err)
				}
				docs = append(docs, d)
			}
		}
	}
	err := a.sc.WithTx(ctx, func(ctx context.Context) error {
		if err := a.removeMatching(ctx, nil); err != nil {
			return err
		}
		for _, d := range docs {
			if err := a.insert(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save policies of %s: %w", a.sc.Tenant(), err)
	}
	return nil
}

// AddPolicy stores one rule.
func (a *Adapter) AddPolicy(sec, ptype string, rule []string) error {
	return a.AddPolicyCtx(context.Background(), sec, ptype, rule)
}

// AddPolicyCtx stores one rule; storing an existing rule is not an error.
func (a *Adapter) AddPolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	return a.AddPoliciesCtx(ctx, sec, ptype, [][]string{rule})
}

// AddPolicies stores several rules.
func (a *Adapter) AddPolicies(sec, ptype string, rules [][]string) error {
	return a.AddPoliciesCtx(context.Background(), sec, ptype, rules)
}

// AddPoliciesCtx stores several rules; all are checked before any is written.
func (a *Adapter) AddPoliciesCtx(ctx context.Context, _ string, ptype string, rules [][]string) error {
	docs := make([]*store.Doc, 0, len(rules))
	for _, r := range rules {
		d, err := a.newDoc(ptype, r)
		if err != nil {
			return fmt.Errorf("add policies to %s: %w", a.sc.Tenant(), err)
		}
		docs = append(docs, d)
	}
	for _, d := range docs {
		if err := a.insert(ctx, d); err != nil {
			return fmt.Errorf("add policies to %s: %w", a.sc.Tenant(), err)
		}
	}
	return nil
}

func (a *Adapter) insert(ctx context.Context, d *store.Doc) error {
	if err := a.coll().Insert(ctx, d); err != nil && !errors.Is(err, store.ErrDuplicate) {
		return err
	}
	return nil
}

// RemovePolicy deletes one rule.
func (a *Adapter) RemovePolicy(sec, ptype string, rule []string) error {
	return a.RemovePolicyCtx(context.Background(), sec, ptype, rule)
}

// RemovePolicyCtx deletes one rule; deleting a missing rule is not an error.
func (a *Adapter) RemovePolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	return a.RemovePoliciesCtx(ctx, sec, ptype, [][]string{rule})
}

// RemovePolicies deletes several rules.
func (a *Adapter) RemovePolicies(sec, ptype string, rules [][]string) error {
	return a.RemovePoliciesCtx(context.Background(), sec, ptype, rules)
}

// RemovePoliciesCtx deletes several rules.
func (a *Adapter) RemovePoliciesCtx(ctx context.Context, _ string, ptype string, rules [][]string) error {
	for _, r := range rules {
		if err := a.checkRule(ptype, r); err != nil {
			return fmt.Errorf("remove policies from %s: %w", a.sc.Tenant(), err)
		}
	}
	for _, r := range rules {
		err := a.coll().Delete(ctx, ruleID(ptype, r), 0)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("remove policies from %s: %w", a.sc.Tenant(), err)
		}
	}
	return nil
}

// RemoveFilteredPolicy deletes the rules matching a casbin field filter.
func (a *Adapter) RemoveFilteredPolicy(sec, ptype string, fieldIndex int, fieldValues ...string) error {
	return a.RemoveFilteredPolicyCtx(context.Background(), sec, ptype, fieldIndex, fieldValues...)
}

// RemoveFilteredPolicyCtx deletes the rules of ptype whose fields from fieldIndex on equal
// fieldValues; an empty value matches anything, as in casbin.
func (a *Adapter) RemoveFilteredPolicyCtx(ctx context.Context, _ string, ptype string, fieldIndex int, fieldValues ...string) error {
	if fieldIndex < 0 || fieldIndex+len(fieldValues) > maxRuleFields {
		return fmt.Errorf("remove filtered policies from %s: field index %d: %w", a.sc.Tenant(), fieldIndex, store.ErrInvalid)
	}
	f := []*store.Filter{store.Eq("ptype", ptype)}
	for i, v := range fieldValues {
		if v != "" {
			f = append(f, store.Eq("v"+strconv.Itoa(fieldIndex+i), v))
		}
	}
	if err := a.removeMatching(ctx, store.And(f...)); err != nil {
		return fmt.Errorf("remove filtered policies from %s: %w", a.sc.Tenant(), err)
	}
	return nil
}

func (a *Adapter) removeMatching(ctx context.Context, f *store.Filter) error {
	var ids []string
	err := findAll(ctx, a.coll(), f, func(d *store.Doc) error {
		ids = append(ids, d.ID)
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := a.coll().Delete(ctx, id, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

var (
	_ persist.Adapter             = (*Adapter)(nil)
	_ persist.BatchAdapter        = (*Adapter)(nil)
	_ persist.ContextAdapter      = (*Adapter)(nil)
	_ persist.ContextBatchAdapter = (*Adapter)(nil)
)
