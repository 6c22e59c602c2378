package tenants

import (
	"context"
	"errors"
	"fmt"

	"github.com/credolabs/credo/store"
)

// EnsurePlatformAdmin makes sure a platform administrator with this email exists; run it
// at startup. A new administrator gets password, or a generated one when password is ""
// (returned once as generated, never stored in clear). An existing administrator is left
// as is, except that a non-empty password replaces theirs.
func (s *Service) EnsurePlatformAdmin(ctx context.Context, email, password string) (generated string, err error) {
	email = normalizeEmail(email)
	var ps problems
	checkEmail(&ps, "/email", email)
	if password != "" {
		checkPassword(&ps, "/password", password)
	}
	if err := ps.err(); err != nil {
		return "", err
	}
	sc, err := s.scope(store.PlatformTenant)
	if err != nil {
		return "", err
	}
	d, _, err := findUserByEmail(ctx, sc, email)
	switch {
	case err == nil:
		return "", s.refreshPlatformAdmin(ctx, d.ID, password)
	case !errors.Is(err, ErrNotFound):
		return "", fmt.Errorf("ensure platform admin: %w", err)
	}
	if password == "" {
		if password, err = generatePassword(); err != nil {
			return "", err
		}
		generated = password
	}
	hash, err := hashPassword(password, s.opts.Argon2)
	if err != nil {
		return "", err
	}
	err = s.mutate(ctx, store.PlatformTenant, func(ctx context.Context, sc store.Scope, c *change) error {
		if err := putBuiltinAdminRole(ctx, sc, c); err != nil {
			return err
		}
		_, err := insertUser(ctx, sc, c, UserInput{Email: email, Name: "Platform administrator", Roles: []string{AdminRole}}, hash)
		return err
	})
	if errors.Is(err, ErrExists) {
		// Another process created it meanwhile: treat it as existing.
		d, _, ferr := findUserByEmail(ctx, sc, email)
		if ferr != nil {
			return "", fmt.Errorf("ensure platform admin: %w", ferr)
		}
		return "", s.refreshPlatformAdmin(ctx, d.ID, generatedOr(password, generated))
	}
	if err != nil {
		return "", fmt.Errorf("ensure platform admin: %w", err)
	}
	return generated, nil
}

// generatedOr returns "" when password was generated here (so a concurrent creator's
// password is kept), else password.
func generatedOr(password, generated string) string {
	if generated != "" {
		return ""
	}
	return password
}

// refreshPlatformAdmin keeps an existing administrator's admin role and replaces the
// password when one is given.
func (s *Service) refreshPlatformAdmin(ctx context.Context, id, password string) error {
	roles, err := s.userRoles(ctx, store.PlatformTenant, id)
	if err != nil {
		return fmt.Errorf("ensure platform admin: %w", err)
	}
	hasAdmin := false
	for _, r := range roles {
		hasAdmin = hasAdmin || r == AdminRole
	}
	if hasAdmin && password == "" {
		return nil
	}
	var up UserUpdate
	if password != "" {
		up.Password = &password
	}
	if !hasAdmin {
		err := s.mutate(ctx, store.PlatformTenant, func(ctx context.Context, sc store.Scope, c *change) error {
			return putBuiltinAdminRole(ctx, sc, c)
		})
		if err != nil {
			return fmt.Errorf("ensure platform admin: %w", err)
		}
		roles = append(roles, AdminRole)
		up.Roles = &roles
	}
	if _, err := s.UpdateUser(ctx, store.PlatformTenant, id, up); err != nil {
		return fmt.Errorf("ensure platform admin: %w", err)
	}
	return nil
}
