package tenants

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// Tenant statuses.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
)

// Tenant is one lender using the platform.
type Tenant struct {
	// Slug is the tenant's key in URLs and its store scope.
	Slug string `json:"slug"`
	// Name is the display name.
	Name string `json:"name"`
	// Status is StatusActive or StatusSuspended; nobody of a suspended tenant can log in.
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TenantInput creates a tenant.
type TenantInput struct {
	// Slug: 3 to 32 lowercase letters, digits or hyphens (store.ValidTenant), not reserved.
	Slug string `json:"slug"`
	// Name is the display name (required).
	Name string `json:"name"`
	// Admin, when set, is the tenant's first user; it always gets the admin role.
	Admin *UserInput `json:"admin,omitempty"`
}

type tenantDoc struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

func tenantFromDoc(d *store.Doc) (*Tenant, error) {
	var td tenantDoc
	if err := fromData(d, &td); err != nil {
		return nil, err
	}
	return &Tenant{Slug: d.ID, Name: td.Name, Status: td.Status, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}, nil
}

func (s *Service) tenantsColl() (store.Collection, error) {
	sc, err := s.scope(store.PlatformTenant)
	if err != nil {
		return nil, err
	}
	return sc.Collection(TenantsCollection), nil
}

// tenantDoc reads a tenant's document from the platform scope.
func (s *Service) tenantDoc(ctx context.Context, slug string) (*store.Doc, error) {
	if !store.ValidTenant(slug) {
		return nil, fmt.Errorf("tenant %q: %w", slug, ErrNotFound)
	}
	c, err := s.tenantsColl()
	if err != nil {
		return nil, err
	}
	d, err := c.Get(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("tenant %q: %w", slug, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get tenant %q: %w", slug, err)
	}
	return d, nil
}

// CreateTenant creates a tenant with the built-in admin role (every permission) and,
// when in.Admin is set, its first user holding that role. Bad input returns a
// *ValidationError (paths /slug, /name, /admin/…) and changes nothing; a taken slug
// returns ErrExists.
func (s *Service) CreateTenant(ctx context.Context, in TenantInput) (*Tenant, error) {
	var ps problems
	checkSlug(&ps, "/slug", in.Slug)
	checkName(&ps, "/name", in.Name, true)
	if in.Admin != nil {
		admin := *in.Admin
		admin.Email = normalizeEmail(admin.Email)
		checkUserInput(&ps, "/admin", admin)
		for i, r := range admin.Roles {
			if r != AdminRole {
				ps.add(fmt.Sprintf("/admin/roles/%d", i), CodeUnknownRole, "a new tenant has only the %q role", AdminRole)
			}
		}
		in.Admin = &admin
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	var hash string
	if in.Admin != nil {
		var err error
		if hash, err = hashPassword(in.Admin.Password, s.opts.Argon2); err != nil {
			return nil, err
		}
	}
	c, err := s.tenantsColl()
	if err != nil {
		return nil, err
	}
	data, err := toData(tenantDoc{Name: in.Name, Status: StatusActive})
	if err != nil {
		return nil, err
	}
	doc := &store.Doc{ID: in.Slug, Data: data}
	if err := c.Insert(ctx, doc); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return nil, fmt.Errorf("create tenant %q: %w", in.Slug, ErrExists)
		}
		return nil, fmt.Errorf("create tenant %q: %w", in.Slug, err)
	}
	if err := s.provisionTenant(ctx, in, hash); err != nil {
		// Undo the registration so the slug can be tried again; the tenant's own writes
		// were one transaction and rolled back with the error.
		if derr := c.Delete(ctx, in.Slug, 0); derr != nil {
			s.log.Error("undo tenant registration failed", "tenant", in.Slug, "error", derr.Error())
		}
		s.forgetState(in.Slug)
		return nil, fmt.Errorf("create tenant %q: %w", in.Slug, err)
	}
	return tenantFromDoc(doc)
}

// provisionTenant writes the admin role, its rule and the optional first user.
func (s *Service) provisionTenant(ctx context.Context, in TenantInput, hash string) error {
	return s.mutate(ctx, in.Slug, func(ctx context.Context, sc store.Scope, c *change) error {
		if err := putBuiltinAdminRole(ctx, sc, c); err != nil {
			return err
		}
		if in.Admin == nil {
			return nil
		}
		admin := *in.Admin
		admin.Roles = []string{AdminRole}
		_, err := insertUser(ctx, sc, c, admin, hash)
		return err
	})
}

// putBuiltinAdminRole creates the admin role and its allow-everything rule when missing.
func putBuiltinAdminRole(ctx context.Context, sc store.Scope, c *change) error {
	roles := sc.Collection(RolesCollection)
	if _, err := roles.Get(ctx, AdminRole); errors.Is(err, store.ErrNotFound) {
		r := &Role{Key: AdminRole, Name: "Administrator", BuiltIn: true}
		d, err := roleToDoc(r)
		if err != nil {
			return err
		}
		if err := roles.Insert(ctx, d); err != nil {
			return fmt.Errorf("create admin role: %w", err)
		}
		r.CreatedAt, r.UpdatedAt = d.CreatedAt, d.UpdatedAt
		c.roles[AdminRole] = r
	} else if err != nil {
		return fmt.Errorf("get admin role: %w", err)
	}
	return c.addRules(ctx, "p", []string{roleSub(AdminRole), c.tenant, "*", ActionAll, EffectAllow})
}

func (s *Service) forgetState(tenant string) {
	s.mu.Lock()
	delete(s.states, tenant)
	s.mu.Unlock()
}

// GetTenant returns a tenant or ErrNotFound.
func (s *Service) GetTenant(ctx context.Context, slug string) (*Tenant, error) {
	d, err := s.tenantDoc(ctx, slug)
	if err != nil {
		return nil, err
	}
	return tenantFromDoc(d)
}

// ListTenants returns every tenant in slug order.
func (s *Service) ListTenants(ctx context.Context) ([]Tenant, error) {
	c, err := s.tenantsColl()
	if err != nil {
		return nil, err
	}
	var out []Tenant
	err = findAll(ctx, c, nil, func(d *store.Doc) error {
		t, err := tenantFromDoc(d)
		if err != nil {
			return err
		}
		out = append(out, *t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	return out, nil
}

// SetTenantStatus activates or suspends a tenant. Suspension refuses new logins at once
// and ends this process's cached sessions and tokens of the tenant; other processes see it
// within Options.PrincipalCacheTTL.
func (s *Service) SetTenantStatus(ctx context.Context, slug, status string) error {
	if status != StatusActive && status != StatusSuspended {
		var ps problems
		ps.add("/status", CodeInvalidStatus, "the status is %q or %q", StatusActive, StatusSuspended)
		return ps.err()
	}
	d, err := s.tenantDoc(ctx, slug)
	if err != nil {
		return err
	}
	var td tenantDoc
	if err := fromData(d, &td); err != nil {
		return err
	}
	if td.Status == status {
		return nil
	}
	td.Status = status
	if d.Data, err = toData(td); err != nil {
		return err
	}
	c, err := s.tenantsColl()
	if err != nil {
		return err
	}
	if err := c.Update(ctx, d); err != nil {
		return fmt.Errorf("set status of tenant %q: %w", slug, err)
	}
	s.forgetTenant(slug)
	return nil
}
