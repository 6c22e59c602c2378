package rule

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// loanForm compiles the lending template's loan application.
func loanForm(t testing.TB) *form.Form {
	t.Helper()
	tpl, err := schemas.TemplateOf("lending", "loan_application")
	require.NoError(t, err)
	f, err := form.Compile(tpl.Body)
	require.NoError(t, err)
	return f
}

// ruleSetJSON wraps rule objects into a rule set of the loan application.
func ruleSetJSON(rules ...string) []byte {
	return []byte(`{"form":"loan_application","rules":[` + strings.Join(rules, ",") + `]}`)
}

// mustSet compiles rules against the loan application.
func mustSet(t testing.TB, rules ...string) *Set {
	t.Helper()
	s, err := Compile(loanForm(t), ruleSetJSON(rules...), Opts{})
	require.NoError(t, err)
	return s
}

// loanRecord is a valid, scored loan application as the record service stores it,
// decoded from JSON like a request body (numbers as json.Number).
func loanRecord(t testing.TB, patch string) map[string]any {
	t.Helper()
	raw := `{"applicant_name":"张三","gender":"male","birth_date":"1990-05-17","id_number":"110101199005171234",
	"mobile_phone":"13812345678","email":"zhangsan@example.com","residential_region":"110105",
	"residential_address":"北京市朝阳区建国路88号","monthly_income":20000,"other_income":1000,"monthly_debt":5000,
	"housing_status":"rented","product":"personal_consumer","purpose":"education","amount":50000,"term_months":12,
	"repayment_method":"equal_installment","disbursement_card":"6222021234567890123","channel":"online",
	"emergency_contacts":[{"name":"李四","relation":"spouse","phone":"13900001111"}],
	"consent_credit_check":true,"consent_privacy":true,
	"credit_score":{"status":"done","score":655,"grade":"B"},
	"fraud_check":{"status":"done","decision":"pass","hits":[]}}`
	rec := decodeJSON(t, raw)
	if patch != "" {
		for k, v := range decodeJSON(t, patch) {
			if v == nil {
				delete(rec, k)
				continue
			}
			rec[k] = v
		}
	}
	return rec
}

func decodeJSON(t testing.TB, raw string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

func created(rec map[string]any) Event {
	return Event{Type: EventRecordCreated, Form: "loan_application", RecordID: "r1", Record: rec}
}

func matchedKeys(t testing.TB, s *Set, ev Event) []string {
	t.Helper()
	res, err := s.Evaluate(context.Background(), ev)
	require.NoError(t, err)
	require.Empty(t, res.Failures)
	keys := []string{}
	for _, m := range res.Matched {
		keys = append(keys, m.Rule)
	}
	return keys
}

func compileForm(t testing.TB, def string) *form.Form {
	t.Helper()
	f, err := form.Compile([]byte(def))
	require.NoError(t, err)
	return f
}
