package server_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/schemas"
)

// lender is one tenant set up through the API the way an administrator would: the
// lending loan form published, roles with field permissions, one user per role.
type lender struct {
	slug      string
	admin     *client
	reviewer  *client
	collector *client
	channel   *client
	auditor   *client
	userIDs   map[string]string
}

const loanForm = "loan_application"

func (e *testEnv) newLender(slug string) *lender {
	t := e.t
	t.Helper()
	root := e.login("", adminEmail, adminPassword)
	root.do("POST", "/api/v1/tenants", map[string]any{
		"slug": slug, "name": "Lender " + slug,
		"admin": map[string]any{"email": "admin@" + slug + ".test", "name": "Admin", "password": testPassword},
	}).must(201)
	l := &lender{slug: slug, userIDs: map[string]string{}}
	l.admin = e.login(slug, "admin@"+slug+".test", testPassword)

	tpl, err := schemas.TemplateOf("lending", loanForm)
	require.NoError(t, err)
	l.admin.do("PUT", l.path("/definitions/form/"+loanForm), tpl.Body).must(200)
	l.admin.do("POST", l.path("/definitions/form/"+loanForm+"/publish"), map[string]any{"note": "first"}).must(201)

	obj := "form:" + loanForm
	field := func(f string) string { return obj + "/field:" + f }
	roles := []struct {
		key    string
		scopes map[string]string
		perms  []map[string]any
	}{
		{"credit_reviewer", nil, []map[string]any{
			{"object": obj, "action": "create"}, {"object": obj, "action": "read"}, {"object": obj, "action": "update"},
			{"object": obj + "/*", "action": "read"}, {"object": obj + "/*", "action": "update"},
		}},
		{"collector", nil, []map[string]any{
			{"object": obj, "action": "read"},
			{"object": obj + "/*", "action": "read"},
			{"object": field("mobile_phone"), "action": "read", "effect": "deny"},
			{"object": field("mobile_phone"), "action": "read_masked"},
			{"object": field("monthly_income"), "action": "read", "effect": "deny"},
			{"object": field("other_income"), "action": "read", "effect": "deny"},
			{"object": field("monthly_debt"), "action": "read", "effect": "deny"},
			{"object": field("annual_income"), "action": "read", "effect": "deny"},
			{"object": field("debt_to_income"), "action": "read", "effect": "deny"},
		}},
		{"channel_manager", map[string]string{loanForm: "record.channel == user.attrs.channel"}, []map[string]any{
			{"object": obj, "action": "read"}, {"object": obj, "action": "create"}, {"object": obj, "action": "update"},
			{"object": obj + "/*", "action": "read_masked"}, {"object": obj + "/*", "action": "update"},
		}},
		{"auditor", nil, []map[string]any{
			{"object": obj, "action": "read"}, {"object": obj + "/*", "action": "read_masked"},
			{"object": "admin:audit", "action": "read"},
		}},
	}
	for _, r := range roles {
		body := map[string]any{"key": r.key, "name": r.key}
		if r.scopes != nil {
			body["row_scopes"] = r.scopes
		}
		l.admin.do("POST", l.path("/roles"), body).must(201)
		l.admin.do("PUT", l.path("/roles/"+r.key+"/permissions"), map[string]any{"permissions": r.perms}).must(200)
	}
	users := []struct {
		email, role string
		attrs       map[string]string
		dst         **client
	}{
		{"reviewer@" + slug + ".test", "credit_reviewer", nil, &l.reviewer},
		{"collector@" + slug + ".test", "collector", nil, &l.collector},
		{"channel@" + slug + ".test", "channel_manager", map[string]string{"channel": "online"}, &l.channel},
		{"auditor@" + slug + ".test", "auditor", nil, &l.auditor},
	}
	for _, u := range users {
		body := map[string]any{"email": u.email, "name": u.role, "password": testPassword, "roles": []string{u.role}}
		if u.attrs != nil {
			body["attrs"] = u.attrs
		}
		res := l.admin.do("POST", l.path("/users"), body).must(201)
		l.userIDs[u.role] = res.str("id")
		*u.dst = e.login(slug, u.email, testPassword)
	}
	return l
}

func (l *lender) path(p string) string { return "/api/v1/t/" + l.slug + p }

func (l *lender) records() string { return l.path("/forms/" + loanForm + "/records") }

// idNumber builds a mainland resident ID number with a correct check digit.
func idNumber(seq int) string {
	body := fmt.Sprintf("110101199003%02d%03d", 1+seq%28, seq%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// application is a valid loan application; over replaces fields.
func application(seq int, over map[string]any) map[string]any {
	a := map[string]any{
		"applicant_name":       "张伟",
		"gender":               "male",
		"birth_date":           "1990-03-07",
		"id_number":            idNumber(seq),
		"mobile_phone":         fmt.Sprintf("138%08d", seq),
		"residential_region":   "110101",
		"residential_address":  "北京市东城区东华门街道 1 号",
		"monthly_income":       12000.5,
		"other_income":         500,
		"monthly_debt":         3000,
		"housing_status":       "rented",
		"product":              "personal_consumer",
		"purpose":              "education",
		"amount":               50000,
		"term_months":          12,
		"repayment_method":     "equal_installment",
		"disbursement_card":    "6222020200112233445",
		"channel":              "online",
		"emergency_contacts":   []any{map[string]any{"name": "李娜", "relation": "spouse", "phone": "13900001111"}},
		"consent_credit_check": true,
		"consent_privacy":      true,
	}
	for k, v := range over {
		if v == nil {
			delete(a, k)
			continue
		}
		a[k] = v
	}
	return a
}

func requireNoFields(t *testing.T, data map[string]any, fields ...string) {
	t.Helper()
	for _, f := range fields {
		require.NotContains(t, data, f, "field %s must be absent", f)
	}
}
