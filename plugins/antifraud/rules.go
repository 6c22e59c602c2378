package main

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/credolabs/credo/plugins/sdk"
)

// rule is one fraud check. Rules are values listed once, in builtinRules; the detector
// runs every rule the tenant has not disabled and keeps the worst decision of the hits.
type rule interface {
	// id is stable: tenants disable rules by it and verdicts name it.
	id() string
	// decision is what a hit of this rule calls for.
	decision() sdk.Decision
	// reads lists the record fields the rule looks at.
	reads() []string
	// ask returns the host questions the rule needs answered for this record: none for
	// a rule that judges the record alone or has no value to look up. The detector asks
	// every rule's questions in one host Lookup.
	ask(e *env) sdk.Lookups
	// check returns the rule's hits, given the answers to what it asked.
	check(e *env, a *answers) []sdk.Hit
}

// env is what a rule sees of one call.
type env struct {
	app   *application
	cfg   *config
	form  string
	today time.Time
}

// answers is one rule's share of the check's host Lookup: the questions it asked and
// the host's answers to them, in the same order.
type answers struct {
	asked sdk.Lookups
	got   sdk.LookupResults
}

// recordOnly is embedded by rules that judge the record alone and ask the host nothing.
type recordOnly struct{}

func (recordOnly) ask(*env) sdk.Lookups { return sdk.Lookups{} }

// builtinRules is the one list of rules, in the order their hits are reported among
// hits of equal severity.
func builtinRules() []rule {
	return []rule{
		listRule{
			rid: "blacklist.id_number", list: "blacklist.id_number", field: "id_number",
			values: func(a *application) []string { return nonEmpty(a.idNumber) }, mask: maskIDNumber,
			why: text{"The applicant's ID number is on the ID number blacklist.", "申请人身份证号命中身份证黑名单。"},
		},
		listRule{
			rid: "blacklist.phone", list: "blacklist.phone", field: "mobile_phone",
			values: func(a *application) []string { return nonEmpty(a.phoneNorm) }, mask: maskPhone,
			why: text{"The applicant's mobile phone number is on the phone blacklist.", "申请人手机号命中手机号黑名单。"},
		},
		listRule{
			rid: "blacklist.device_id", list: "blacklist.device_id", field: "device_id",
			values: func(a *application) []string { return nonEmpty(strings.TrimSpace(a.deviceID)) }, mask: maskDeviceID,
			why: text{"The device this application was made from is on the device blacklist.", "本次申请所用设备命中设备黑名单。"},
		},
		listRule{
			rid: "blacklist.ip", list: "blacklist.ip", field: "client_ip",
			values: ipListValues, mask: maskIP,
			why: text{"The application came from an IP address or network on the IP blacklist.", "本次申请的IP地址或网段命中IP黑名单。"},
		},
		listRule{
			rid: "blacklist.bank_card", list: "blacklist.bank_card", field: "disbursement_card",
			values: func(a *application) []string { return nonEmpty(a.card) }, mask: maskBankCard,
			why: text{"The disbursement bank card is on the bank card blacklist.", "放款银行卡命中银行卡黑名单。"},
		},
		velocityRule{
			rid: "velocity.phone", field: "mobile_phone", mask: func(s string) string { return maskPhone(normPhone(s)) },
			value: func(a *application) string { return a.phone },
			limit: func(c *config) limit { return c.Velocity.Phone },
			what:  text{"mobile phone number", "手机号"},
		},
		velocityRule{
			rid: "velocity.id_number", field: "id_number", mask: maskIDNumber,
			value: func(a *application) string { return a.idRaw },
			limit: func(c *config) limit { return c.Velocity.IDNumber },
			what:  text{"ID number", "身份证号"},
		},
		velocityRule{
			rid: "velocity.device_id", field: "device_id", mask: maskDeviceID,
			value: func(a *application) string { return a.deviceID },
			limit: func(c *config) limit { return c.Velocity.DeviceID },
			what:  text{"device", "设备"},
		},
		velocityRule{
			rid: "velocity.ip", field: "client_ip", mask: maskIP,
			value: func(a *application) string { return a.clientIP },
			limit: func(c *config) limit { return c.Velocity.IP },
			what:  text{"IP address", "IP地址"},
		},
		overdueContactRule{},
		ownPhoneContactRule{},
		ownNameContactRule{},
		idInvalidRule{},
		birthDateRule{},
		genderRule{},
		ageRule{},
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// listRule rejects an application whose value is on one of the tenant's lists.
type listRule struct {
	rid, list, field string
	// values are what to look up, in the list's canonical form; none skips the rule.
	values func(*application) []string
	mask   func(string) string
	why    text
}

func (r listRule) id() string             { return r.rid }
func (r listRule) decision() sdk.Decision { return sdk.Reject }
func (r listRule) reads() []string        { return []string{r.field} }

func (r listRule) ask(e *env) sdk.Lookups {
	vals := r.values(e.app)
	if len(vals) == 0 {
		return sdk.Lookups{}
	}
	return sdk.Lookups{Lists: []sdk.ListQuery{{List: r.list, Values: vals}}}
}

func (r listRule) check(_ *env, a *answers) []sdk.Hit {
	if len(a.asked.Lists) == 0 {
		return nil
	}
	vals, found := a.asked.Lists[0].Values, a.got.Lists[0]
	if len(found) == 0 {
		return nil
	}
	ev := map[string]string{r.field: r.mask(vals[0]), "list": r.list}
	if !slices.Contains(found, vals[0]) {
		// A network entry matched rather than the address itself.
		ev["matched_entry"] = found[0]
	}
	return []sdk.Hit{{Rule: r.rid, Evidence: ev, Reason: r.why.reason(), Decision: r.decision()}}
}

// ipListValues looks an address up as itself and as its network (/24 for IPv4, /64 for
// IPv6), so a tenant can list a whole network that a fraud ring rotates addresses in.
func ipListValues(a *application) []string {
	s := strings.TrimSpace(a.clientIP)
	if s == "" {
		return nil
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return []string{s}
	}
	addr = addr.Unmap().WithZone("")
	bits := 64
	if addr.Is4() {
		bits = 24
	}
	p, _ := addr.Prefix(bits) // bits fits both families: cannot fail
	return []string{addr.String(), p.String()}
}

// velocityRule calls for review when too many applications of the form share a value
// within a window.
type velocityRule struct {
	rid, field string
	value      func(*application) string
	limit      func(*config) limit
	mask       func(string) string
	what       text
}

func (r velocityRule) id() string             { return r.rid }
func (r velocityRule) decision() sdk.Decision { return sdk.Review }
func (r velocityRule) reads() []string        { return []string{r.field} }

func (r velocityRule) ask(e *env) sdk.Lookups {
	v := r.value(e.app)
	if v == "" {
		return sdk.Lookups{}
	}
	// Stored records hold the value as entered, so the count matches it unchanged.
	return sdk.Lookups{Counts: []sdk.CountQuery{{Form: e.form, Field: r.field, Value: v, Window: r.limit(e.cfg).Window.d}}}
}

func (r velocityRule) check(e *env, a *answers) []sdk.Hit {
	if len(a.asked.Counts) == 0 {
		return nil
	}
	v := a.asked.Counts[0].Value
	l := r.limit(e.cfg)
	// The host counts the applications stored before this one; this one makes one more.
	n := a.got.Counts[0] + 1
	if n <= l.Max {
		return nil
	}
	w := windowText(l.Window)
	return []sdk.Hit{{
		Rule: r.rid,
		Evidence: map[string]string{r.field: r.mask(v), "count": strconv.FormatInt(n, 10),
			"max": strconv.FormatInt(l.Max, 10), "window": l.Window.String()},
		Reason: text{
			fmt.Sprintf("This %s is on %d applications within %s; more than %d calls for review.", r.what.en, n, w.en, l.Max),
			fmt.Sprintf("该%s在%s内关联%d笔申请，超过%d笔需人工复核。", r.what.zh, w.zh, n, l.Max),
		}.reason(),
		Decision: r.decision(),
	}}
}

// overdueContactRule calls for review when an emergency contact is an overdue customer:
// borrowers who cannot be reached are chased through their contacts, and a contact who
// is in arrears themselves is no help and often part of a ring.
type overdueContactRule struct{}

const overdueList = "overdue.phone"

func (overdueContactRule) id() string             { return "contact.overdue" }
func (overdueContactRule) decision() sdk.Decision { return sdk.Review }
func (overdueContactRule) reads() []string        { return []string{"emergency_contacts"} }

// ask looks every contact's phone up at once, each phone once.
func (overdueContactRule) ask(e *env) sdk.Lookups {
	var phones []string
	seen := map[string]bool{}
	for _, c := range e.app.contacts {
		if c.phoneNorm != "" && !seen[c.phoneNorm] {
			seen[c.phoneNorm] = true
			phones = append(phones, c.phoneNorm)
		}
	}
	if len(phones) == 0 {
		return sdk.Lookups{}
	}
	return sdk.Lookups{Lists: []sdk.ListQuery{{List: overdueList, Values: phones}}}
}

func (r overdueContactRule) check(e *env, a *answers) []sdk.Hit {
	if len(a.asked.Lists) == 0 {
		return nil
	}
	overdue := map[string]bool{}
	for _, f := range a.got.Lists[0] {
		overdue[f] = true
	}
	var hits []sdk.Hit
	for i, c := range e.app.contacts {
		if !overdue[c.phoneNorm] {
			continue
		}
		rel := relationText(c.relation)
		hits = append(hits, sdk.Hit{
			Rule:     r.id(),
			Evidence: contactEvidence(i, c, map[string]string{"list": overdueList}),
			Reason: text{
				fmt.Sprintf("Emergency contact %d (%s) is an overdue customer.", i+1, rel.en),
				fmt.Sprintf("紧急联系人%d（%s）是逾期客户。", i+1, rel.zh),
			}.reason(),
			Decision: r.decision(),
		})
	}
	return hits
}

func contactEvidence(i int, c contact, more map[string]string) map[string]string {
	ev := map[string]string{"contact": strconv.Itoa(i + 1), "relation": c.relation, "phone": maskPhone(c.phoneNorm)}
	for k, v := range more {
		ev[k] = v
	}
	return ev
}

// ownPhoneContactRule calls for review when the applicant gives their own mobile number
// as an emergency contact: the lender then has no one else to reach.
type ownPhoneContactRule struct{ recordOnly }

func (ownPhoneContactRule) id() string             { return "contact.own_phone" }
func (ownPhoneContactRule) decision() sdk.Decision { return sdk.Review }
func (ownPhoneContactRule) reads() []string {
	return []string{"emergency_contacts", "mobile_phone"}
}

func (r ownPhoneContactRule) check(e *env, _ *answers) []sdk.Hit {
	if e.app.phoneNorm == "" {
		return nil
	}
	var hits []sdk.Hit
	for i, c := range e.app.contacts {
		if c.phoneNorm != e.app.phoneNorm {
			continue
		}
		hits = append(hits, sdk.Hit{
			Rule:     r.id(),
			Evidence: contactEvidence(i, c, nil),
			Reason: text{
				fmt.Sprintf("Emergency contact %d has the applicant's own mobile phone number.", i+1),
				fmt.Sprintf("紧急联系人%d的手机号与申请人本人手机号相同。", i+1),
			}.reason(),
			Decision: r.decision(),
		})
	}
	return hits
}

// ownNameContactRule calls for review when an emergency contact bears the applicant's
// own name: the applicant is most likely listed as their own contact.
type ownNameContactRule struct{ recordOnly }

func (ownNameContactRule) id() string             { return "contact.own_name" }
func (ownNameContactRule) decision() sdk.Decision { return sdk.Review }
func (ownNameContactRule) reads() []string {
	return []string{"applicant_name", "emergency_contacts"}
}

func (r ownNameContactRule) check(e *env, _ *answers) []sdk.Hit {
	own := normName(e.app.applicantName)
	if own == "" {
		return nil
	}
	var hits []sdk.Hit
	for i, c := range e.app.contacts {
		if normName(c.name) != own {
			continue
		}
		hits = append(hits, sdk.Hit{
			Rule:     r.id(),
			Evidence: contactEvidence(i, c, map[string]string{"name": maskName(c.name)}),
			Reason: text{
				fmt.Sprintf("Emergency contact %d has the applicant's own name.", i+1),
				fmt.Sprintf("紧急联系人%d的姓名与申请人本人相同。", i+1),
			}.reason(),
			Decision: r.decision(),
		})
	}
	return hits
}

// idInvalidRule rejects an ID number that no resident ID can have: a made-up or
// mistyped number identifies no one.
type idInvalidRule struct{ recordOnly }

func (idInvalidRule) id() string             { return "identity.id_invalid" }
func (idInvalidRule) decision() sdk.Decision { return sdk.Reject }
func (idInvalidRule) reads() []string        { return []string{"id_number"} }

var idProblemText = map[idProblem]text{
	idFormat: {"The ID number is not 18 characters of digits with a final digit or X.",
		"身份证号不是18位（前17位为数字，末位为数字或X）。"},
	idRegion: {"The ID number does not start with the code of a province where ID cards are issued.",
		"身份证号开头的省级行政区划代码无效。"},
	idBirthDate: {"The birth date inside the ID number is not a real past date.",
		"身份证号中的出生日期不是真实存在的日期。"},
	idCheckDigit: {"The ID number's last character does not match the check digit computed from its first 17 digits: it was mistyped or made up.",
		"身份证号末位校验码与前17位计算结果不符，可能录入错误或系伪造。"},
}

func (r idInvalidRule) check(e *env, _ *answers) []sdk.Hit {
	if e.app.idNumber == "" || e.app.idProblem == "" {
		return nil
	}
	return []sdk.Hit{{
		Rule:     r.id(),
		Evidence: map[string]string{"id_number": maskIDNumber(e.app.idNumber), "problem": string(e.app.idProblem)},
		Reason:   idProblemText[e.app.idProblem].reason(),
		Decision: r.decision(),
	}}
}

// birthDateRule calls for review when the birth date entered differs from the one in a
// valid ID number: the ID may belong to someone else.
type birthDateRule struct{ recordOnly }

func (birthDateRule) id() string             { return "identity.birth_date_mismatch" }
func (birthDateRule) decision() sdk.Decision { return sdk.Review }
func (birthDateRule) reads() []string        { return []string{"birth_date", "id_number"} }

func (r birthDateRule) check(e *env, _ *answers) []sdk.Hit {
	a := e.app
	if a.idNumber == "" || a.idProblem != "" || strings.TrimSpace(a.birthDate) == "" {
		return nil
	}
	inID := a.id.birth
	given, ok := parseDate(a.birthDate)
	var differs []string
	var why text
	if !ok {
		differs = []string{"unreadable"}
		why = text{"The date of birth entered cannot be read as a date, so it cannot be matched with the ID number.",
			"填写的出生日期无法识别，无法与身份证号核对。"}
	} else {
		var en, zh []string
		for _, p := range []struct {
			name, zh string
			same     bool
		}{
			{"year", "年", given.Year() == inID.Year()},
			{"month", "月", given.Month() == inID.Month()},
			{"day", "日", given.Day() == inID.Day()},
		} {
			if !p.same {
				differs = append(differs, p.name)
				en, zh = append(en, p.name), append(zh, p.zh)
			}
		}
		if len(differs) == 0 {
			return nil
		}
		why = text{"The date of birth entered differs from the one in the ID number (" + strings.Join(en, ", ") + ").",
			"填写的出生日期与身份证号中的出生日期不一致（" + strings.Join(zh, "、") + "不同）。"}
	}
	// Years only: enough to see an age discrepancy without disclosing the birthday.
	ev := map[string]string{
		"id_number": maskIDNumber(a.idNumber), "differs_in": strings.Join(differs, ","),
		"birth_date_in_id_number": inID.Format("2006") + "-**-**",
	}
	if ok {
		ev["birth_date"] = given.Format("2006") + "-**-**"
	}
	return []sdk.Hit{{Rule: r.id(), Evidence: ev, Reason: why.reason(), Decision: r.decision()}}
}

// genderRule calls for review when the gender entered differs from the one a valid ID
// number encodes in its 17th digit (odd for men, even for women).
type genderRule struct{ recordOnly }

func (genderRule) id() string             { return "identity.gender_mismatch" }
func (genderRule) decision() sdk.Decision { return sdk.Review }
func (genderRule) reads() []string        { return []string{"gender", "id_number"} }

func (r genderRule) check(e *env, _ *answers) []sdk.Hit {
	a := e.app
	if a.idNumber == "" || a.idProblem != "" || a.gender == "" {
		return nil
	}
	inID := "female"
	if a.id.male {
		inID = "male"
	}
	if a.gender == inID {
		return nil
	}
	g, want := genderText(a.gender), genderText(inID)
	return []sdk.Hit{{
		Rule:     r.id(),
		Evidence: map[string]string{"id_number": maskIDNumber(a.idNumber), "gender": a.gender, "gender_in_id_number": inID},
		Reason: text{
			fmt.Sprintf("The gender entered (%s) differs from the one the ID number encodes (%s).", g.en, want.en),
			fmt.Sprintf("填写的性别（%s）与身份证号显示的性别（%s）不一致。", g.zh, want.zh),
		}.reason(),
		Decision: r.decision(),
	}}
}

// ageRule rejects applicants outside the tenant's age bounds, reckoned from a valid ID
// number's birth date, or from the birth date entered when the ID gives none.
type ageRule struct{ recordOnly }

func (ageRule) id() string             { return "identity.age_out_of_range" }
func (ageRule) decision() sdk.Decision { return sdk.Reject }
func (ageRule) reads() []string        { return []string{"birth_date", "id_number"} }

func (r ageRule) check(e *env, _ *answers) []sdk.Hit {
	a := e.app
	birth := a.id.birth
	if a.idNumber == "" || a.idProblem != "" {
		var ok bool
		if birth, ok = parseDate(a.birthDate); !ok {
			return nil
		}
	}
	n := age(birth, e.today)
	lo, hi := e.cfg.Age.Min, e.cfg.Age.Max
	if n >= lo && n <= hi {
		return nil
	}
	return []sdk.Hit{{
		Rule: r.id(),
		Evidence: map[string]string{"age": strconv.Itoa(n), "min_age": strconv.Itoa(lo),
			"max_age": strconv.Itoa(hi)},
		Reason: text{
			fmt.Sprintf("The applicant is %d, outside the accepted ages %d to %d.", n, lo, hi),
			fmt.Sprintf("申请人年龄%d岁，不在准入年龄%d至%d岁之内。", n, lo, hi),
		}.reason(),
		Decision: r.decision(),
	}}
}

var (
	_ rule = listRule{}
	_ rule = velocityRule{}
	_ rule = overdueContactRule{}
	_ rule = ownPhoneContactRule{}
	_ rule = ownNameContactRule{}
	_ rule = idInvalidRule{}
	_ rule = birthDateRule{}
	_ rule = genderRule{}
	_ rule = ageRule{}
)
