package rule

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rules issue 4 names for the lending template.
const (
	scoreBelow400 = `{"key":"score_below_400","title":{"zh-CN":"评分过低拒绝","en":"Reject scores below 400"},"priority":100,
		"trigger":{"on":"record.created"},
		"condition":"has(record.credit_score.score) && record.credit_score.score < 400",
		"actions":[{"type":"reject","reason":{"zh-CN":"信用评分低于400","en":"Credit score below 400"}},
		           {"type":"set_field","field":"channel","expr":"record.channel"}]}`
	blacklistHit = `{"key":"blacklist_hit","title":{"en":"Reject blacklist hits"},"priority":90,
		"trigger":{"on":"record.created"},
		"condition":{"all":[{"field":"fraud_check.decision","op":"eq","value":"reject"}]},
		"actions":[{"type":"reject","reason":{"en":"Blacklisted"}},{"type":"add_to_list","list":"blacklist.phone","field":"mobile_phone"}]}`
	overdueContact = `{"key":"overdue_contact","title":{"en":"Review overdue emergency contacts"},
		"trigger":{"on":"record.created"},
		"condition":"record.fraud_check.hits.exists(h, h.rule == \"contact.overdue\")",
		"actions":[{"type":"flag","flag":"review.contact_overdue","reason":{"en":"An emergency contact is overdue"}},
		           {"type":"create_task","role":"risk_reviewer","title":{"en":"Review contact"},"due_in":"4h"}]}`
)

func TestIssueRules(t *testing.T) {
	s := mustSet(t, overdueContact, blacklistHit, scoreBelow400)
	tests := []struct {
		name  string
		patch string
		want  []string
	}{
		{name: "clean application", want: []string{}},
		{name: "score below 400", patch: `{"credit_score":{"status":"done","score":380}}`, want: []string{"score_below_400"}},
		{name: "score exactly 400", patch: `{"credit_score":{"status":"done","score":400}}`, want: []string{}},
		{name: "not scored yet", patch: `{"credit_score":{"status":"pending","reason":"plugin down"}}`, want: []string{}},
		{name: "blacklist hit", patch: `{"fraud_check":{"status":"done","decision":"reject","hits":[{"rule":"blacklist.id_number"}]}}`, want: []string{"blacklist_hit"}},
		{name: "overdue contact", patch: `{"fraud_check":{"status":"done","decision":"review","hits":[{"rule":"contact.overdue"}]}}`, want: []string{"overdue_contact"}},
		{
			name:  "all three, by priority",
			patch: `{"credit_score":{"status":"done","score":300},"fraud_check":{"status":"done","decision":"reject","hits":[{"rule":"blacklist.phone"},{"rule":"contact.overdue"}]}}`,
			want:  []string{"score_below_400", "blacklist_hit", "overdue_contact"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, matchedKeys(t, s, created(loanRecord(t, tc.patch))))
		})
	}

	t.Run("actions are resolved", func(t *testing.T) {
		rec := loanRecord(t, `{"credit_score":{"status":"done","score":300},"fraud_check":{"status":"done","decision":"reject","hits":[{"rule":"contact.overdue"}]}}`)
		res, err := s.Evaluate(context.Background(), created(rec))
		require.NoError(t, err)
		require.Len(t, res.Matched, 3)
		assert.Equal(t, []Action{
			{Type: ActReject, Reason: Localized{"zh-CN": "信用评分低于400", "en": "Credit score below 400"}},
			{Type: ActSetField, Field: "channel", Value: "online"},
		}, res.Matched[0].Actions)
		assert.Equal(t, []Action{
			{Type: ActReject, Reason: Localized{"en": "Blacklisted"}},
			{Type: ActAddToList, List: "blacklist.phone", Field: "mobile_phone", Value: "13812345678"},
		}, res.Matched[1].Actions)
		assert.Equal(t, []Action{
			{Type: ActFlag, Flag: "review.contact_overdue", Reason: Localized{"en": "An emergency contact is overdue"}},
			{Type: ActCreateTask, Role: "risk_reviewer", Title: Localized{"en": "Review contact"}, DueIn: 4 * time.Hour},
		}, res.Matched[2].Actions)
		assert.Equal(t, []string{"score_below_400"}, res.Matched[0].Origin)
		assert.Equal(t, 1, res.Matched[0].Depth)
	})
}

func TestTriggers(t *testing.T) {
	s := mustSet(t,
		`{"key":"on_create","title":{"en":"c"},"trigger":{"on":"record.created"},"actions":[{"type":"call_plugin","kind":"scorer"}]}`,
		`{"key":"on_update","title":{"en":"u"},"trigger":{"on":"record.updated"},"actions":[{"type":"notify","channel":"in_app","to":"role:officer","template":"record.updated"}]}`,
		`{"key":"amount_changed","title":{"en":"a"},"trigger":{"on":"field.changed","fields":["amount","credit_score.score"]},"actions":[{"type":"start_flow","flow":"re_review"}]}`,
		`{"key":"enter_review","title":{"en":"e"},"trigger":{"on":"flow.node_entered","flow":"approval","node":"review"},"actions":[{"type":"create_task","user":"u-7","title":{"en":"Review"}}]}`,
		`{"key":"left_review","title":{"en":"l"},"trigger":{"on":"flow.node_left","flow":"approval","node":"review"},"actions":[{"type":"notify","channel":"webhook","to":"https://hooks.example.com/credo","template":"review.done"}]}`,
		`{"key":"nightly","title":{"en":"n"},"trigger":{"on":"schedule","cron":"0 2 * * *","timezone":"Asia/Shanghai"},"actions":[{"type":"flag","flag":"stale"}]}`,
		`{"key":"disabled","title":{"en":"d"},"enabled":false,"trigger":{"on":"record.created"},"actions":[{"type":"flag","flag":"never"}]}`,
	)
	rec := loanRecord(t, "")
	bigger := loanRecord(t, `{"amount":80000}`)
	rescored := loanRecord(t, `{"credit_score":{"status":"done","score":700,"grade":"B"}}`)
	regraded := loanRecord(t, `{"credit_score":{"status":"done","score":655,"grade":"A"}}`)
	tests := []struct {
		name string
		ev   Event
		want []string
	}{
		{name: "record created", ev: created(rec), want: []string{"on_create"}},
		{name: "record updated, amount changed", ev: Event{Type: EventRecordUpdated, Form: "loan_application", Record: bigger, Before: rec}, want: []string{"on_update", "amount_changed"}},
		{name: "record updated, nested watched field changed", ev: Event{Type: EventRecordUpdated, Form: "loan_application", Record: rescored, Before: rec}, want: []string{"on_update", "amount_changed"}},
		{name: "record updated, unwatched sibling changed", ev: Event{Type: EventRecordUpdated, Form: "loan_application", Record: regraded, Before: rec}, want: []string{"on_update"}},
		{name: "record updated, same amount in another number type", ev: Event{Type: EventRecordUpdated, Form: "loan_application", Record: loanRecord(t, `{"amount":50000.0}`), Before: rec}, want: []string{"on_update"}},
		{name: "changed list without before", ev: Event{Type: EventRecordUpdated, Form: "loan_application", Record: bigger, Changed: []string{"amount"}}, want: []string{"on_update", "amount_changed"}},
		{name: "changed list names the object of a watched path", ev: Event{Type: EventRecordUpdated, Form: "loan_application", Record: rescored, Changed: []string{"credit_score"}}, want: []string{"on_update", "amount_changed"}},
		{name: "changed list of other fields", ev: Event{Type: EventRecordUpdated, Form: "loan_application", Record: bigger, Changed: []string{"purpose"}}, want: []string{"on_update"}},
		{name: "node entered", ev: Event{Type: EventFlowNodeEntered, Form: "loan_application", Record: rec, Flow: "approval", Node: "review"}, want: []string{"enter_review"}},
		{name: "other node entered", ev: Event{Type: EventFlowNodeEntered, Form: "loan_application", Record: rec, Flow: "approval", Node: "disburse"}, want: []string{}},
		{name: "node left", ev: Event{Type: EventFlowNodeLeft, Form: "loan_application", Record: rec, Flow: "approval", Node: "review"}, want: []string{"left_review"}},
		{name: "other flow's node left", ev: Event{Type: EventFlowNodeLeft, Form: "loan_application", Record: rec, Flow: "collection", Node: "review"}, want: []string{}},
		{name: "schedule", ev: Event{Type: EventSchedule, Form: "loan_application", Record: rec, Rule: "nightly"}, want: []string{"nightly"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, matchedKeys(t, s, tc.ev))
		})
	}

	t.Run("invalid events", func(t *testing.T) {
		for _, ev := range []Event{
			{Type: "record.deleted", Form: "loan_application", Record: rec},
			{Type: EventRecordCreated, Form: "customer", Record: rec},
			{Type: EventSchedule, Form: "loan_application", Record: rec, Rule: "on_create"},
			{Type: EventSchedule, Form: "loan_application", Record: rec, Rule: "missing"},
		} {
			_, err := s.Evaluate(context.Background(), ev)
			assert.ErrorIs(t, err, ErrInvalidEvent, "%+v", ev)
		}
	})

	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.Evaluate(ctx, created(rec))
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestLoopGuard(t *testing.T) {
	// Raising the amount changes the amount, which would fire the rule again forever.
	raise := `{"key":"raise","title":{"en":"raise"},"trigger":{"on":"field.changed","fields":["amount"]},
		"condition":"record.amount < 100000.0","actions":[{"type":"set_field","field":"amount","expr":"record.amount + 1000.0"}]}`
	// Echo fires on any update, so it is triggered by raise's change but not by its own.
	echo := `{"key":"echo","title":{"en":"echo"},"trigger":{"on":"record.updated"},
		"actions":[{"type":"set_field","field":"position","value":"checked"}]}`
	s := mustSet(t, raise, echo)
	ctx := context.Background()

	before := loanRecord(t, "")
	after := loanRecord(t, `{"amount":60000}`)
	res, err := s.Evaluate(ctx, Event{Type: EventRecordUpdated, Form: "loan_application", Record: after, Before: before})
	require.NoError(t, err)
	require.Len(t, res.Matched, 2)
	assert.Equal(t, 61000.0, res.Matched[0].Actions[0].Value)

	t.Run("a rule's own change does not retrigger it", func(t *testing.T) {
		m := res.Matched[0]
		next := loanRecord(t, `{"amount":61000}`)
		res2, err := s.Evaluate(ctx, Event{Type: EventRecordUpdated, Form: "loan_application", Record: next, Before: after, Origin: m.Origin, Depth: m.Depth})
		require.NoError(t, err)
		assert.Equal(t, []string{"raise"}, res2.Suppressed)
		require.Len(t, res2.Matched, 1)
		assert.Equal(t, "echo", res2.Matched[0].Rule)
		assert.Equal(t, []string{"raise", "echo"}, res2.Matched[0].Origin)
		assert.Equal(t, 2, res2.Matched[0].Depth)

		// echo's change, caused by raise's change, fires neither again.
		res3, err := s.Evaluate(ctx, Event{Type: EventRecordUpdated, Form: "loan_application", Record: next, Before: next,
			Origin: res2.Matched[0].Origin, Depth: res2.Matched[0].Depth})
		require.NoError(t, err)
		assert.Empty(t, res3.Matched)
		assert.Equal(t, []string{"echo"}, res3.Suppressed, "raise did not trigger: amount did not change")
	})

	t.Run("depth beyond the limit triggers nothing", func(t *testing.T) {
		res, err := s.Evaluate(ctx, Event{Type: EventRecordUpdated, Form: "loan_application", Record: after, Before: before, Depth: DefaultMaxDepth + 1})
		require.NoError(t, err)
		assert.True(t, res.DepthExceeded)
		assert.Empty(t, res.Matched)

		res, err = s.Evaluate(ctx, Event{Type: EventRecordUpdated, Form: "loan_application", Record: after, Before: before, Depth: DefaultMaxDepth})
		require.NoError(t, err)
		assert.False(t, res.DepthExceeded)
		assert.Len(t, res.Matched, 2)
	})

	t.Run("a chain of distinct rules stops at MaxDepth", func(t *testing.T) {
		// Seven rules, each firing on any update: without the guard every event would
		// fire the rules not yet in its origin.
		var rules []string
		for _, k := range []string{"a", "b", "c", "d", "e", "f", "g"} {
			rules = append(rules, `{"key":"`+k+`","title":{"en":"x"},"priority":-`+string(rune('0'+len(rules)))+`,"trigger":{"on":"record.updated"},"actions":[{"type":"flag","flag":"x"}]}`)
		}
		s, err := Compile(loanForm(t), ruleSetJSON(rules...), Opts{MaxDepth: 3})
		require.NoError(t, err)
		ev := Event{Type: EventRecordUpdated, Form: "loan_application", Record: after, Changed: []string{"amount"}}
		hops := 0
		for {
			res, err := s.Evaluate(ctx, ev)
			require.NoError(t, err)
			if res.DepthExceeded || len(res.Matched) == 0 {
				assert.True(t, res.DepthExceeded)
				break
			}
			hops++
			m := res.Matched[0]
			ev.Origin, ev.Depth = m.Origin, m.Depth
		}
		assert.Equal(t, 4, hops, "depths 0 through 3 fire")
		assert.Equal(t, []string{"a", "b", "c", "d"}, ev.Origin)
	})
}

func TestRuntimeFailure(t *testing.T) {
	s := mustSet(t,
		`{"key":"div","title":{"en":"div"},"trigger":{"on":"record.created"},"condition":"100 / (record.term_months - 12) > 1","actions":[{"type":"flag","flag":"x"}]}`,
		`{"key":"ok","title":{"en":"ok"},"trigger":{"on":"record.created"},"actions":[{"type":"flag","flag":"y"}]}`,
	)
	res, err := s.Evaluate(context.Background(), created(loanRecord(t, "")))
	require.NoError(t, err)
	require.Len(t, res.Failures, 1)
	assert.Equal(t, "div", res.Failures[0].Rule)
	assert.Contains(t, res.Failures[0].Error, "division by zero")
	require.Len(t, res.Matched, 1)
	assert.Equal(t, "ok", res.Matched[0].Rule)
}

func TestCostLimit(t *testing.T) {
	s := mustSet(t, `{"key":"heavy","title":{"en":"h"},"trigger":{"on":"record.created"},
		"condition":"[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, a+b+c+d+e > 0)))))",
		"actions":[{"type":"flag","flag":"x"}]}`)
	res, err := s.Evaluate(context.Background(), created(loanRecord(t, "")))
	require.NoError(t, err)
	require.Len(t, res.Failures, 1)
	assert.Contains(t, res.Failures[0].Error, "cost limit")
}
