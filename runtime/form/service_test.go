package form

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form/authztest"
	"github.com/credolabs/credo/schemas"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

const testTenant = "acme-credit"

func newTestStore(t testing.TB) store.Backend {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func templateBody(t testing.TB, key string) []byte {
	t.Helper()
	tpl, err := schemas.TemplateOf("lending", key)
	require.NoError(t, err)
	return tpl.Body
}

// publishForTest writes version n of a form and moves the head, the way builder does.
func publishForTest(t testing.TB, b store.Backend, tenant string, body []byte, n int) {
	t.Helper()
	f := mustCompile(t, body)
	ctx := context.Background()
	sc, err := b.Scope(tenant)
	require.NoError(t, err)
	now := time.Now().UTC()
	v := &StoredVersion{Kind: KindForm, Key: f.Key(), Version: n, Body: body, Hash: BodyHash(body), Author: "tester", PublishedAt: now}
	require.NoError(t, sc.Collection(VersionsCollection).Insert(ctx, &store.Doc{ID: VersionID(KindForm, f.Key(), n), Data: v.Data()}))
	h := &Head{Kind: KindForm, Key: f.Key(), Version: n, Hash: v.Hash, PublishedAt: now, PublishedBy: "tester"}
	heads := sc.Collection(DefinitionsCollection)
	cur, err := heads.Get(ctx, HeadID(KindForm, f.Key()))
	if errors.Is(err, store.ErrNotFound) {
		require.NoError(t, heads.Insert(ctx, &store.Doc{ID: HeadID(KindForm, f.Key()), Data: h.Data()}))
		return
	}
	require.NoError(t, err)
	cur.Data = h.Data()
	require.NoError(t, heads.Update(ctx, cur))
}

// loanData is a valid loan application.
func loanData() map[string]any {
	var m map[string]any
	raw := `{"applicant_name":"张三","gender":"male","birth_date":"1990-05-17","id_number":"110101199005171234",
	"mobile_phone":"13812345678","email":"zhangsan@example.com","residential_region":"110105",
	"residential_address":"北京市朝阳区建国路88号","monthly_income":20000,"other_income":1000,"monthly_debt":5000,
	"housing_status":"rented","product":"personal_consumer","purpose":"education","amount":50000,"term_months":12,
	"repayment_method":"equal_installment","disbursement_card":"6222021234567890123","channel":"online",
	"emergency_contacts":[{"name":"李四","relation":"spouse","phone":"13900001111"}],
	"consent_credit_check":true,"consent_privacy":true}`
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		panic(err)
	}
	return m
}

type serviceFixture struct {
	b     store.Backend
	authz *authztest.Table
	log   *audit.Log
	svc   *Service
}

// newServiceFixture publishes the loan application and grants:
// officer: every right; viewer: read, id_number masked, no monthly_income, no address at all;
// clerk: create/update with write on most fields but not amount; scoped: officer rights within channel scope.
func newServiceFixture(t testing.TB) *serviceFixture {
	t.Helper()
	b := newTestStore(t)
	publishForTest(t, b, testTenant, templateBody(t, "loan_application"), 1)
	az := authztest.New()
	form := FormObject("loan_application")
	all := FieldObject("loan_application", "*")
	az.Grant("officer", form, ActCreate, ActRead, ActUpdate, ActDelete, ActExport).Grant("officer", all, ActRead, ActUpdate)
	az.Grant("viewer", form, ActRead).Grant("viewer", all, ActRead)
	az.Revoke("viewer", all, ActRead)
	for _, name := range mustCompile(t, templateBody(t, "loan_application")).Fields() {
		switch name {
		case "id_number", "mobile_phone", "applicant_name", "birth_date", "email", "disbursement_card", "emergency_contacts", "employer_phone":
			az.Grant("viewer", FieldObject("loan_application", name), ActReadMasked)
		case "monthly_income", "residential_address":
		default:
			az.Grant("viewer", FieldObject("loan_application", name), ActRead)
		}
	}
	az.Grant("clerk", form, ActCreate, ActRead, ActUpdate).Grant("clerk", all, ActRead, ActUpdate)
	az.Revoke("clerk", all, ActUpdate)
	for _, name := range mustCompile(t, templateBody(t, "loan_application")).Fields() {
		if name != "amount" {
			az.Grant("clerk", FieldObject("loan_application", name), ActUpdate)
		}
	}
	az.Grant("scoped", form, ActCreate, ActRead, ActUpdate, ActDelete).Grant("scoped", all, ActRead, ActUpdate)
	az.Scope("scoped", "loan_application", "record.channel == user.attrs.channel")
	log := audit.New(nil)
	return &serviceFixture{b: b, authz: az, log: log, svc: NewService(b, az, log, Options{})}
}

func actor(user string) Actor {
	return Actor{Tenant: testTenant, UserID: user, Roles: []string{user}, Attrs: map[string]string{"channel": "branch"}, RequestID: "req-1"}
}

func (fx *serviceFixture) auditEntries(t testing.TB) []*audit.Entry {
	t.Helper()
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	page, err := fx.log.List(context.Background(), sc, audit.ListQuery{Limit: 1000})
	require.NoError(t, err)
	return page.Entries
}

func problemsIn(t testing.TB, err error) []Problem {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	return ve.Problems
}

func TestServiceCreate(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		user     string
		data     func() map[string]any
		wantErr  error
		problems []Problem
	}{
		{name: "officer creates a valid application", user: "officer", data: loanData},
		{name: "unknown user has no create right", user: "nobody", data: loanData, wantErr: ErrForbidden},
		{name: "viewer has no create right", user: "viewer", data: loanData, wantErr: ErrForbidden},
		{name: "clerk may not write amount", user: "clerk", data: loanData, problems: []Problem{
			{Path: "/amount", Code: "forbidden", Message: "you may not change this field"}}},
		{name: "computed fields are read-only", user: "officer", data: func() map[string]any {
			d := loanData()
			d["debt_to_income"] = 0.1
			return d
		}, problems: []Problem{{Path: "/debt_to_income", Code: "read_only", Message: "is computed and cannot be written"}}},
		{name: "invalid values are located", user: "officer", data: func() map[string]any {
			d := loanData()
			d["amount"], d["mobile_phone"] = 10, "12345"
			return d
		}, problems: []Problem{
			{Path: "/amount", Code: "minimum", Message: "must be at least 1000", Params: map[string]any{"limit": int64(1000)}},
			{Path: "/mobile_phone", Code: "pattern", Message: "is not a valid phone number", Params: map[string]any{"pattern": `^(\+86)?1[3-9]\d{9}$`}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newServiceFixture(t)
			rec, err := fx.svc.Create(ctx, actor(tc.user), "loan_application", tc.data())
			switch {
			case tc.wantErr != nil:
				require.ErrorIs(t, err, tc.wantErr)
				assert.Empty(t, fx.auditEntries(t), "a refused write is not audited")
				return
			case tc.problems != nil:
				assert.Equal(t, tc.problems, problemsIn(t, err))
				assert.Empty(t, fx.auditEntries(t))
				return
			}
			require.NoError(t, err)
			assert.NotEmpty(t, rec.ID)
			assert.Equal(t, "loan_application", rec.Form)
			assert.Equal(t, 1, rec.FormVersion)
			assert.Equal(t, int64(1), rec.Version)
			assert.Equal(t, tc.user, rec.CreatedBy)
			assert.InDelta(t, 0.25, rec.Data["debt_to_income"], 1e-9)
			assert.InDelta(t, 252000.0, rec.Data["annual_income"], 1e-9)
			assert.Equal(t, int64(12), rec.Data["term_months"])

			entries := fx.auditEntries(t)
			require.Len(t, entries, 1)
			e := entries[0]
			assert.Equal(t, audit.ActionCreate, e.Action)
			assert.Equal(t, RecordObject("loan_application", rec.ID), e.Object)
			assert.Equal(t, "req-1", e.RequestID)
			assert.Equal(t, "110***********1234", e.Diff["id_number"].To, "sensitive values are masked in the audit diff")
			assert.Equal(t, "138****5678", e.Diff["mobile_phone"].To)
			assert.Equal(t, "***", e.Diff["monthly_income"].To)
			assert.Equal(t, "rented", e.Diff["housing_status"].To)
		})
	}
}

func TestServiceFieldVisibility(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	created, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err)

	t.Run("viewer sees masked and no hidden fields", func(t *testing.T) {
		rec, err := fx.svc.Get(ctx, actor("viewer"), "loan_application", created.ID)
		require.NoError(t, err)
		assert.Equal(t, "110***********1234", rec.Data["id_number"])
		assert.Equal(t, "138****5678", rec.Data["mobile_phone"])
		assert.Equal(t, "张*", rec.Data["applicant_name"])
		assert.NotContains(t, rec.Data, "monthly_income")
		assert.NotContains(t, rec.Data, "residential_address")
		assert.Equal(t, "online", rec.Data["channel"])
		assert.Equal(t, []any{map[string]any{"name": "李*", "relation": "spouse", "phone": "139****1111"}}, rec.Data["emergency_contacts"],
			"a masked subtable masks its sensitive columns")
	})
	t.Run("officer sees everything and the unmasking is audited", func(t *testing.T) {
		rec, err := fx.svc.Get(ctx, actor("officer"), "loan_application", created.ID)
		require.NoError(t, err)
		assert.Equal(t, "110101199005171234", rec.Data["id_number"])
		entries := fx.auditEntries(t)
		require.NotEmpty(t, entries)
		view := entries[0] // newest first
		assert.Equal(t, audit.ActionView, view.Action)
		assert.Equal(t, "officer", view.Actor)
		assert.ElementsMatch(t, []any{"applicant_name", "birth_date", "id_number", "mobile_phone", "email",
			"residential_address", "monthly_income", "disbursement_card", "emergency_contacts"}, view.Detail["unmasked"])
	})
	t.Run("viewer's view names no unmasked field", func(t *testing.T) {
		_, err := fx.svc.Get(ctx, actor("viewer"), "loan_application", created.ID)
		require.NoError(t, err)
		view := fx.auditEntries(t)[0]
		assert.Equal(t, "viewer", view.Actor)
		assert.NotContains(t, view.Detail, "unmasked")
	})

	unknown := func(path string) []Problem {
		return []Problem{{Path: path, Code: "unknown_field", Message: "is not a field of this form"}}
	}
	listTests := []struct {
		name string
		user string
		q    ListQuery
		want []Problem
	}{
		{name: "filter on a hidden field reads like an unknown field", user: "viewer",
			q: ListQuery{Filter: store.Eq("monthly_income", 20000)}, want: unknown("/filter/field")},
		{name: "filter on a field that does not exist", user: "viewer",
			q: ListQuery{Filter: store.Eq("no_such_field", 1)}, want: unknown("/filter/field")},
		{name: "sort on a hidden field", user: "viewer",
			q: ListQuery{Sort: []store.Sort{{Field: "amount"}, {Field: "residential_address"}}}, want: unknown("/sort/1/field")},
		{name: "projection of a hidden field", user: "viewer",
			q: ListQuery{Fields: []string{"channel", "monthly_income"}}, want: unknown("/fields/1")},
		{name: "filter on a masked field", user: "viewer",
			q:    ListQuery{Filter: store.And(store.Eq("channel", "online"), store.Eq("id_number", "110101199005171234"))},
			want: []Problem{{Path: "/filter/and/1/field", Code: "masked_field", Message: "cannot be filtered or sorted on: you see it masked"}}},
		{name: "filter on a subtable", user: "officer",
			q:    ListQuery{Filter: store.Exists("emergency_contacts", true)},
			want: []Problem{{Path: "/filter/field", Code: "not_filterable", Message: "a subtable or list cannot be filtered or sorted on"}}},
	}
	for _, tc := range listTests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fx.svc.List(ctx, actor(tc.user), "loan_application", tc.q)
			assert.Equal(t, tc.want, problemsIn(t, err))
		})
	}
	t.Run("viewer lists with a projection", func(t *testing.T) {
		page, err := fx.svc.List(ctx, actor("viewer"), "loan_application", ListQuery{
			Filter: store.Gte("amount", 10000), Sort: []store.Sort{{Field: MetaCreatedAt, Desc: true}},
			Fields: []string{"channel", "id_number"}})
		require.NoError(t, err)
		require.Len(t, page.Records, 1)
		assert.Equal(t, map[string]any{"channel": "online", "id_number": "110***********1234"}, page.Records[0].Data)
		list := fx.auditEntries(t)[0]
		assert.Equal(t, audit.ActionList, list.Action)
		assert.Equal(t, FormObject("loan_application"), list.Object)
		assert.Equal(t, []any{"amount"}, list.Detail["filter_fields"])
		assert.NotContains(t, list.Detail, "unmasked")
	})
	t.Run("officer's list records who saw what in full", func(t *testing.T) {
		page, err := fx.svc.List(ctx, actor("officer"), "loan_application", ListQuery{Filter: store.Eq("id_number", "110101199005171234")})
		require.NoError(t, err)
		require.Len(t, page.Records, 1)
		list := fx.auditEntries(t)[0]
		assert.Equal(t, []any{created.ID}, list.Detail["records"])
		assert.Contains(t, list.Detail["unmasked"], "id_number")
	})
}

func TestServiceHiddenRequiredField(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	// The writer may not see residential_address, which is required: the error must
	// not name it.
	fx.authz.Grant("writer", FormObject("loan_application"), ActCreate)
	for _, name := range mustCompile(t, templateBody(t, "loan_application")).Fields() {
		if name != "residential_address" {
			fx.authz.Grant("writer", FieldObject("loan_application", name), ActRead, ActUpdate)
		}
	}
	data := loanData()
	delete(data, "residential_address")
	_, err := fx.svc.Create(ctx, actor("writer"), "loan_application", data)
	got := problemsIn(t, err)
	assert.Equal(t, []Problem{{Code: "required", Message: "a required field you cannot see has no value; ask an administrator"}}, got)
	assert.NotContains(t, err.Error(), "residential_address")

	data["residential_address"] = "北京市朝阳区建国路88号"
	_, err = fx.svc.Create(ctx, actor("writer"), "loan_application", data)
	assert.Equal(t, []Problem{{Path: "/residential_address", Code: "additionalProperties", Message: "is not a field of this form"}},
		problemsIn(t, err), "writing an invisible field reads exactly like writing an unknown one")
	data["nonexistent"] = "x"
	delete(data, "residential_address")
	_, err = fx.svc.Create(ctx, actor("writer"), "loan_application", data)
	assert.Equal(t, []Problem{{Path: "/nonexistent", Code: "additionalProperties", Message: "is not a field of this form"}}, problemsIn(t, err))
}

func TestServiceRowScope(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	ids := map[string]string{}
	for _, ch := range []string{"online", "branch", "partner"} {
		d := loanData()
		d["channel"] = ch
		rec, err := fx.svc.Create(ctx, actor("officer"), "loan_application", d)
		require.NoError(t, err)
		ids[ch] = rec.ID
	}
	scoped := actor("scoped") // attrs channel=branch

	t.Run("list sees only the scope", func(t *testing.T) {
		page, err := fx.svc.List(ctx, scoped, "loan_application", ListQuery{})
		require.NoError(t, err)
		require.Len(t, page.Records, 1)
		assert.Equal(t, ids["branch"], page.Records[0].ID)
	})
	outside := []struct {
		name string
		op   func() error
	}{
		{"get", func() error { _, err := fx.svc.Get(ctx, scoped, "loan_application", ids["online"]); return err }},
		{"update", func() error {
			_, err := fx.svc.Update(ctx, scoped, "loan_application", ids["online"], 1, map[string]any{"purpose": "travel"})
			return err
		}},
		{"delete", func() error { return fx.svc.Delete(ctx, scoped, "loan_application", ids["online"], 1) }},
	}
	for _, tc := range outside {
		t.Run(tc.name+" outside the scope is not found", func(t *testing.T) {
			err := tc.op()
			require.ErrorIs(t, err, ErrNotFound)
			assert.NotErrorIs(t, err, ErrForbidden)
		})
	}
	t.Run("inside the scope works", func(t *testing.T) {
		rec, err := fx.svc.Get(ctx, scoped, "loan_application", ids["branch"])
		require.NoError(t, err)
		assert.Equal(t, "branch", rec.Data["channel"])
	})
	t.Run("a user missing the attribute sees nothing", func(t *testing.T) {
		a := scoped
		a.Attrs = nil
		page, err := fx.svc.List(ctx, a, "loan_application", ListQuery{})
		require.NoError(t, err)
		assert.Empty(t, page.Records)
		_, err = fx.svc.Get(ctx, a, "loan_application", ids["branch"])
		assert.ErrorIs(t, err, ErrNotFound)
	})
	t.Run("access reports the restriction", func(t *testing.T) {
		acc, err := fx.svc.Access(ctx, scoped, "loan_application")
		require.NoError(t, err)
		assert.True(t, acc.RowScoped)
		acc, err = fx.svc.Access(ctx, actor("officer"), "loan_application")
		require.NoError(t, err)
		assert.False(t, acc.RowScoped)
	})
}

func TestServiceUpdateDelete(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	rec, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err)

	t.Run("stale version conflicts", func(t *testing.T) {
		_, err := fx.svc.Update(ctx, actor("officer"), "loan_application", rec.ID, 7, map[string]any{"purpose": "travel"})
		require.ErrorIs(t, err, ErrConflict)
		assert.ErrorIs(t, err, store.ErrConflict)
	})
	t.Run("merge patch recomputes and audits a diff", func(t *testing.T) {
		up, err := fx.svc.Update(ctx, actor("officer"), "loan_application", rec.ID, 1, map[string]any{
			"monthly_debt": 10000, "other_income": nil, "mobile_phone": "13700001111"})
		require.NoError(t, err)
		assert.Equal(t, int64(2), up.Version)
		assert.Equal(t, "officer", up.UpdatedBy)
		assert.InDelta(t, 0.5, up.Data["debt_to_income"], 1e-9)
		assert.InDelta(t, 240000.0, up.Data["annual_income"], 1e-9)
		assert.NotContains(t, up.Data, "other_income")
		e := fx.auditEntries(t)[0]
		assert.Equal(t, audit.ActionUpdate, e.Action)
		assert.Equal(t, map[string]audit.Change{
			"monthly_debt":   {From: json.Number("5000"), To: json.Number("10000")},
			"other_income":   {From: json.Number("1000")},
			"mobile_phone":   {From: "138****5678", To: "137****1111"},
			"debt_to_income": {From: json.Number("0.25"), To: json.Number("0.5")},
			"annual_income":  {From: json.Number("252000"), To: json.Number("240000")},
		}, e.Diff)
	})
	t.Run("a patch that changes nothing writes nothing", func(t *testing.T) {
		before := len(fx.auditEntries(t))
		up, err := fx.svc.Update(ctx, actor("officer"), "loan_application", rec.ID, 2, map[string]any{"purpose": "education"})
		require.NoError(t, err)
		assert.Equal(t, int64(2), up.Version)
		assert.Len(t, fx.auditEntries(t), before)
	})
	t.Run("invalid patch changes nothing", func(t *testing.T) {
		_, err := fx.svc.Update(ctx, actor("officer"), "loan_application", rec.ID, 2, map[string]any{"amount": 1, "gender": nil})
		assert.Equal(t, []Problem{
			{Path: "/amount", Code: "minimum", Message: "must be at least 1000", Params: map[string]any{"limit": int64(1000)}},
			{Path: "/gender", Code: "required", Message: "is required"}}, problemsIn(t, err))
		got, err := fx.svc.Get(ctx, actor("officer"), "loan_application", rec.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
		assert.InDelta(t, 50000.0, got.Data["amount"], 1e-9)
	})
	t.Run("clerk may not patch amount", func(t *testing.T) {
		_, err := fx.svc.Update(ctx, actor("clerk"), "loan_application", rec.ID, 2, map[string]any{"amount": 60000})
		assert.Equal(t, []Problem{{Path: "/amount", Code: "forbidden", Message: "you may not change this field"}}, problemsIn(t, err))
	})
	t.Run("viewer may not update", func(t *testing.T) {
		_, err := fx.svc.Update(ctx, actor("viewer"), "loan_application", rec.ID, 2, map[string]any{"purpose": "travel"})
		assert.ErrorIs(t, err, ErrForbidden)
	})
	t.Run("delete with a stale version conflicts", func(t *testing.T) {
		err := fx.svc.Delete(ctx, actor("officer"), "loan_application", rec.ID, 1)
		assert.ErrorIs(t, err, ErrConflict)
	})
	t.Run("delete", func(t *testing.T) {
		require.NoError(t, fx.svc.Delete(ctx, actor("officer"), "loan_application", rec.ID, 2))
		_, err := fx.svc.Get(ctx, actor("officer"), "loan_application", rec.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		var del *audit.Entry
		for _, e := range fx.auditEntries(t) {
			if e.Action == audit.ActionDelete {
				del = e
			}
		}
		require.NotNil(t, del)
		assert.Equal(t, "110***********1234", del.Diff["id_number"].From)
	})
	t.Run("the audit chain verifies", func(t *testing.T) {
		sc, err := fx.b.Scope(testTenant)
		require.NoError(t, err)
		rep, err := audit.Verify(ctx, sc)
		require.NoError(t, err)
		assert.True(t, rep.OK(), "%v", rep.Problems)
	})
}

func TestServiceForms(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	t.Run("unknown form", func(t *testing.T) {
		_, err := fx.svc.Create(ctx, actor("officer"), "mortgage", loanData())
		assert.ErrorIs(t, err, ErrFormNotFound)
		_, err = fx.svc.Access(ctx, actor("officer"), "mortgage")
		assert.ErrorIs(t, err, ErrFormNotFound)
	})
	old, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err)

	// Version 2 adds an optional field; the publisher installs it at once.
	var def map[string]any
	require.NoError(t, json.Unmarshal(templateBody(t, "loan_application"), &def))
	def["schema"].(map[string]any)["properties"].(map[string]any)["referrer"] = map[string]any{"type": "string"}
	def["fields"].(map[string]any)["referrer"] = map[string]any{"label": map[string]any{"en": "Referrer"}, "widget": "text"}
	body, err := json.Marshal(def)
	require.NoError(t, err)
	publishForTest(t, fx.b, testTenant, body, 2)
	fx.svc.Install(testTenant, mustCompile(t, body).AtVersion(2))

	d := loanData()
	d["referrer"] = "王五"
	rec, err := fx.svc.Create(ctx, actor("officer"), "loan_application", d)
	require.NoError(t, err)
	assert.Equal(t, 2, rec.FormVersion)
	assert.Equal(t, "王五", rec.Data["referrer"])

	got, err := fx.svc.Get(ctx, actor("officer"), "loan_application", old.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, got.FormVersion, "records keep the version they were written with")

	t.Run("another node sees the publish after the head TTL", func(t *testing.T) {
		now := time.Now()
		other := NewService(fx.b, fx.authz, fx.log, Options{HeadTTL: time.Minute, Now: func() time.Time { return now }})
		f, err := other.Form(ctx, testTenant, "loan_application")
		require.NoError(t, err)
		assert.Equal(t, 2, f.Version())
		publishForTest(t, fx.b, testTenant, templateBody(t, "loan_application"), 3)
		f, err = other.Form(ctx, testTenant, "loan_application")
		require.NoError(t, err)
		assert.Equal(t, 2, f.Version(), "within the TTL the cached head holds")
		now = now.Add(2 * time.Minute)
		f, err = other.Form(ctx, testTenant, "loan_application")
		require.NoError(t, err)
		assert.Equal(t, 3, f.Version())
		other.Invalidate(testTenant, "loan_application")
		old, err := other.FormVersion(ctx, testTenant, "loan_application", 1)
		require.NoError(t, err)
		assert.Equal(t, 1, old.Version())
		_, err = other.FormVersion(ctx, testTenant, "loan_application", 9)
		assert.ErrorIs(t, err, ErrFormNotFound)
	})
}

func TestMaskCache(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	rec, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err)
	viewer := actor("viewer")

	_, err = fx.svc.Get(ctx, viewer, "loan_application", rec.ID)
	require.NoError(t, err)
	calls := fx.authz.Calls.Load()
	for range 5 {
		_, err = fx.svc.List(ctx, viewer, "loan_application", ListQuery{})
		require.NoError(t, err)
	}
	assert.Equal(t, calls, fx.authz.Calls.Load(), "a cached mask asks the authorizer nothing")

	// Granting full read on id_number without a policy version change is not seen...
	fx.authz.Grant("viewer", FieldObject("loan_application", "id_number"), ActRead)
	got, err := fx.svc.Get(ctx, viewer, "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, "110***********1234", got.Data["id_number"])
	// ...and the policy version change drops the cached mask.
	fx.authz.Changed()
	got, err = fx.svc.Get(ctx, viewer, "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, "110101199005171234", got.Data["id_number"])
	assert.Greater(t, fx.authz.Calls.Load(), calls)

	tests := []struct {
		name  string
		field string
		view  View
		write bool
	}{
		{"full read", "id_number", ViewFull, false},
		{"masked read", "mobile_phone", ViewMasked, false},
		{"plain read", "channel", ViewFull, false},
	}
	acc, err := fx.svc.Access(ctx, viewer, "loan_application")
	require.NoError(t, err)
	byName := map[string]FieldAccess{}
	for _, fa := range acc.Fields {
		byName[fa.Name] = fa
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fa, ok := byName[tc.field]
			require.True(t, ok)
			assert.Equal(t, tc.view, fa.View)
			assert.Equal(t, tc.write, fa.Write)
		})
	}
	assert.NotContains(t, byName, "monthly_income", "fields the user may neither read nor write are not listed")
	assert.True(t, acc.Read)
	assert.False(t, acc.Create)
	b, err := json.Marshal(byName["mobile_phone"])
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"mobile_phone","view":"masked","write":false,"sensitive":true,
		"label":{"zh-CN":"手机号码","en":"Mobile phone"},"widget":"phone"}`, string(b))
}

func TestRedactDiff(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	m, err := fx.svc.Mask(ctx, actor("viewer"), "loan_application")
	require.NoError(t, err)
	got := m.RedactDiff(map[string]audit.Change{
		"monthly_income": {From: 1, To: 2},
		"channel":        {From: "online", To: "branch"},
		"applicant_name": {From: "张三", To: "李四"},
	})
	assert.Equal(t, map[string]audit.Change{
		"channel":        {From: "online", To: "branch"},
		"applicant_name": {From: "张*", To: "李*"},
	}, got)
}

func ExampleMaskValue() {
	fmt.Println(MaskValue(&Mask{Name: MaskIDNumber}, "110101199005171234"))
	fmt.Println(MaskValue(&Mask{Name: MaskName}, "张三"))
	// Output:
	// 110***********1234
	// 张*
}
