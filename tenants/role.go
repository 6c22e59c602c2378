package tenants

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// Role is a named set of permissions of one tenant, with optional row scopes.
type Role struct {
	// Key identifies the role in its tenant (ValidKey).
	Key string `json:"key"`
	// Name is the display name.
	Name string `json:"name"`
	// RowScopes maps a form key to a CEL expression over `record` and `user` that a
	// record must satisfy for holders of this role to see it. A form absent here is not
	// restricted by this role. The runtime compiles and type-checks the expressions.
	RowScopes map[string]string `json:"row_scopes,omitempty"`
	// BuiltIn marks the admin role, which cannot be deleted or restricted.
	BuiltIn   bool      `json:"built_in"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// RoleInput creates a role.
type RoleInput struct {
	Key       string            `json:"key"`
	Name      string            `json:"name"`
	RowScopes map[string]string `json:"row_scopes,omitempty"`
}

// RoleUpdate changes a role; nil fields stay as they are.
type RoleUpdate struct {
	Name *string `json:"name,omitempty"`
	// RowScopes replaces all row scopes of the role when set.
	RowScopes *map[string]string `json:"row_scopes,omitempty"`
}

type roleDoc struct {
	Name      string            `json:"name"`
	RowScopes map[string]string `json:"row_scopes,omitempty"`
	BuiltIn   bool              `json:"built_in,omitempty"`
}

func roleFromDoc(d *store.Doc) (*Role, error) {
	var rd roleDoc
	if err := fromData(d, &rd); err != nil {
		return nil, err
	}
	return &Role{Key: d.ID, Name: rd.Name, RowScopes: rd.RowScopes, BuiltIn: rd.BuiltIn, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}, nil
}

func roleToDoc(r *Role) (*store.Doc, error) {
	data, err := toData(roleDoc{Name: r.Name, RowScopes: r.RowScopes, BuiltIn: r.BuiltIn})
	if err != nil {
		return nil, err
	}
	return &store.Doc{ID: r.Key, Data: data}, nil
}

func checkRowScopes(ps *problems, path string, scopes map[string]string) {
	if len(scopes) > maxRowScopes {
		ps.add(path, CodeTooMany, "a role has at most %d row scopes", maxRowScopes)
		return
	}
	for _, form := range sortedKeys(scopes) {
		p := path + "/" + escapePointer(form)
		expr := scopes[form]
		switch {
		case !ValidKey(form):
			ps.add(p, CodeInvalidKey, "%q is not a form key", form)
		case strings.TrimSpace(expr) == "":
			ps.add(p, CodeRequired, "a row scope needs an expression; leave the form out to not restrict it")
		case len(expr) > maxScopeLength:
			ps.add(p, CodeTooLong, "a row scope has at most %d characters", maxScopeLength)
		}
	}
}

// CreateRole creates a role without permissions (see SetPermissions). A taken key
// returns ErrExists.
func (s *Service) CreateRole(ctx context.Context, tenant string, in RoleInput) (*Role, error) {
	var ps problems
	switch {
	case in.Key == "":
		ps.add("/key", CodeRequired, "a role key is required")
	case !ValidKey(in.Key):
		ps.add("/key", CodeInvalidKey, "a role key is lowercase letters, digits and underscores, starting with a letter (at most 63)")
	}
	checkName(&ps, "/name", in.Name, false)
	checkRowScopes(&ps, "/row_scopes", in.RowScopes)
	if err := ps.err(); err != nil {
		return nil, err
	}
	r := &Role{Key: in.Key, Name: cmp.Or(strings.TrimSpace(in.Name), in.Key), RowScopes: in.RowScopes}
	err := s.mutate(ctx, tenant, func(ctx context.Context, sc store.Scope, c *change) error {
		d, err := roleToDoc(r)
		if err != nil {
			return err
		}
		if err := sc.Collection(RolesCollection).Insert(ctx, d); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fmt.Errorf("role %q: %w", in.Key, ErrExists)
			}
			return err
		}
		r.CreatedAt, r.UpdatedAt = d.CreatedAt, d.UpdatedAt
		c.roles[r.Key] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create role %q in %s: %w", in.Key, tenant, err)
	}
	return r, nil
}

// GetRole returns a role or ErrNotFound.
func (s *Service) GetRole(ctx context.Context, tenant, key string) (*Role, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	d, err := getRoleDoc(ctx, sc, key)
	if err != nil {
		return nil, fmt.Errorf("get role in %s: %w", tenant, err)
	}
	return roleFromDoc(d)
}

func getRoleDoc(ctx context.Context, sc store.Scope, key string) (*store.Doc, error) {
	if !ValidKey(key) {
		return nil, fmt.Errorf("role %q: %w", key, ErrNotFound)
	}
	d, err := sc.Collection(RolesCollection).Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("role %q: %w", key, ErrNotFound)
	}
	return d, err
}

// ListRoles returns the tenant's roles in key order.
func (s *Service) ListRoles(ctx context.Context, tenant string) ([]Role, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	var out []Role
	err = findAll(ctx, sc.Collection(RolesCollection), nil, func(d *store.Doc) error {
		r, err := roleFromDoc(d)
		if err != nil {
			return err
		}
		out = append(out, *r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list roles of %s: %w", tenant, err)
	}
	return out, nil
}

// UpdateRole changes a role's name or row scopes. The admin role takes no row scopes.
func (s *Service) UpdateRole(ctx context.Context, tenant, key string, up RoleUpdate) (*Role, error) {
	var ps problems
	if up.Name != nil {
		checkName(&ps, "/name", *up.Name, true)
	}
	if up.RowScopes != nil {
		checkRowScopes(&ps, "/row_scopes", *up.RowScopes)
		if key == AdminRole && len(*up.RowScopes) > 0 {
			ps.add("/row_scopes", CodeReadOnly, "the admin role sees every record")
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	var r *Role
	err := s.mutate(ctx, tenant, func(ctx context.Context, sc store.Scope, c *change) error {
		d, err := getRoleDoc(ctx, sc, key)
		if err != nil {
			return err
		}
		if r, err = roleFromDoc(d); err != nil {
			return err
		}
		if up.Name != nil {
			r.Name = strings.TrimSpace(*up.Name)
		}
		if up.RowScopes != nil {
			r.RowScopes = maps.Clone(*up.RowScopes)
		}
		nd, err := roleToDoc(r)
		if err != nil {
			return err
		}
		d.Data = nd.Data
		if err := sc.Collection(RolesCollection).Update(ctx, d); err != nil {
			return err
		}
		r.UpdatedAt = d.UpdatedAt
		c.roles[key] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update role %q in %s: %w", key, tenant, err)
	}
	return r, nil
}

// DeleteRole removes a role, its permissions and every assignment of it to users.
func (s *Service) DeleteRole(ctx context.Context, tenant, key string) error {
	if key == AdminRole {
		var ps problems
		ps.add("", CodeReadOnly, "the admin role cannot be deleted")
		return ps.err()
	}
	err := s.mutate(ctx, tenant, func(ctx context.Context, sc store.Scope, c *change) error {
		d, err := getRoleDoc(ctx, sc, key)
		if err != nil {
			return err
		}
		if err := sc.Collection(RolesCollection).Delete(ctx, d.ID, d.Version); err != nil {
			return err
		}
		c.roles[key] = nil
		c.dropAll = true
		if err := c.removeRules(ctx, "p", 0, roleSub(key)); err != nil {
			return err
		}
		return c.removeRules(ctx, "g", 1, roleSub(key))
	})
	if err != nil {
		return fmt.Errorf("delete role %q in %s: %w", key, tenant, err)
	}
	return nil
}

// SetPermissions replaces a role's permissions. They are validated first (see
// ValidatePermissions); the admin role's single allow-everything rule cannot be changed.
func (s *Service) SetPermissions(ctx context.Context, tenant, role string, perms []Permission) error {
	return s.setPermissions(ctx, tenant, role, perms, nil)
}

// SetPermissionsAt is SetPermissions on condition that the tenant's policy is still at
// revision (PolicyRevision, as read with the permissions being replaced); ErrStale when
// anything changed it since, so two administrators editing at once do not overwrite
// each other unseen.
func (s *Service) SetPermissionsAt(ctx context.Context, tenant, role string, perms []Permission, revision uint64) error {
	return s.setPermissions(ctx, tenant, role, perms, &revision)
}

// PolicyRevision is the tenant's stored policy revision: it grows with every change of
// its rules, roles or users' roles.
func (s *Service) PolicyRevision(ctx context.Context, tenant string) (uint64, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return 0, err
	}
	rev, _, err := readRev(ctx, sc)
	return rev, err
}

func (s *Service) setPermissions(ctx context.Context, tenant, role string, perms []Permission, revision *uint64) error {
	if role == AdminRole {
		var ps problems
		ps.add("", CodeReadOnly, "the admin role always has every permission")
		return ps.err()
	}
	if err := ValidatePermissions(perms); err != nil {
		return err
	}
	err := s.mutate(ctx, tenant, func(ctx context.Context, sc store.Scope, c *change) error {
		if _, err := getRoleDoc(ctx, sc, role); err != nil {
			return err
		}
		if revision != nil {
			cur, _, err := readRev(ctx, sc)
			if err != nil {
				return err
			}
			if cur != *revision {
				return fmt.Errorf("revision %d, now %d: %w", *revision, cur, ErrStale)
			}
		}
		if err := c.removeRules(ctx, "p", 0, roleSub(role)); err != nil {
			return err
		}
		rules := make([][]string, 0, len(perms))
		for _, p := range perms {
			rules = append(rules, []string{roleSub(role), c.tenant, p.Object, p.Action, p.effect()})
		}
		return c.addRules(ctx, "p", rules...)
	})
	if err != nil {
		return fmt.Errorf("set permissions of role %q in %s: %w", role, tenant, err)
	}
	return nil
}

// Permissions returns a role's permissions ordered by object, action and effect.
func (s *Service) Permissions(ctx context.Context, tenant, role string) ([]Permission, error) {
	st, err := s.state(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("permissions of role %q in %s: %w", role, tenant, err)
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.roles[role] == nil {
		return nil, fmt.Errorf("permissions of role %q in %s: %w", role, tenant, ErrNotFound)
	}
	rules, err := st.enf.GetFilteredNamedPolicy("p", 0, roleSub(role))
	if err != nil {
		return nil, fmt.Errorf("permissions of role %q in %s: %w", role, tenant, err)
	}
	out := make([]Permission, 0, len(rules))
	for _, r := range rules {
		if len(r) == 5 {
			out = append(out, Permission{Object: r[2], Action: r[3], Effect: r[4]})
		}
	}
	slices.SortFunc(out, func(a, b Permission) int {
		return cmp.Or(cmp.Compare(a.Object, b.Object), cmp.Compare(a.Action, b.Action), cmp.Compare(a.Effect, b.Effect))
	})
	return out, nil
}
