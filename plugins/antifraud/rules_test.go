package main

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/plugins/sdk"
)

// noAgeLimit keeps the published example IDs (born 1949) from tripping the age rule in
// tests about something else.
var noAgeLimit = map[string]any{"age": map[string]any{"min": 0, "max": 120}}

func TestBlacklists(t *testing.T) {
	published := "11010519491231002X"
	cases := []struct {
		name  string
		list  string
		entry string // put on the list
		rec   []any  // changes to the clean record
		rule  string // "" when no hit is expected
		ev    map[string]string
	}{
		{name: "id number", list: "blacklist.id_number", entry: published,
			rec:  []any{"id_number", published, "birth_date", "1949-12-31", "gender", "female"},
			rule: "blacklist.id_number", ev: map[string]string{"id_number": "110105********002X", "list": "blacklist.id_number"}},
		{name: "id number typed with a lower-case x", list: "blacklist.id_number", entry: published,
			rec:  []any{"id_number", "11010519491231002x", "birth_date", "1949-12-31", "gender", "female"},
			rule: "blacklist.id_number", ev: map[string]string{"id_number": "110105********002X", "list": "blacklist.id_number"}},
		{name: "phone", list: "blacklist.phone", entry: cleanPhone,
			rule: "blacklist.phone", ev: map[string]string{"mobile_phone": "138****5678", "list": "blacklist.phone"}},
		{name: "phone entered with +86", list: "blacklist.phone", entry: cleanPhone, rec: []any{"mobile_phone", "+86" + cleanPhone},
			rule: "blacklist.phone", ev: map[string]string{"mobile_phone": "138****5678", "list": "blacklist.phone"}},
		{name: "device", list: "blacklist.device_id", entry: cleanDevice,
			rule: "blacklist.device_id", ev: map[string]string{"device_id": "dev-********41b8", "list": "blacklist.device_id"}},
		{name: "ip address", list: "blacklist.ip", entry: cleanIP,
			rule: "blacklist.ip", ev: map[string]string{"client_ip": "203.0.113.*", "list": "blacklist.ip"}},
		{name: "ipv4 network", list: "blacklist.ip", entry: "203.0.113.0/24",
			rule: "blacklist.ip", ev: map[string]string{"client_ip": "203.0.113.*", "list": "blacklist.ip", "matched_entry": "203.0.113.0/24"}},
		{name: "ipv4-mapped ipv6 address", list: "blacklist.ip", entry: cleanIP, rec: []any{"client_ip", "::ffff:" + cleanIP},
			rule: "blacklist.ip", ev: map[string]string{"client_ip": "203.0.113.*", "list": "blacklist.ip"}},
		{name: "ipv6 network", list: "blacklist.ip", entry: "2001:db8:1:2::/64", rec: []any{"client_ip", "2001:db8:1:2:aaaa::5"},
			rule: "blacklist.ip", ev: map[string]string{"client_ip": "2001:db8:1:2::*", "list": "blacklist.ip", "matched_entry": "2001:db8:1:2::/64"}},
		{name: "bank card", list: "blacklist.bank_card", entry: cleanCard,
			rule: "blacklist.bank_card", ev: map[string]string{"disbursement_card": "622202*********0123", "list": "blacklist.bank_card"}},
		{name: "bank card with spaces", list: "blacklist.bank_card", entry: cleanCard, rec: []any{"disbursement_card", "6222 0212 3456 7890 123"},
			rule: "blacklist.bank_card", ev: map[string]string{"disbursement_card": "622202*********0123", "list": "blacklist.bank_card"}},

		{name: "another phone listed", list: "blacklist.phone", entry: "13812345679"},
		{name: "ip of a neighbouring network", list: "blacklist.ip", entry: "203.0.112.0/24"},
		{name: "value on another list", list: "blacklist.device_id", entry: cleanPhone},
		{name: "ipv6 outside the /64", list: "blacklist.ip", entry: "2001:db8:1:3::/64", rec: []any{"client_ip", "2001:db8:1:2:aaaa::5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPlugin(t)
			p.addToList(tc.list, tc.entry)
			v := p.check(with(cleanRecord(t), tc.rec...), noAgeLimit)
			if tc.rule == "" {
				assert.Equal(t, sdk.Pass, v.Decision)
				assert.Empty(t, v.Hits)
				return
			}
			assert.Equal(t, sdk.Reject, v.Decision)
			require.Len(t, v.Hits, 1)
			h := v.Hits[0]
			assert.Equal(t, tc.rule, h.Rule)
			assert.Equal(t, sdk.Reject, h.Decision)
			assert.Equal(t, tc.ev, h.Evidence)
			assert.Contains(t, h.Reason["en"], "blacklist")
			assert.Contains(t, h.Reason["zh-CN"], "黑名单")
		})
	}
}

func TestBlacklistSkipsAbsentValues(t *testing.T) {
	p := newTestPlugin(t)
	rec := with(cleanRecord(t), "device_id", nil, "client_ip", nil, "disbursement_card", "")
	p.addToList("blacklist.device_id", "")
	p.addToList("blacklist.bank_card", "")
	v := p.check(rec, nil)
	assert.Equal(t, sdk.Pass, v.Decision)
	assert.Equal(t, []string{"blacklist.id_number", "blacklist.phone", "overdue.phone"}, p.listCalls())
	for _, c := range p.countCalls() {
		assert.NotContains(t, []string{"device_id", "client_ip"}, c.field)
	}
}

func TestVelocity(t *testing.T) {
	rec := cleanRecord(t)
	id := rec["id_number"].(string)
	cases := []struct {
		rule, field, value string
		max                int64
		window             time.Duration
		windowText         string
		en, zh             string
		masked             string
	}{
		{"velocity.phone", "mobile_phone", cleanPhone, 3, 24 * time.Hour, "24h", "24 hours", "24小时", "138****5678"},
		{"velocity.id_number", "id_number", id, 3, 7 * 24 * time.Hour, "7d", "7 days", "7天", id[:6] + "********" + id[14:]},
		{"velocity.device_id", "device_id", cleanDevice, 5, 24 * time.Hour, "24h", "24 hours", "24小时", "dev-********41b8"},
		{"velocity.ip", "client_ip", cleanIP, 20, time.Hour, "1h", "1 hour", "1小时", "203.0.113.*"},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			p := newTestPlugin(t)
			// The host counts the applications stored before this one.
			p.setCount(tc.field, tc.value, tc.max-1)
			v := p.check(rec, nil)
			assert.Empty(t, v.Hits, "a count at the limit is allowed")
			assert.Contains(t, p.countCalls(), countCall{testForm, tc.field, tc.value, tc.window})

			p.setCount(tc.field, tc.value, tc.max)
			v = p.check(rec, nil)
			assert.Equal(t, sdk.Review, v.Decision)
			require.Len(t, v.Hits, 1)
			h := v.Hits[0]
			assert.Equal(t, tc.rule, h.Rule)
			assert.Equal(t, sdk.Review, h.Decision)
			n, m := itoa(tc.max+1), itoa(tc.max)
			assert.Equal(t, map[string]string{tc.field: tc.masked, "count": n, "max": m, "window": tc.windowText}, h.Evidence)
			assert.Contains(t, h.Reason["en"], "on "+n+" applications within "+tc.en+"; more than "+m+" calls for review")
			assert.Contains(t, h.Reason["zh-CN"], tc.zh+"内关联"+n+"笔申请，超过"+m+"笔需人工复核")
		})
	}

	t.Run("configured limit and window", func(t *testing.T) {
		p := newTestPlugin(t)
		cfg := map[string]any{"velocity": map[string]any{"ip": map[string]any{"max": 100, "window": "15m"}}}
		p.setCount("client_ip", cleanIP, 99)
		assert.Empty(t, p.check(rec, cfg).Hits)
		assert.Contains(t, p.countCalls(), countCall{testForm, "client_ip", cleanIP, 15 * time.Minute})
		p.setCount("client_ip", cleanIP, 100)
		h := hitOf(t, p.check(rec, cfg), "velocity.ip")
		assert.Equal(t, "15m", h.Evidence["window"])
		assert.Equal(t, "100", h.Evidence["max"])
		assert.Contains(t, h.Reason["en"], "within 15 minutes")
		assert.Contains(t, h.Reason["zh-CN"], "15分钟内")
		// Other limits keep their defaults.
		assert.Contains(t, p.countCalls(), countCall{testForm, "mobile_phone", cleanPhone, 24 * time.Hour})
	})

	t.Run("counts the value as stored", func(t *testing.T) {
		p := newTestPlugin(t)
		p.setCount("mobile_phone", "+86"+cleanPhone, 4)
		h := hitOf(t, p.check(with(rec, "mobile_phone", "+86"+cleanPhone), nil), "velocity.phone")
		assert.Equal(t, "138****5678", h.Evidence["mobile_phone"])
	})

	t.Run("counts within the call's form", func(t *testing.T) {
		p := newTestPlugin(t)
		p.Host.SetCount(p.tenant, "other_form", "mobile_phone", cleanPhone, 40)
		assert.Empty(t, p.check(rec, nil).Hits)
	})

	t.Run("absent values are not counted", func(t *testing.T) {
		p := newTestPlugin(t)
		p.check(with(rec, "device_id", nil, "client_ip", nil), nil)
		var fields []string
		for _, c := range p.countCalls() {
			fields = append(fields, c.field)
		}
		assert.ElementsMatch(t, []string{"mobile_phone", "id_number"}, fields)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestContacts(t *testing.T) {
	rec := cleanRecord(t)
	contacts := func(cs ...map[string]any) []any {
		out := make([]any, len(cs))
		for i, c := range cs {
			out[i] = c
		}
		return out
	}

	t.Run("overdue contact", func(t *testing.T) {
		p := newTestPlugin(t)
		p.addToList("overdue.phone", "13700002222")
		v := p.check(rec, nil)
		assert.Equal(t, sdk.Review, v.Decision)
		require.Len(t, v.Hits, 1)
		h := v.Hits[0]
		assert.Equal(t, "contact.overdue", h.Rule)
		assert.Equal(t, sdk.Review, h.Decision)
		assert.Equal(t, map[string]string{"contact": "2", "relation": "parent", "phone": "137****2222", "list": "overdue.phone"}, h.Evidence)
		assert.Equal(t, "Emergency contact 2 (parent) is an overdue customer.", h.Reason["en"])
		assert.Equal(t, "紧急联系人2（父母）是逾期客户。", h.Reason["zh-CN"])
	})

	t.Run("every overdue contact is a hit of its own", func(t *testing.T) {
		p := newTestPlugin(t)
		p.addToList("overdue.phone", "13700002222", "13900001111")
		v := p.check(with(rec, "emergency_contacts", contacts(
			map[string]any{"name": "李华", "relation": "friend", "phone": "+8613900001111"},
			map[string]any{"name": "王建国", "relation": "parent", "phone": "13700002222"},
			map[string]any{"name": "王建军", "relation": "relative", "phone": "13700002222"},
		)), nil)
		assert.Equal(t, []string{"contact.overdue", "contact.overdue", "contact.overdue"}, ruleIDs(v))
		assert.Equal(t, "1", v.Hits[0].Evidence["contact"])
		assert.Equal(t, "139****1111", v.Hits[0].Evidence["phone"])
		assert.Equal(t, "3", v.Hits[2].Evidence["contact"])
		assert.Equal(t, "紧急联系人3（其他亲属）是逾期客户。", v.Hits[2].Reason["zh-CN"])
		// One lookup for all contacts, each phone once.
		assert.Equal(t, []string{"overdue.phone"}, filter(p.listCalls(), "overdue.phone"))
	})

	t.Run("an overdue applicant is not an overdue contact", func(t *testing.T) {
		p := newTestPlugin(t)
		p.addToList("overdue.phone", cleanPhone)
		assert.Empty(t, p.check(rec, nil).Hits)
	})

	t.Run("no contacts, no overdue lookup", func(t *testing.T) {
		p := newTestPlugin(t)
		assert.Empty(t, p.check(with(rec, "emergency_contacts", []any{}), nil).Hits)
		assert.Empty(t, filter(p.listCalls(), "overdue.phone"))
	})

	t.Run("applicant's own phone", func(t *testing.T) {
		p := newTestPlugin(t)
		v := p.check(with(rec, "emergency_contacts", contacts(
			map[string]any{"name": "李华", "relation": "friend", "phone": "13900001111"},
			map[string]any{"name": "王建国", "relation": "parent", "phone": "+86" + cleanPhone},
		)), nil)
		assert.Equal(t, sdk.Review, v.Decision)
		require.Equal(t, []string{"contact.own_phone"}, ruleIDs(v))
		assert.Equal(t, map[string]string{"contact": "2", "relation": "parent", "phone": "138****5678"}, v.Hits[0].Evidence)
		assert.Equal(t, "Emergency contact 2 has the applicant's own mobile phone number.", v.Hits[0].Reason["en"])
		assert.Equal(t, "紧急联系人2的手机号与申请人本人手机号相同。", v.Hits[0].Reason["zh-CN"])
	})

	t.Run("applicant's own name", func(t *testing.T) {
		p := newTestPlugin(t)
		v := p.check(with(rec, "emergency_contacts", contacts(
			map[string]any{"name": " 王小明 ", "relation": "sibling", "phone": "13900001111"},
		)), nil)
		require.Equal(t, []string{"contact.own_name"}, ruleIDs(v))
		assert.Equal(t, sdk.Review, v.Hits[0].Decision)
		assert.Equal(t, map[string]string{"contact": "1", "relation": "sibling", "phone": "139****1111", "name": "王**"},
			v.Hits[0].Evidence)
		assert.Equal(t, "紧急联系人1的姓名与申请人本人相同。", v.Hits[0].Reason["zh-CN"])
	})

	t.Run("latin names compare without case or spacing", func(t *testing.T) {
		p := newTestPlugin(t)
		v := p.check(with(rec, "applicant_name", "Li  Lei", "emergency_contacts", contacts(
			map[string]any{"name": "li lei", "relation": "friend", "phone": "13900001111"},
			map[string]any{"name": "Li Leia", "relation": "friend", "phone": "13900001112"},
		)), nil)
		assert.Equal(t, []string{"contact.own_name"}, ruleIDs(v))
	})

	t.Run("different contacts", func(t *testing.T) {
		p := newTestPlugin(t)
		v := p.check(rec, nil)
		assert.Empty(t, v.Hits)
		// Without an applicant phone or name there is nothing to compare.
		v = p.check(with(rec, "mobile_phone", nil, "applicant_name", nil, "emergency_contacts", contacts(
			map[string]any{"name": "王小明", "relation": "friend", "phone": cleanPhone},
		)), nil)
		assert.Empty(t, v.Hits)
	})
}

func filter(xs []string, keep string) []string {
	var out []string
	for _, x := range xs {
		if x == keep {
			out = append(out, x)
		}
	}
	return out
}

// TestEvidenceIsMasked checks every hit of a record that fires every rule: no evidence
// value and no reason carries an identifier in full.
func TestEvidenceIsMasked(t *testing.T) {
	p := newTestPlugin(t)
	rec := everythingRecord(t)
	fillHost(p.Harness, p.tenant, rec)
	v := p.check(rec, nil)
	bad := with(rec, "id_number", wrongCheckDigit(rec["id_number"].(string)))
	vb := p.check(bad, nil)
	v.Hits = append(v.Hits, hitOf(t, vb, "identity.id_invalid"), hitOf(t, vb, "identity.age_out_of_range"))
	require.Len(t, v.Hits, 15+2) // every rule once, then id_invalid and age of the invalid ID

	secrets := []string{rec["id_number"].(string), bad["id_number"].(string), cleanPhone, cleanCard, cleanDevice,
		cleanIP, "13900001111", "王小明", "李华", "2008-01-01", "2008-01-02", "0101", "0102"}
	for _, h := range v.Hits {
		texts := []string{h.Reason["en"], h.Reason["zh-CN"]}
		for _, e := range h.Evidence {
			texts = append(texts, e)
		}
		for _, s := range texts {
			for _, secret := range secrets {
				assert.NotContains(t, s, secret, "%s shows %q in full", h.Rule, secret)
			}
		}
	}
	// The shapes staff expect.
	id := rec["id_number"].(string)
	assert.Equal(t, id[:6]+"********"+id[14:], hitOf(t, v, "blacklist.id_number").Evidence["id_number"])
	assert.Regexp(t, `^110105\*{8}\d{3}[\dX]$`, hitOf(t, v, "blacklist.id_number").Evidence["id_number"])
	assert.Equal(t, "138****5678", hitOf(t, v, "blacklist.phone").Evidence["mobile_phone"])
	assert.Equal(t, "2008-**-**", hitOf(t, v, "identity.birth_date_mismatch").Evidence["birth_date"])
}
