package tenants

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"

	"github.com/credolabs/credo/store"
)

// tenantState is the in-memory authorization state of one tenant: its own casbin
// enforcer (so no rule of one tenant is even loaded beside another's), its roles, the set
// of disabled users, a decision cache and the policy revision they reflect.
//
// Lifecycle: loaded lazily on first use, kept for the life of the Service, changed only
// through Service.mutate (which holds writeMu, commits to the store, then applies the same
// change here under mu), and reloaded whole when the stored revision shows another node
// changed it.
type tenantState struct {
	tenant string

	writeMu sync.Mutex // serializes this process's changes of the tenant

	mu        sync.RWMutex // guards the fields below
	enf       *casbin.Enforcer
	roles     map[string]*Role
	disabled  map[string]bool
	decisions *decisionCache

	rev atomic.Uint64
}

// state returns the tenant's loaded state, loading it on first use.
func (s *Service) state(ctx context.Context, tenant string) (*tenantState, error) {
	if tenant == "" {
		tenant = store.PlatformTenant
	}
	s.mu.RLock()
	st := s.states[tenant]
	s.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	sc, err := s.scope(tenant)
	if err != nil {
		return nil, err
	}
	fresh, err := s.loadState(ctx, tenant)
	if err != nil {
		return nil, err
	}
	// First use in this process: make sure the tenant's indexes exist (older tenants,
	// or tenants created by another process, get them here).
	if err := ensureIndexes(ctx, sc); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur := s.states[tenant]; cur != nil {
		return cur, nil
	}
	s.states[tenant] = fresh
	return fresh, nil
}

// loadState reads a tenant's revision, roles, rules and disabled users from the store.
// The revision is read first, so the content is at least as new as the revision and a
// concurrent change elsewhere only ever causes one extra reload.
func (s *Service) loadState(ctx context.Context, tenant string) (*tenantState, error) {
	if tenant != store.PlatformTenant {
		if _, err := s.tenantDoc(ctx, tenant); err != nil {
			return nil, err
		}
	}
	sc, err := s.scope(tenant)
	if err != nil {
		return nil, err
	}
	rev, _, err := readRev(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("load authorization state of %s: %w", tenant, err)
	}
	roles := map[string]*Role{}
	err = findAll(ctx, sc.Collection(RolesCollection), nil, func(d *store.Doc) error {
		r, err := roleFromDoc(d)
		if err != nil {
			return err
		}
		roles[r.Key] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load roles of %s: %w", tenant, err)
	}
	disabled := map[string]bool{}
	err = findAll(ctx, sc.Collection(UsersCollection), store.Eq("disabled", true), func(d *store.Doc) error {
		disabled[d.ID] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load disabled users of %s: %w", tenant, err)
	}
	enf, err := loadEnforcer(ctx, NewAdapter(sc))
	if err != nil {
		return nil, fmt.Errorf("load authorization state of %s: %w", tenant, err)
	}
	st := &tenantState{tenant: tenant, enf: enf, roles: roles, disabled: disabled, decisions: &decisionCache{}}
	st.rev.Store(rev)
	return st, nil
}

// replaceWith swaps in freshly loaded content, keeping the state's identity.
func (st *tenantState) replaceWith(fresh *tenantState) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.enf, st.roles, st.disabled = fresh.enf, fresh.roles, fresh.disabled
	st.decisions = &decisionCache{}
	st.rev.Store(fresh.rev.Load())
}

// decide answers one enforcer request for a casbin subject, through the decision cache.
// The caller holds st.mu for reading.
func (st *tenantState) decide(sub, obj, act string) (bool, error) {
	key := decisionKey(obj, act)
	if v, ok := st.decisions.get(sub, key); ok {
		return v, nil
	}
	ok, err := st.enf.Enforce(sub, st.tenant, obj, act)
	if err != nil {
		return false, fmt.Errorf("enforce %s %s %s in %s: %w", sub, act, obj, st.tenant, err)
	}
	st.decisions.put(sub, key, ok)
	return ok, nil
}

// policyMeta is the stored policy revision of a tenant.
type policyMeta struct {
	Rev uint64 `json:"rev"`
}

const policyMetaID = "rev"

// readRev returns the stored revision (0 when none yet) and its document.
func readRev(ctx context.Context, sc store.Scope) (uint64, *store.Doc, error) {
	d, err := sc.Collection(PolicyMetaCollection).Get(ctx, policyMetaID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("read policy revision: %w", err)
	}
	var m policyMeta
	if err := fromData(d, &m); err != nil {
		return 0, nil, err
	}
	return m.Rev, d, nil
}

// bumpRev increments the stored revision and returns the previous one. The document's
// optimistic version makes two nodes changing one tenant at once conflict, not interleave.
func bumpRev(ctx context.Context, sc store.Scope) (uint64, error) {
	old, d, err := readRev(ctx, sc)
	if err != nil {
		return 0, err
	}
	data, err := toData(policyMeta{Rev: old + 1})
	if err != nil {
		return 0, err
	}
	c := sc.Collection(PolicyMetaCollection)
	if d == nil {
		err = c.Insert(ctx, &store.Doc{ID: policyMetaID, Data: data})
	} else {
		d.Data = data
		err = c.Update(ctx, d)
	}
	if err != nil {
		return 0, fmt.Errorf("bump policy revision: %w", err)
	}
	return old, nil
}

// policyOp is one rule change, replayed in memory after its transaction commits.
type policyOp struct {
	add    bool
	ptype  string
	rules  [][]string // add
	index  int        // remove: casbin field filter
	values []string
}

// change records what a mutation did, written to the store as it goes and applied to the
// in-memory state once the transaction has committed.
type change struct {
	tenant   string
	ad       *Adapter
	ops      []policyOp
	roles    map[string]*Role // nil value: role deleted
	disabled map[string]bool
	users    map[string]bool // users whose cached principals are dropped
	dropAll  bool            // drop every cached principal of the tenant
}

func (c *change) reset() {
	c.ops, c.roles, c.disabled, c.users, c.dropAll = nil, map[string]*Role{}, map[string]bool{}, map[string]bool{}, false
}

func (c *change) addRules(ctx context.Context, ptype string, rules ...[]string) error {
	if len(rules) == 0 {
		return nil
	}
	if err := c.ad.AddPoliciesCtx(ctx, ptype[:1], ptype, rules); err != nil {
		return err
	}
	c.ops = append(c.ops, policyOp{add: true, ptype: ptype, rules: rules})
	return nil
}

func (c *change) removeRules(ctx context.Context, ptype string, index int, values ...string) error {
	if err := c.ad.RemoveFilteredPolicyCtx(ctx, ptype[:1], ptype, index, values...); err != nil {
		return err
	}
	c.ops = append(c.ops, policyOp{ptype: ptype, index: index, values: values})
	return nil
}

// mutate runs fn in a store transaction of the tenant, bumps the policy revision in the
// same transaction, and on commit applies the recorded change in memory (or reloads the
// whole state when another node changed the tenant meanwhile). It drops the cached
// principals of the users the change touched.
func (s *Service) mutate(ctx context.Context, tenant string, fn func(ctx context.Context, sc store.Scope, c *change) error) error {
	st, err := s.state(ctx, tenant)
	if err != nil {
		return err
	}
	sc, err := s.scope(st.tenant)
	if err != nil {
		return err
	}
	st.writeMu.Lock()
	defer st.writeMu.Unlock()
	c := &change{tenant: st.tenant, ad: NewAdapter(sc)}
	var old uint64
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		c.reset() // an engine may run fn again after a transient failure
		if err := fn(ctx, sc, c); err != nil {
			return err
		}
		prev, err := bumpRev(ctx, sc)
		old = prev
		return err
	})
	if err != nil {
		return err
	}
	defer func() {
		if c.dropAll {
			s.forgetTenant(st.tenant)
		} else {
			s.forgetUsers(st.tenant, c.users)
		}
	}()
	if old == st.rev.Load() {
		err := st.apply(c, old+1)
		if err == nil {
			return nil
		}
		s.log.Warn("apply policy change in memory failed; reloading", "tenant", st.tenant, "error", err.Error())
	}
	// Another process changed the tenant since it was loaded here: read it whole. The
	// change itself is committed, so a failed reload is logged, not returned; reload
	// has dropped the state and the next request loads it again.
	if err := s.reload(ctx, st); err != nil {
		s.log.Error("reload after committed change failed", "tenant", st.tenant, "error", err.Error())
	}
	return nil
}

// reload replaces st's content with the stored one. Callers hold st.writeMu.
func (s *Service) reload(ctx context.Context, st *tenantState) error {
	fresh, err := s.loadState(ctx, st.tenant)
	if err != nil {
		// Forget the state so the next request loads it again rather than trusting it.
		s.mu.Lock()
		if s.states[st.tenant] == st {
			delete(s.states, st.tenant)
		}
		s.mu.Unlock()
		return fmt.Errorf("reload authorization state of %s: %w", st.tenant, err)
	}
	st.replaceWith(fresh)
	return nil
}

// apply replays a committed change on the in-memory state.
func (st *tenantState) apply(c *change, rev uint64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, op := range c.ops {
		var err error
		grouping := strings.HasPrefix(op.ptype, "g")
		switch {
		case op.add && grouping:
			_, err = st.enf.AddNamedGroupingPoliciesEx(op.ptype, op.rules)
		case op.add:
			_, err = st.enf.AddNamedPoliciesEx(op.ptype, op.rules)
		case grouping:
			_, err = st.enf.RemoveFilteredNamedGroupingPolicy(op.ptype, op.index, op.values...)
		default:
			_, err = st.enf.RemoveFilteredNamedPolicy(op.ptype, op.index, op.values...)
		}
		if err != nil {
			return fmt.Errorf("apply policy change: %w", err)
		}
	}
	if len(c.roles) > 0 {
		roles := make(map[string]*Role, len(st.roles)+len(c.roles))
		for k, r := range st.roles {
			roles[k] = r
		}
		for k, r := range c.roles {
			if r == nil {
				delete(roles, k)
			} else {
				roles[k] = r
			}
		}
		st.roles = roles
	}
	for id, d := range c.disabled {
		if d {
			st.disabled[id] = true
		} else {
			delete(st.disabled, id)
		}
	}
	st.decisions = st.decisions.invalidate(c.ops)
	st.rev.Store(rev)
	return nil
}

// SyncPolicies reloads every loaded tenant whose stored policy revision differs from the
// one in memory, so changes made by another node become visible here. Run it on a ticker
// when several nodes share a store (RunPolicySync does).
func (s *Service) SyncPolicies(ctx context.Context) error {
	s.mu.RLock()
	states := make([]*tenantState, 0, len(s.states))
	for _, st := range s.states {
		states = append(states, st)
	}
	s.mu.RUnlock()
	var errs []error
	for _, st := range states {
		if err := s.syncState(ctx, st); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Service) syncState(ctx context.Context, st *tenantState) error {
	sc, err := s.scope(st.tenant)
	if err != nil {
		return err
	}
	rev, _, err := readRev(ctx, sc)
	if err != nil {
		return fmt.Errorf("sync policies of %s: %w", st.tenant, err)
	}
	if rev == st.rev.Load() {
		return nil
	}
	st.writeMu.Lock()
	defer st.writeMu.Unlock()
	if err := s.reload(ctx, st); err != nil {
		return err
	}
	// Roles, attributes or the disabled flag may have changed: forget cached principals.
	s.forgetTenant(st.tenant)
	return nil
}
