package tenants

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/util"
)

// modelConf is the casbin model: RBAC with domains, objMatch objects, deny wins.
//
//go:embed model.conf
var modelConf string

// Subject prefixes keep user ids and role keys apart in casbin, so no user id can ever be
// read as a role name (or the reverse).
const (
	userPrefix = "user:"
	rolePrefix = "role:"
)

// Rule effects.
const (
	EffectAllow = "allow"
	EffectDeny  = "deny"
)

func userSub(id string) string  { return userPrefix + id }
func roleSub(key string) string { return rolePrefix + key }

// newModel parses the embedded model. Each enforcer gets its own: a casbin Model holds
// the policy and is not safe to share.
func newModel() (model.Model, error) {
	m, err := model.NewModelFromString(modelConf)
	if err != nil {
		return nil, fmt.Errorf("parse casbin model: %w", err)
	}
	return m, nil
}

// loadEnforcer builds one tenant's enforcer from its stored rules. The enforcer has no
// adapter: the service writes rules through the Adapter inside its own store
// transactions and then applies the same change in memory, so a rolled-back transaction
// never leaves a rule in memory.
func loadEnforcer(ctx context.Context, a *Adapter) (*casbin.Enforcer, error) {
	m, err := newModel()
	if err != nil {
		return nil, err
	}
	if err := a.LoadPolicyCtx(ctx, m); err != nil {
		return nil, err
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("new enforcer: %w", err)
	}
	e.EnableAutoSave(false)
	e.AddFunction("objMatch", objMatchFunc)
	if err := e.BuildRoleLinks(); err != nil {
		return nil, fmt.Errorf("build role links: %w", err)
	}
	return e, nil
}

// rolesOf returns the role keys directly assigned to a user in the enforcer.
func rolesOf(e *casbin.Enforcer, tenant, userID string) []string {
	subs := e.GetRolesForUserInDomain(userSub(userID), tenant)
	out := make([]string, 0, len(subs))
	for _, s := range subs {
		if k, ok := strings.CutPrefix(s, rolePrefix); ok {
			out = append(out, k)
		}
	}
	return out
}

// objMatch reports whether a rule's object p covers the requested object r: casbin's
// keyMatch (a trailing "*" covers everything from there on), and a field object covers
// the columns of its sub-table ("form:loan/field:contacts" covers
// "form:loan/field:contacts.phone"), so a right on a table is a right on each column
// unless a rule on the column says otherwise.
func objMatch(r, p string) bool {
	if util.KeyMatch(r, p) {
		return true
	}
	if !strings.Contains(p, "/field:") || strings.HasSuffix(p, "*") {
		return false
	}
	rest, ok := strings.CutPrefix(r, p)
	return ok && strings.HasPrefix(rest, ".")
}

func objMatchFunc(args ...any) (any, error) {
	if len(args) != 2 {
		return false, fmt.Errorf("objMatch takes 2 arguments, got %d", len(args))
	}
	r, ok1 := args[0].(string)
	p, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return false, fmt.Errorf("objMatch takes strings")
	}
	return objMatch(r, p), nil
}
