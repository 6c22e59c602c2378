package tenants

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// benchTenant builds a tenant of realistic size: 20 roles of 30 rules, 200 users.
func benchTenant(b *testing.B) (*Service, []*User) {
	b.Helper()
	ctx := context.Background()
	s, _ := newTestService(b, newTestBackend(b), Options{})
	newTenantWithAdmin(b, s, "acme")
	for r := range 20 {
		perms := make([]Permission, 0, 30)
		for f := range 28 {
			perms = append(perms, Permission{Object: FieldObject(fmt.Sprintf("form_%d", r), fmt.Sprintf("field_%d", f)), Action: ActionRead})
		}
		perms = append(perms, Permission{Object: fmt.Sprintf("form:form_%d", r), Action: ActionRead},
			Permission{Object: fmt.Sprintf("form:form_%d/field:secret", r), Action: ActionRead, Effect: EffectDeny})
		newRoleWith(b, s, "acme", fmt.Sprintf("role_%d", r), nil, perms...)
	}
	users := make([]*User, 0, 200)
	for i := range 200 {
		u, err := s.CreateUser(ctx, "acme", UserInput{Email: fmt.Sprintf("u%d@acme.example", i), Password: testPassword,
			Roles: []string{fmt.Sprintf("role_%d", i%20), fmt.Sprintf("role_%d", (i+7)%20)}})
		require.NoError(b, err)
		users = append(users, u)
	}
	return s, users
}

func BenchmarkEnforce(b *testing.B) {
	ctx := context.Background()
	s, users := benchTenant(b)
	u := users[3]
	b.Run("cached decision", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok, err := s.Enforce(ctx, "acme", u.ID, "form:form_3/field:field_7", ActionRead)
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("casbin evaluation", func(b *testing.B) {
		st, err := s.state(ctx, "acme")
		require.NoError(b, err)
		b.ReportAllocs()
		for b.Loop() {
			ok, err := st.enf.Enforce(userSub(u.ID), "acme", "form:form_3/field:field_7", ActionRead)
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("cached decision parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if ok, err := s.Enforce(ctx, "acme", u.ID, "form:form_3/field:field_7", ActionRead); err != nil || !ok {
					b.Fatal(ok, err)
				}
			}
		})
	})
}

func BenchmarkSessionPrincipal(b *testing.B) {
	ctx := context.Background()
	s, _ := newTestService(b, newTestBackend(b), Options{})
	newTenantWithAdmin(b, s, "acme")
	sess, err := s.Login(ctx, "acme", "admin@acme.example", testPassword, "")
	require.NoError(b, err)
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.SessionPrincipal(ctx, sess.Token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.SessionPrincipal(ctx, sess.Token); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("store read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.sessions.drop(sess.Token)
			if _, err := s.SessionPrincipal(ctx, sess.Token); err != nil {
				b.Fatal(err)
			}
		}
	})
}
