package tenants

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidatePermissionsAccepts(t *testing.T) {
	t.Parallel()
	cases := []Permission{
		{Object: "*", Action: "*"},
		{Object: "form:*", Action: ActionRead},
		{Object: "admin:*", Action: ActionManage},
		{Object: "form:loan_application", Action: ActionCreate},
		{Object: "form:loan_application/*", Action: ActionReadMasked},
		{Object: "form:loan_application/field:id_number", Action: ActionRead, Effect: EffectDeny},
		{Object: "form:loan/field:contacts.phone", Action: ActionUpdate, Effect: EffectAllow},
		{Object: "form:loan/field:idNumber", Action: "*"},
		{Object: "flow:approval", Action: ActionApprove},
		{Object: "flow:approval/*", Action: ActionApprove},
		{Object: "flow:approval/node:review-1", Action: ActionApprove},
		{Object: "dashboard:cockpit", Action: ActionRead},
		{Object: "rule:early_warning", Action: ActionPublish},
		{Object: "admin:users", Action: ActionManage},
		{Object: "form:loan", Action: ActionExport},
	}
	for _, p := range cases {
		t.Run(p.Object+" "+p.Action, func(t *testing.T) {
			assert.NoError(t, ValidatePermissions([]Permission{p}))
		})
	}
}

func TestValidatePermissionsRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		perm Permission
		want map[string]string
	}{
		{"empty", Permission{}, map[string]string{"/permissions/0/object": CodeRequired, "/permissions/0/action": CodeRequired}},
		{"unknown kind", Permission{Object: "table:loan", Action: "read"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"no kind", Permission{Object: "loan", Action: "read"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"uppercase key", Permission{Object: "form:Loan", Action: "read"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"bad field", Permission{Object: "form:loan/field:", Action: "read"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"field with slash", Permission{Object: "form:loan/field:a/b", Action: "read"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"node on a form", Permission{Object: "form:loan/node:x", Action: "read"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"field on a flow", Permission{Object: "flow:x/field:y", Action: "read"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"unknown admin area", Permission{Object: "admin:billing", Action: "manage"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"partial wildcard", Permission{Object: "form:lo*", Action: "read"}, map[string]string{"/permissions/0/object": CodeInvalidObject}},
		{"unknown action", Permission{Object: "form:loan", Action: "view"}, map[string]string{"/permissions/0/action": CodeInvalidAction}},
		{"approve on a field", Permission{Object: "form:loan/field:amount", Action: "approve"}, map[string]string{"/permissions/0/action": CodeActionNotAllowed}},
		{"bad effect", Permission{Object: "form:loan", Action: "read", Effect: "maybe"}, map[string]string{"/permissions/0/effect": CodeInvalidEffect}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidatePermissions([]Permission{tc.perm})
			require.Error(t, err)
			assert.Equal(t, tc.want, problemCodes(t, err))
		})
	}
	t.Run("names every bad entry by index", func(t *testing.T) {
		err := ValidatePermissions([]Permission{
			{Object: "form:loan", Action: "read"},
			{Object: "form:loan", Action: "bogus"},
			{Object: "form:loan", Action: "update"},
			{Object: "nope", Action: "read"},
			{Object: "form:loan", Action: "read", Effect: EffectDeny},
		})
		assert.Equal(t, map[string]string{
			"/permissions/1/action": CodeInvalidAction,
			"/permissions/3/object": CodeInvalidObject,
			"/permissions/4":        CodeDuplicate,
		}, problemCodes(t, err))
	})
	t.Run("too many", func(t *testing.T) {
		perms := make([]Permission, maxPermissions+1)
		assert.Equal(t, map[string]string{"/permissions": CodeTooMany}, problemCodes(t, ValidatePermissions(perms)))
	})
}
