package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/plugins/sdk"
)

// Published numbers with known check digits: GB 11643-1999's own examples.
const (
	publishedX = "11010519491231002X" // Beijing Chaoyang, 31 Dec 1949, woman, check digit X
	published4 = "440524188001010014" // Guangdong Shantou, 1 Jan 1880, man, check digit 4
)

// The check digits the tests compute for their own IDs come from checkDigit, so first
// make sure it agrees with the published ones.
func TestCheckDigitMatchesPublishedNumbers(t *testing.T) {
	assert.Equal(t, byte('X'), checkDigit(publishedX[:17]))
	assert.Equal(t, byte('4'), checkDigit(published4[:17]))
}

// idRecord is the clean record with the identity fields replaced.
func idRecord(t *testing.T, id, birth, gender string) map[string]any {
	return with(cleanRecord(t), "id_number", id, "birth_date", birth, "gender", gender)
}

func TestPublishedIDsAreValid(t *testing.T) {
	p := newTestPlugin(t)

	v := p.check(idRecord(t, publishedX, "1949-12-31", "female"), noAgeLimit)
	assert.Equal(t, sdk.Pass, v.Decision, "%v", v.Hits)

	// With the default bounds the 75-year-old is rejected for age only.
	v = p.check(idRecord(t, publishedX, "1949-12-31", "female"), nil)
	assert.Equal(t, []string{"identity.age_out_of_range"}, ruleIDs(v))
	assert.Equal(t, map[string]string{"age": "75", "min_age": "18", "max_age": "65"}, v.Hits[0].Evidence)

	v = p.check(idRecord(t, published4, "1880-01-01", "male"), nil)
	assert.Equal(t, []string{"identity.age_out_of_range"}, ruleIDs(v), "a valid ID, too old an applicant")
	assert.Equal(t, "145", v.Hits[0].Evidence["age"])
}

func TestInvalidIDIsRejected(t *testing.T) {
	cases := []struct {
		name, id, problem string
	}{
		{"published number, last digit changed", "110105194912310021", "check_digit"},
		{"computed number, last digit changed", wrongCheckDigit(makeID(t, "320102", "19850704", "417")), "check_digit"},
		{"adjacent digits swapped", "11010519491231020X", "check_digit"},
		{"region 71 issues no IDs", makeID(t, "710101", "19850704", "417"), "region"},
		{"region 99", makeID(t, "990101", "19850704", "417"), "region"},
		{"region 10", makeID(t, "100101", "19850704", "417"), "region"},
		{"30 February", makeID(t, "110105", "19900230", "417"), "birth_date"},
		{"month 13", makeID(t, "110105", "19901301", "417"), "birth_date"},
		{"day 00", makeID(t, "110105", "19900100", "417"), "birth_date"},
		{"born tomorrow", makeID(t, "110105", "20250616", "417"), "birth_date"},
		{"born 1799", makeID(t, "110105", "17991231", "417"), "birth_date"},
		{"29 February of a common year", makeID(t, "110105", "19900229", "417"), "birth_date"},
		{"17 characters", publishedX[:17], "format"},
		{"19 characters", publishedX + "1", "format"},
		{"15-digit first-generation number", "110105491231002", "format"},
		{"letter inside", "1101051949123100AX", "format"},
		{"final letter other than X", "11010519491231002Y", "format"},
		{"full-width digits", "１１０１０５１９４９１２３１００２Ｘ", "format"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPlugin(t)
			v := p.check(idRecord(t, tc.id, "1985-07-04", "male"), nil)
			assert.Equal(t, sdk.Reject, v.Decision)
			h := hitOf(t, v, "identity.id_invalid")
			assert.Equal(t, sdk.Reject, h.Decision)
			assert.Equal(t, tc.problem, h.Evidence["problem"])
			assert.NotEqual(t, tc.id, h.Evidence["id_number"], "evidence shows the number in full")
			assert.NotEmpty(t, h.Reason["en"])
			assert.NotEmpty(t, h.Reason["zh-CN"])
			// An invalid ID encodes nothing to compare with, so no mismatch hits.
			assert.NotContains(t, ruleIDs(v), "identity.birth_date_mismatch")
			assert.NotContains(t, ruleIDs(v), "identity.gender_mismatch")
		})
	}
	t.Run("reasons name the problem", func(t *testing.T) {
		p := newTestPlugin(t)
		h := hitOf(t, p.check(idRecord(t, "110105194912310021", "1949-12-31", "female"), noAgeLimit), "identity.id_invalid")
		assert.Equal(t, map[string]string{"id_number": "110105********0021", "problem": "check_digit"}, h.Evidence)
		assert.Contains(t, h.Reason["en"], "check digit")
		assert.Contains(t, h.Reason["zh-CN"], "校验码")
	})
}

func TestValidIDVariants(t *testing.T) {
	cases := []struct {
		name, id, birth, gender string
	}{
		{"lower-case x", "11010519491231002x", "1949-12-31", "female"},
		{"surrounding spaces", " " + publishedX + " ", "1949-12-31", "female"},
		{"29 February of a leap year", makeID(t, "110105", "19920229", "417"), "1992-02-29", "male"},
		{"Hong Kong resident's permit", makeID(t, "810000", "19880808", "124"), "1988-08-08", "female"},
		{"Macao resident's permit", makeID(t, "820000", "19880808", "124"), "1988-08-08", "female"},
		{"Taiwan resident's permit", makeID(t, "830000", "19880808", "124"), "1988-08-08", "female"},
		{"Xinjiang", makeID(t, "650102", "19700101", "999"), "1970-01-01", "male"},
		{"check digit 0", findID(t, '0'), "", ""},
		{"check digit X", findID(t, 'X'), "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPlugin(t)
			rec := idRecord(t, tc.id, tc.birth, tc.gender)
			if tc.birth == "" {
				rec = with(rec, "birth_date", nil, "gender", nil)
			}
			v := p.check(rec, noAgeLimit)
			assert.Empty(t, v.Hits)
		})
	}
}

// findID returns a valid ID of a 1990 birth whose check digit is c.
func findID(t *testing.T, c byte) string {
	for seq := 100; seq < 1000; seq++ {
		first17 := "11010519900101" + string(rune('0'+seq/100)) + string(rune('0'+seq/10%10)) + string(rune('0'+seq%10))
		if checkDigit(first17) == c {
			return first17 + string(c)
		}
	}
	require.FailNow(t, "no sequence gives check digit", "%c", c)
	return ""
}

func TestBirthDateMismatch(t *testing.T) {
	id := makeID(t, "110105", "19900517", "123") // the clean record's ID
	cases := []struct {
		name, birth string
		ev          map[string]string // nil: no hit
		en, zh      string
	}{
		{name: "same date", birth: "1990-05-17"},
		{name: "absent", birth: ""},
		{name: "day differs", birth: "1990-05-18",
			ev: map[string]string{"differs_in": "day", "birth_date": "1990-**-**", "birth_date_in_id_number": "1990-**-**"},
			en: "The date of birth entered differs from the one in the ID number (day).",
			zh: "填写的出生日期与身份证号中的出生日期不一致（日不同）。"},
		{name: "year and month differ", birth: "1991-06-17",
			ev: map[string]string{"differs_in": "year,month", "birth_date": "1991-**-**", "birth_date_in_id_number": "1990-**-**"},
			en: "The date of birth entered differs from the one in the ID number (year, month).",
			zh: "填写的出生日期与身份证号中的出生日期不一致（年、月不同）。"},
		{name: "unreadable", birth: "17/05/1990",
			ev: map[string]string{"differs_in": "unreadable", "birth_date_in_id_number": "1990-**-**"},
			en: "The date of birth entered cannot be read as a date, so it cannot be matched with the ID number.",
			zh: "填写的出生日期无法识别，无法与身份证号核对。"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPlugin(t)
			rec := idRecord(t, id, tc.birth, "male")
			if tc.birth == "" {
				rec = with(rec, "birth_date", nil)
			}
			v := p.check(rec, nil)
			if tc.ev == nil {
				assert.Empty(t, v.Hits)
				return
			}
			assert.Equal(t, sdk.Review, v.Decision)
			require.Equal(t, []string{"identity.birth_date_mismatch"}, ruleIDs(v))
			h := v.Hits[0]
			tc.ev["id_number"] = id[:6] + "********" + id[14:]
			assert.Equal(t, tc.ev, h.Evidence)
			assert.Equal(t, tc.en, h.Reason["en"])
			assert.Equal(t, tc.zh, h.Reason["zh-CN"])
		})
	}
}

func TestGenderMismatch(t *testing.T) {
	man := makeID(t, "110105", "19900517", "123")   // 17th digit 3: odd
	woman := makeID(t, "110105", "19900517", "120") // 17th digit 0: even
	cases := []struct {
		name, id, gender, inID string // inID "" means no hit
	}{
		{"man says male", man, "male", ""},
		{"woman says female", woman, "female", ""},
		{"man says female", man, "female", "male"},
		{"woman says male", woman, "male", "female"},
		{"unknown value", woman, "other", "female"},
		{"absent", man, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPlugin(t)
			rec := idRecord(t, tc.id, "1990-05-17", tc.gender)
			if tc.gender == "" {
				rec = with(rec, "gender", nil)
			}
			v := p.check(rec, nil)
			if tc.inID == "" {
				assert.Empty(t, v.Hits)
				return
			}
			assert.Equal(t, sdk.Review, v.Decision)
			require.Equal(t, []string{"identity.gender_mismatch"}, ruleIDs(v))
			h := v.Hits[0]
			assert.Equal(t, tc.gender, h.Evidence["gender"])
			assert.Equal(t, tc.inID, h.Evidence["gender_in_id_number"])
			assert.Equal(t, tc.id[:6]+"********"+tc.id[14:], h.Evidence["id_number"])
		})
	}
	t.Run("reason", func(t *testing.T) {
		p := newTestPlugin(t)
		h := hitOf(t, p.check(idRecord(t, man, "1990-05-17", "female"), nil), "identity.gender_mismatch")
		assert.Equal(t, "The gender entered (female) differs from the one the ID number encodes (male).", h.Reason["en"])
		assert.Equal(t, "填写的性别（女）与身份证号显示的性别（男）不一致。", h.Reason["zh-CN"])
	})
}

func TestAgeBounds(t *testing.T) {
	// testNow is 15 June 2025 in China.
	cases := []struct {
		name, birth string
		cfg         any
		age         string // "" means within bounds
	}{
		{"18 today", "20070615", nil, ""},
		{"18 tomorrow", "20070616", nil, "17"},
		{"65, 66 tomorrow", "19590616", nil, ""},
		{"66 today", "19590615", nil, "66"},
		{"middle aged", "19850704", nil, ""},
		{"configured minimum", "20050101", map[string]any{"age": map[string]any{"min": 21}}, "20"},
		{"configured maximum reached", "19700101", map[string]any{"age": map[string]any{"max": 55}}, ""},
		{"configured maximum exceeded", "19690101", map[string]any{"age": map[string]any{"max": 55}}, "56"},
		{"born today", "20250615", nil, "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPlugin(t)
			birth := tc.birth[:4] + "-" + tc.birth[4:6] + "-" + tc.birth[6:]
			v := p.check(idRecord(t, makeID(t, "110105", tc.birth, "417"), birth, "male"), tc.cfg)
			if tc.age == "" {
				assert.Empty(t, v.Hits)
				return
			}
			assert.Equal(t, sdk.Reject, v.Decision)
			require.Equal(t, []string{"identity.age_out_of_range"}, ruleIDs(v))
			assert.Equal(t, tc.age, v.Hits[0].Evidence["age"])
			assert.Equal(t, sdk.Reject, v.Hits[0].Decision)
		})
	}

	t.Run("reason and bounds", func(t *testing.T) {
		p := newTestPlugin(t)
		cfg := map[string]any{"age": map[string]any{"min": 21, "max": 60}}
		h := hitOf(t, p.check(idRecord(t, makeID(t, "110105", "20050101", "417"), "2005-01-01", "male"), cfg),
			"identity.age_out_of_range")
		assert.Equal(t, map[string]string{"age": "20", "min_age": "21", "max_age": "60"}, h.Evidence)
		assert.Equal(t, "The applicant is 20, outside the accepted ages 21 to 60.", h.Reason["en"])
		assert.Equal(t, "申请人年龄20岁，不在准入年龄21至60岁之内。", h.Reason["zh-CN"])
	})

	t.Run("from the birth date when the ID gives none", func(t *testing.T) {
		p := newTestPlugin(t)
		v := p.check(with(idRecord(t, "", "2015-03-01", "male"), "id_number", nil), nil)
		assert.Equal(t, []string{"identity.age_out_of_range"}, ruleIDs(v))
		assert.Equal(t, "10", v.Hits[0].Evidence["age"])

		v = p.check(idRecord(t, wrongCheckDigit(makeID(t, "110105", "19900101", "417")), "2015-03-01", "male"), nil)
		assert.Equal(t, []string{"identity.id_invalid", "identity.age_out_of_range"}, ruleIDs(v))

		// The ID's date wins over the one entered, which the mismatch rule reports.
		v = p.check(idRecord(t, makeID(t, "110105", "19900101", "417"), "2015-03-01", "male"), nil)
		assert.Equal(t, []string{"identity.birth_date_mismatch"}, ruleIDs(v))
	})

	t.Run("no birth date at all", func(t *testing.T) {
		p := newTestPlugin(t)
		v := p.check(with(cleanRecord(t), "id_number", nil, "birth_date", nil), nil)
		assert.Empty(t, v.Hits)
	})
}
