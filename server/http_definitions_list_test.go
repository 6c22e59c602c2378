package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTPDefinitionListsCarryNames: every kind's list names each definition in every
// locale, with its status and last change, so a designer's picker needs no second read.
func TestHTTPDefinitionListsCarryNames(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	l.admin.do("POST", l.path("/templates/lending/install"), nil).must(200)
	l.admin.do("PUT", l.path("/definitions/form/guarantor"), map[string]any{"key": "guarantor", "title": map[string]any{"en": "Guarantor", "zh-CN": "担保人"}}).must(200)

	entry := func(kind, key string) map[string]any {
		t.Helper()
		res := l.admin.do("GET", l.path("/definitions/"+kind), nil).must(200)
		for _, d := range res.body["definitions"].([]any) {
			if m := d.(map[string]any); m["key"] == key {
				return m
			}
		}
		require.Failf(t, "not listed", "%s/%s in %s", kind, key, res.raw)
		return nil
	}
	cases := []struct {
		kind, key, en, zh, form, status string
	}{
		{"form", "loan_application", "Loan application", "贷款申请", "", "published"},
		{"form", "guarantor", "Guarantor", "担保人", "", "draft"},
		{"flow", "loan_approval", "Loan approval", "贷款审批", "loan_application", "published"},
		{"rule", "loan_application", "Loan application", "贷款申请", "loan_application", "published"},
		{"dashboard", "cockpit", "", "", "", "published"},
	}
	for _, tc := range cases {
		t.Run(tc.kind+"/"+tc.key, func(t *testing.T) {
			d := entry(tc.kind, tc.key)
			title, ok := d["title"].(map[string]any)
			require.True(t, ok, "%v", d)
			if tc.en != "" {
				assert.Equal(t, tc.en, title["en"])
				assert.Equal(t, tc.zh, title["zh-CN"])
			} else {
				assert.NotEmpty(t, title["en"])
				assert.NotEmpty(t, title["zh-CN"])
			}
			assert.Equal(t, tc.status, d["status"])
			if tc.form != "" {
				assert.Equal(t, tc.form, d["form"])
			}
			updated, err := time.Parse(time.RFC3339Nano, d["updated_at"].(string))
			require.NoError(t, err)
			assert.WithinDuration(t, time.Now(), updated, time.Minute)
		})
	}

	// A reader who may not read definitions gets no list, named or not.
	assert.Equal(t, 403, l.reviewer.do("GET", l.path("/definitions/flow"), nil).status)
}
