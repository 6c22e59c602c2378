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

// User is a member of one tenant (or a platform administrator in the platform scope).
type User struct {
	// ID is the user's stable id; it is the casbin subject, so changing the email keeps rights.
	ID     string `json:"id"`
	Tenant string `json:"tenant"`
	// Email is the login name, unique in the tenant, stored lower-cased.
	Email string `json:"email"`
	Name  string `json:"name"`
	// Roles are the keys of the user's roles, sorted.
	Roles []string `json:"roles"`
	// Attrs are free attributes row scopes may read as `user.attrs` (e.g. channel, branch).
	Attrs map[string]string `json:"attrs,omitempty"`
	// Manager is the id of the user's manager, for flows that route to "the manager".
	Manager string `json:"manager,omitempty"`
	// Disabled users cannot log in, their sessions end and every permission is denied.
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UserInput creates a user.
type UserInput struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	// Password must have at least MinPasswordLength characters.
	Password string            `json:"password"`
	Roles    []string          `json:"roles,omitempty"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Manager  string            `json:"manager,omitempty"`
}

// UserUpdate changes a user; nil fields stay as they are.
type UserUpdate struct {
	Email *string `json:"email,omitempty"`
	Name  *string `json:"name,omitempty"`
	// Password, when set, replaces the password and ends the user's sessions.
	Password *string `json:"password,omitempty"`
	// Roles replaces all of the user's roles when set.
	Roles *[]string `json:"roles,omitempty"`
	// Attrs replaces all of the user's attributes when set.
	Attrs *map[string]string `json:"attrs,omitempty"`
	// Manager sets the manager's id; "" clears it.
	Manager *string `json:"manager,omitempty"`
	// Disabled true ends the user's sessions and denies everything until set false again.
	Disabled *bool `json:"disabled,omitempty"`
}

// ListOptions pages a listing.
type ListOptions struct {
	// Limit caps the page (default 50, at most store.MaxLimit).
	Limit int
	// Cursor continues after the previous page (its next value).
	Cursor string
}

type userDoc struct {
	Email    string            `json:"email"`
	Name     string            `json:"name"`
	Password string            `json:"password"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Manager  string            `json:"manager,omitempty"`
	Disabled bool              `json:"disabled"`
}

func (u *userDoc) user(tenant string, d *store.Doc, roles []string) *User {
	return &User{ID: d.ID, Tenant: tenant, Email: u.Email, Name: u.Name, Roles: roles, Attrs: u.Attrs,
		Manager: u.Manager, Disabled: u.Disabled, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

func checkRoleKeys(ps *problems, path string, roles []string) {
	seen := map[string]bool{}
	for i, r := range roles {
		p := fmt.Sprintf("%s/%d", path, i)
		switch {
		case !ValidKey(r):
			ps.add(p, CodeInvalidKey, "%q is not a role key", r)
		case seen[r]:
			ps.add(p, CodeDuplicate, "the role %q is listed twice", r)
		}
		seen[r] = true
	}
}

// checkUserInput validates what can be checked without the store; in.Email is normalized.
func checkUserInput(ps *problems, prefix string, in UserInput) {
	checkEmail(ps, prefix+"/email", in.Email)
	checkName(ps, prefix+"/name", in.Name, false)
	checkPassword(ps, prefix+"/password", in.Password)
	checkRoleKeys(ps, prefix+"/roles", in.Roles)
	checkAttrs(ps, prefix+"/attrs", in.Attrs)
}

// checkRefs verifies in the store that roles and the manager exist.
func checkRefs(ctx context.Context, sc store.Scope, prefix, self string, roles []string, manager *string) error {
	var ps problems
	for i, r := range roles {
		if _, err := getRoleDoc(ctx, sc, r); errors.Is(err, ErrNotFound) {
			ps.add(fmt.Sprintf("%s/roles/%d", prefix, i), CodeUnknownRole, "the tenant has no role %q", r)
		} else if err != nil {
			return err
		}
	}
	if manager != nil && *manager != "" {
		if *manager == self {
			ps.add(prefix+"/manager", CodeInvalid, "a user cannot be their own manager")
		} else if _, err := sc.Collection(UsersCollection).Get(ctx, *manager); errors.Is(err, store.ErrNotFound) {
			ps.add(prefix+"/manager", CodeUnknownUser, "the tenant has no user %q", *manager)
		} else if err != nil {
			return err
		}
	}
	return ps.err()
}

// emailTaken reports whether another user of the scope has the email. The unique index
// catches a race; this check gives the common case a clear error on every engine.
func emailTaken(ctx context.Context, sc store.Scope, email, self string) (bool, error) {
	page, err := sc.Collection(UsersCollection).Find(ctx, store.Query{Filter: store.Eq("email", email), Limit: 2})
	if err != nil {
		return false, err
	}
	for _, d := range page.Docs {
		if d.ID != self {
			return true, nil
		}
	}
	return false, nil
}

// insertUser stores a validated user and its role assignments.
func insertUser(ctx context.Context, sc store.Scope, c *change, in UserInput, hash string) (*User, error) {
	if err := checkRefs(ctx, sc, "", "", in.Roles, &in.Manager); err != nil {
		return nil, err
	}
	if taken, err := emailTaken(ctx, sc, in.Email, ""); err != nil {
		return nil, err
	} else if taken {
		return nil, fmt.Errorf("user %q: %w", in.Email, ErrExists)
	}
	ud := userDoc{Email: in.Email, Name: strings.TrimSpace(in.Name), Password: hash, Attrs: in.Attrs, Manager: in.Manager}
	data, err := toData(ud)
	if err != nil {
		return nil, err
	}
	d := &store.Doc{ID: store.NewID(), Data: data}
	if err := sc.Collection(UsersCollection).Insert(ctx, d); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return nil, fmt.Errorf("user %q: %w", in.Email, ErrExists)
		}
		return nil, err
	}
	roles := slices.Sorted(slices.Values(in.Roles))
	rules := make([][]string, 0, len(roles))
	for _, r := range roles {
		rules = append(rules, []string{userSub(d.ID), roleSub(r), c.tenant})
	}
	if err := c.addRules(ctx, "g", rules...); err != nil {
		return nil, err
	}
	c.users[d.ID] = true
	if roles == nil {
		roles = []string{}
	}
	return ud.user(c.tenant, d, roles), nil
}

// CreateUser creates a user of tenant with the given roles. Bad input (email, password,
// unknown role or manager…) returns a *ValidationError; a taken email returns ErrExists.
func (s *Service) CreateUser(ctx context.Context, tenant string, in UserInput) (*User, error) {
	in.Email = normalizeEmail(in.Email)
	var ps problems
	checkUserInput(&ps, "", in)
	if err := ps.err(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(in.Password, s.opts.Argon2)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.mutate(ctx, tenant, func(ctx context.Context, sc store.Scope, c *change) error {
		u, err = insertUser(ctx, sc, c, in, hash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create user in %s: %w", tenant, err)
	}
	return u, nil
}

// userRoles returns the sorted role keys of a user from the tenant's loaded state.
func (s *Service) userRoles(ctx context.Context, tenant, id string) ([]string, error) {
	st, err := s.state(ctx, tenant)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	roles := rolesOf(st.enf, st.tenant, id)
	st.mu.RUnlock()
	slices.Sort(roles)
	return roles, nil
}

func getUserDoc(ctx context.Context, sc store.Scope, id string) (*store.Doc, *userDoc, error) {
	d, err := sc.Collection(UsersCollection).Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("user %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("get user %q: %w", id, err)
	}
	var ud userDoc
	if err := fromData(d, &ud); err != nil {
		return nil, nil, err
	}
	return d, &ud, nil
}

// GetUser returns a user by id or ErrNotFound.
func (s *Service) GetUser(ctx context.Context, tenant, id string) (*User, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	d, ud, err := getUserDoc(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	roles, err := s.userRoles(ctx, sc.Tenant(), id)
	if err != nil {
		return nil, err
	}
	return ud.user(sc.Tenant(), d, roles), nil
}

// Names answers the display names of users by id (the email for a user without a
// name), for answers that refer to people by id; ids of no user are left out.
func (s *Service) Names(ctx context.Context, tenant string, ids []string) (map[string]string, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		if _, done := out[id]; done || id == "" {
			continue
		}
		_, ud, err := getUserDoc(ctx, sc, id)
		if errors.Is(err, ErrNotFound) || errors.Is(err, store.ErrInvalid) { // not a user id at all
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = cmp.Or(ud.Name, ud.Email)
	}
	return out, nil
}

// findUserByEmail returns the user document with the (normalized) email, or ErrNotFound.
func findUserByEmail(ctx context.Context, sc store.Scope, email string) (*store.Doc, *userDoc, error) {
	page, err := sc.Collection(UsersCollection).Find(ctx, store.Query{Filter: store.Eq("email", email), Limit: 1})
	if err != nil {
		return nil, nil, fmt.Errorf("find user by email: %w", err)
	}
	if len(page.Docs) == 0 {
		return nil, nil, fmt.Errorf("user %q: %w", email, ErrNotFound)
	}
	var ud userDoc
	if err := fromData(page.Docs[0], &ud); err != nil {
		return nil, nil, err
	}
	return page.Docs[0], &ud, nil
}

// UserByEmail returns the user with that email (any case) or ErrNotFound.
func (s *Service) UserByEmail(ctx context.Context, tenant, email string) (*User, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	d, ud, err := findUserByEmail(ctx, sc, normalizeEmail(email))
	if err != nil {
		return nil, err
	}
	roles, err := s.userRoles(ctx, sc.Tenant(), d.ID)
	if err != nil {
		return nil, err
	}
	return ud.user(sc.Tenant(), d, roles), nil
}

// ListUsers returns one page of the tenant's users in creation order and the cursor of
// the next page ("" on the last).
func (s *Service) ListUsers(ctx context.Context, tenant string, lo ListOptions) ([]User, string, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return nil, "", err
	}
	st, err := s.state(ctx, sc.Tenant())
	if err != nil {
		return nil, "", err
	}
	page, err := sc.Collection(UsersCollection).Find(ctx, store.Query{
		Sort: []store.Sort{{Field: store.FieldID}}, Limit: lo.Limit, Cursor: lo.Cursor,
	})
	if err != nil {
		return nil, "", fmt.Errorf("list users of %s: %w", tenant, err)
	}
	out := make([]User, 0, len(page.Docs))
	st.mu.RLock()
	defer st.mu.RUnlock()
	for _, d := range page.Docs {
		var ud userDoc
		if err := fromData(d, &ud); err != nil {
			return nil, "", err
		}
		roles := rolesOf(st.enf, st.tenant, d.ID)
		slices.Sort(roles)
		out = append(out, *ud.user(sc.Tenant(), d, roles))
	}
	return out, page.Next, nil
}

func checkUserUpdate(ps *problems, up *UserUpdate) {
	if up.Email != nil {
		e := normalizeEmail(*up.Email)
		up.Email = &e
		checkEmail(ps, "/email", e)
	}
	if up.Name != nil {
		checkName(ps, "/name", *up.Name, false)
	}
	if up.Password != nil {
		checkPassword(ps, "/password", *up.Password)
	}
	if up.Roles != nil {
		checkRoleKeys(ps, "/roles", *up.Roles)
	}
	if up.Attrs != nil {
		checkAttrs(ps, "/attrs", *up.Attrs)
	}
}

// UpdateUser changes a user. Changing the password or disabling the user ends their
// sessions; every change drops the user's cached principals and bumps PolicyVersion.
func (s *Service) UpdateUser(ctx context.Context, tenant, id string, up UserUpdate) (*User, error) {
	var ps problems
	checkUserUpdate(&ps, &up)
	if err := ps.err(); err != nil {
		return nil, err
	}
	var hash string
	if up.Password != nil {
		var err error
		if hash, err = hashPassword(*up.Password, s.opts.Argon2); err != nil {
			return nil, err
		}
	}
	var u *User
	err := s.mutate(ctx, tenant, func(ctx context.Context, sc store.Scope, c *change) error {
		d, ud, err := getUserDoc(ctx, sc, id)
		if err != nil {
			return err
		}
		var roles []string
		if up.Roles != nil {
			roles = *up.Roles
		}
		if err := checkRefs(ctx, sc, "", id, roles, up.Manager); err != nil {
			return err
		}
		if up.Email != nil && *up.Email != ud.Email {
			if taken, err := emailTaken(ctx, sc, *up.Email, id); err != nil {
				return err
			} else if taken {
				return fmt.Errorf("user %q: %w", *up.Email, ErrExists)
			}
			ud.Email = *up.Email
		}
		endSessions := false
		if up.Name != nil {
			ud.Name = strings.TrimSpace(*up.Name)
		}
		if up.Password != nil {
			ud.Password, endSessions = hash, true
		}
		if up.Attrs != nil {
			ud.Attrs = maps.Clone(*up.Attrs)
		}
		if up.Manager != nil {
			ud.Manager = *up.Manager
		}
		if up.Disabled != nil && *up.Disabled != ud.Disabled {
			ud.Disabled = *up.Disabled
			c.disabled[id] = ud.Disabled
			endSessions = endSessions || ud.Disabled
		}
		if d.Data, err = toData(ud); err != nil {
			return err
		}
		if err := sc.Collection(UsersCollection).Update(ctx, d); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fmt.Errorf("user %q: %w", ud.Email, ErrExists)
			}
			return err
		}
		if up.Roles != nil {
			if err := c.removeRules(ctx, "g", 0, userSub(id)); err != nil {
				return err
			}
			rules := make([][]string, 0, len(roles))
			for _, r := range slices.Sorted(slices.Values(roles)) {
				rules = append(rules, []string{userSub(id), roleSub(r), c.tenant})
			}
			if err := c.addRules(ctx, "g", rules...); err != nil {
				return err
			}
		}
		if endSessions {
			if err := deleteUserSessions(ctx, sc, id); err != nil {
				return err
			}
		}
		c.users[id] = true
		u = ud.user(c.tenant, d, nil)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update user %q in %s: %w", id, tenant, err)
	}
	if u.Roles, err = s.userRoles(ctx, u.Tenant, id); err != nil {
		return nil, err
	}
	return u, nil
}

// UsersWithRole returns the ids of the users holding role in tenant, sorted: the
// candidates of a task addressed to the role.
func (s *Service) UsersWithRole(ctx context.Context, tenant, role string) ([]string, error) {
	st, err := s.state(ctx, tenant)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	subs := st.enf.GetUsersForRoleInDomain(rolePrefix+role, st.tenant)
	st.mu.RUnlock()
	out := make([]string, 0, len(subs))
	for _, sub := range subs {
		if id, ok := strings.CutPrefix(sub, userPrefix); ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

// ManagerOf returns the id of the user's manager, "" when none is set.
func (s *Service) ManagerOf(ctx context.Context, tenant, user string) (string, error) {
	u, err := s.GetUser(ctx, tenant, user)
	if err != nil {
		return "", err
	}
	return u.Manager, nil
}
