package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/credolabs/credo/plugins/host"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/tenants"
)

// The demo tenant: what `make run` starts with, so a newcomer can log in and look around.
const (
	demoSlug     = "demo"
	demoPassword = "credo-demo-2026"
)

type demoRole struct {
	key, name string
	rowScopes map[string]string
	perms     []tenants.Permission
}

func allow(obj, act string) tenants.Permission { return tenants.Permission{Object: obj, Action: act} }
func deny(obj, act string) tenants.Permission {
	return tenants.Permission{Object: obj, Action: act, Effect: "deny"}
}

// demoRoles gives each role of a lender the rights its job needs and no more: the roles
// the starter app's flows address.
func demoRoles() []demoRole {
	loan, cust, acct, cases := "form:loan_application", "form:customer", "form:loan_account", "form:collection_case"
	f := func(form, field string) string { return form + "/field:" + field }
	masked := func(form string, fields ...string) []tenants.Permission {
		var out []tenants.Permission
		for _, fl := range fields {
			out = append(out, deny(f(form, fl), "read"), allow(f(form, fl), "read_masked"))
		}
		return out
	}
	// Collectors see the case and the loan, not the applicant's finances, and personal
	// data masked; they record contacts on their cases.
	collector := []tenants.Permission{
		allow(loan, "read"), allow(loan+"/*", "read"),
		allow(cust, "read"), allow(cust+"/*", "read_masked"),
		allow(acct, "read"), allow(acct+"/*", "read"),
		allow(cases, "read"), allow(cases, "update"), allow(cases+"/*", "read"),
		allow(f(cases, "contact_result"), "update"), allow(f(cases, "last_effective_contact"), "update"),
		allow(f(cases, "promised_date"), "update"), allow(f(cases, "contacts"), "update"),
	}
	collector = append(collector, masked(loan, "mobile_phone", "id_number", "disbursement_card", "emergency_contacts")...)
	collector = append(collector, masked(acct, "mobile_phone")...)
	collector = append(collector, masked(cases, "mobile_phone")...)
	for _, h := range []string{"monthly_income", "other_income", "monthly_debt", "annual_income", "debt_to_income",
		"credit_card_limit_total", "existing_loans_count"} {
		collector = append(collector, deny(f(loan, h), "read"))
	}
	reviewer := []tenants.Permission{
		allow(loan, "create"), allow(loan, "read"), allow(loan, "update"), allow(loan, "export"),
		allow(loan+"/*", "read"), allow(loan+"/*", "update"),
		allow(cust, "read"), allow(cust, "create"), allow(cust, "update"), allow(cust+"/*", "read"), allow(cust+"/*", "update"),
		allow(acct, "read"), allow(acct+"/*", "read"),
	}
	// Approvers and finance decide on what reviewers prepared: they read it all and
	// change only the approved limit.
	decider := []tenants.Permission{
		allow(loan, "read"), allow(loan, "update"), allow(loan+"/*", "read"), allow(f(loan, "approved_limit"), "update"),
		allow(acct, "read"), allow(acct+"/*", "read"),
	}
	officer := append([]tenants.Permission{allow(acct, "create"), allow(acct, "update"), allow(acct+"/*", "update")}, decider...)
	lead := append([]tenants.Permission{allow("admin:tasks", "read"), allow(cases, "export")}, collector...)
	return []demoRole{
		{key: "credit_reviewer", name: "Credit reviewer / 信审员", perms: reviewer},
		{key: "senior_reviewer", name: "Senior credit reviewer / 高级信审员", perms: append([]tenants.Permission{allow("admin:tasks", "read")}, reviewer...)},
		{key: "approver", name: "Limit approver / 额度审批人", perms: decider},
		{key: "loan_officer", name: "Loan officer / 客户经理", perms: officer},
		{key: "finance", name: "Finance / 财务", perms: officer},
		{key: "collector", name: "Collector (M1) / 催收员（M1）", perms: collector},
		{key: "collector_m2", name: "Collector (M2) / 催收员（M2）", perms: collector},
		{key: "collection_lead", name: "Collection team lead / 催收组长", perms: lead},
		{key: "legal", name: "Legal / 法务", perms: collector},
		{key: "channel_manager", name: "Channel manager / 渠道经理",
			rowScopes: map[string]string{"loan_application": "record.channel == user.attrs.channel"},
			perms: []tenants.Permission{
				allow(loan, "create"), allow(loan, "read"), allow(loan+"/*", "read_masked"), allow(loan+"/*", "update"),
			}},
		{key: "auditor", name: "Auditor / 审计", perms: []tenants.Permission{
			allow(loan, "read"), allow(loan+"/*", "read_masked"),
			allow(cust, "read"), allow(cust+"/*", "read_masked"),
			allow(acct, "read"), allow(acct+"/*", "read_masked"),
			allow(cases, "read"), allow(cases+"/*", "read_masked"),
			allow("admin:audit", "read"), allow("admin:users", "read"), allow("admin:roles", "read"), allow("admin:definitions", "read"),
		}},
	}
}

type demoUser struct {
	email, name, role string
	attrs             map[string]string
}

var demoUsers = []demoUser{
	{"reviewer@demo.credo", "王芳 (credit reviewer)", "credit_reviewer", nil},
	{"reviewer2@demo.credo", "刘洋 (credit reviewer)", "credit_reviewer", nil},
	{"senior@demo.credo", "孙丽 (senior reviewer)", "senior_reviewer", nil},
	{"approver@demo.credo", "周杰 (limit approver)", "approver", nil},
	{"approver2@demo.credo", "吴敏 (limit approver)", "approver", nil},
	{"officer@demo.credo", "郑浩 (loan officer)", "loan_officer", nil},
	{"finance@demo.credo", "钱琳 (finance)", "finance", nil},
	{"collector@demo.credo", "李强 (collector)", "collector", nil},
	{"collector2@demo.credo", "何静 (M2 collector)", "collector_m2", nil},
	{"lead@demo.credo", "冯涛 (collection lead)", "collection_lead", nil},
	{"legal@demo.credo", "蒋宁 (legal)", "legal", nil},
	{"channel@demo.credo", "赵敏 (online channel manager)", "channel_manager", map[string]string{"channel": "online"}},
	{"auditor@demo.credo", "陈静 (auditor)", "auditor", nil},
}

// seedDemo creates the demo tenant once; a restart leaves it as it is.
func seedDemo(ctx context.Context, a *app, addr string, out io.Writer) error {
	if _, err := a.tenants.GetTenant(ctx, demoSlug); err == nil {
		printDemoLogins(out, addr)
		return nil
	} else if !errors.Is(err, tenants.ErrNotFound) {
		return err
	}
	adminEmail := "admin@demo.credo"
	if _, err := a.tenants.CreateTenant(ctx, tenants.TenantInput{Slug: demoSlug, Name: "Demo Lending Co. / 演示贷款公司",
		Admin: &tenants.UserInput{Email: adminEmail, Name: "Demo administrator", Password: demoPassword}}); err != nil {
		return err
	}
	admin, err := a.tenants.UserByEmail(ctx, demoSlug, adminEmail)
	if err != nil {
		return err
	}
	actor := form.Actor{Tenant: demoSlug, UserID: admin.ID, Roles: admin.Roles, Client: "seed"}
	if _, err := a.builder.InstallPack(ctx, actor, "lending"); err != nil {
		return err
	}
	for _, r := range demoRoles() {
		if _, err := a.tenants.CreateRole(ctx, demoSlug, tenants.RoleInput{Key: r.key, Name: r.name, RowScopes: r.rowScopes}); err != nil {
			return fmt.Errorf("role %s: %w", r.key, err)
		}
		if err := a.tenants.SetPermissions(ctx, demoSlug, r.key, r.perms); err != nil {
			return fmt.Errorf("permissions of %s: %w", r.key, err)
		}
	}
	for _, u := range demoUsers {
		if _, err := a.tenants.CreateUser(ctx, demoSlug, tenants.UserInput{Email: u.email, Name: u.name,
			Password: demoPassword, Roles: []string{u.role}, Attrs: u.attrs}); err != nil {
			return fmt.Errorf("user %s: %w", u.email, err)
		}
	}
	if err := seedDecisions(ctx, a, admin.ID, out); err != nil {
		return err
	}
	if err := seedApplications(ctx, a, actor); err != nil {
		return err
	}
	printDemoLogins(out, addr)
	return nil
}

func printDemoLogins(out io.Writer, addr string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	base := "http://" + net.JoinHostPort(host, port)
	_, _ = fmt.Fprintf(out, "\nDemo tenant %q — every password is %q:\n", demoSlug, demoPassword)
	_, _ = fmt.Fprintf(out, "  %-24s %s\n", "admin@demo.credo", "admin (everything)")
	for _, u := range demoUsers {
		_, _ = fmt.Fprintf(out, "  %-24s %s\n", u.email, u.role)
	}
	_, _ = fmt.Fprintf(out, "Log in: curl -c jar -H 'Content-Type: application/json' -d '{\"tenant\":\"demo\",\"email\":\"reviewer@demo.credo\",\"password\":\"%s\"}' %s/api/v1/auth/login\n\n", demoPassword, base)
}

// The reference plugins the demo tenant is bound to when they are installed.
var demoPlugins = []struct{ kind, name string }{
	{host.KindScorer, "credo-scorecard"},
	{host.KindFraudDetector, "credo-antifraud"},
}

// seedDecisions binds the demo tenant to the newest installed version of each reference
// plugin, so the sample applications are scored and checked as they are created.
func seedDecisions(ctx context.Context, a *app, adminID string, out io.Writer) error {
	if a.plugins == nil {
		_, _ = fmt.Fprintln(out, "No plugin directory (CREDO_PLUGIN_DIR): demo applications keep their decisions pending.")
		return nil
	}
	catalog := a.plugins.Catalog()
	for _, p := range demoPlugins {
		newest := host.Newest(catalog, p.name, p.kind)
		if newest == nil {
			_, _ = fmt.Fprintf(out, "Plugin %s is not installed: demo %s decisions stay pending.\n", p.name, p.kind)
			continue
		}
		if _, err := a.plugins.Bind(ctx, demoSlug, p.kind, newest.Name, newest.Version, nil, adminID, 0, nil); err != nil {
			return fmt.Errorf("bind demo %s: %w", p.kind, err)
		}
	}
	return nil
}
