package form

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// masker turns a value into what a read_masked reader sees.
type masker func(v any) any

// fullMask is what a reader sees of a value that keeps nothing in clear.
const fullMask = "***"

// newMasker returns the masker of m; nil means "full".
func newMasker(m *Mask) masker {
	if m == nil {
		return maskFullValue
	}
	switch m.Name {
	case MaskIDNumber:
		return stringMasker(func(s string) string { return keepEnds(s, 3, 4) })
	case MaskPhone:
		return stringMasker(maskPhone)
	case MaskBankCard:
		return stringMasker(maskBankCard)
	case MaskName:
		return stringMasker(maskPersonName)
	case MaskEmail:
		return stringMasker(maskEmail)
	case "":
		start, end := m.KeepStart, m.KeepEnd
		return func(v any) any {
			if v == nil {
				return nil
			}
			s, ok := scalarText(v)
			if !ok {
				return fullMask
			}
			return keepEnds(s, start, end)
		}
	}
	return maskFullValue
}

// MaskValue applies mask m to v the way a read_masked reader sees it; other packages
// (exports, reports' drill-down) use it to show the same thing everywhere.
func MaskValue(m *Mask, v any) any { return newMasker(m)(v) }

func maskFullValue(v any) any {
	if v == nil {
		return nil
	}
	return fullMask
}

// stringMasker applies f to strings; any other value is masked in full, since a named
// mask's shape (ID number, phone…) only makes sense for text.
func stringMasker(f func(string) string) masker {
	return func(v any) any {
		switch s := v.(type) {
		case nil:
			return nil
		case string:
			return f(s)
		}
		return fullMask
	}
}

func scalarText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case int:
		return strconv.Itoa(t), true
	}
	return "", false
}

// keepEnds keeps start leading and end trailing characters and stars the rest, one star
// per character. A value too short to hide anything is starred entirely.
func keepEnds(s string, start, end int) string {
	n := utf8.RuneCountInString(s)
	if n <= start+end {
		return strings.Repeat("*", n)
	}
	// Byte offsets of the kept head and tail, found without converting to runes.
	head, tail := 0, len(s)
	for i := 0; i < start; i++ {
		_, size := utf8.DecodeRuneInString(s[head:])
		head += size
	}
	for i := 0; i < end; i++ {
		_, size := utf8.DecodeLastRuneInString(s[:tail])
		tail -= size
	}
	stars := n - start - end
	var b strings.Builder
	b.Grow(head + stars + len(s) - tail)
	b.WriteString(s[:head])
	for range stars {
		b.WriteByte('*')
	}
	b.WriteString(s[tail:])
	return b.String()
}

// maskPhone keeps the 3-digit prefix and the last 4 digits: 138****5678. The +86
// country code is dropped so mainland numbers always read the same.
func maskPhone(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+86")
	return keepEnds(s, 3, 4)
}

// maskBankCard keeps the last 4 digits in the grouped form banks print: **** **** **** 1234.
func maskBankCard(s string) string {
	var digits []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits = append(digits, s[i])
		}
	}
	if len(digits) < 8 {
		return "****"
	}
	return "**** **** **** " + string(digits[len(digits)-4:])
}

// maskPersonName keeps the first character: 张三 → 张*, 欧阳娜娜 → 欧***. A name written
// in words keeps the family name (last word) and the initial of the others:
// John Smith → J*** Smith.
func maskPersonName(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, " \t\n") {
		return initialOnly(s)
	}
	words := strings.Fields(s)
	for i := range words[:len(words)-1] {
		words[i] = initialOnly(words[i])
	}
	return strings.Join(words, " ")
}

func initialOnly(w string) string {
	n := utf8.RuneCountInString(w)
	if n <= 1 {
		return strings.Repeat("*", n)
	}
	return keepEnds(w, 1, 0)
}

// maskEmail keeps the first character of the mailbox and the domain: z***@example.com.
// The number of stars is fixed so the mailbox length does not show.
func maskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return fullMask
	}
	local, domain := s[:at], s[at:]
	if utf8.RuneCountInString(local) <= 1 {
		return fullMask + domain
	}
	first, _ := utf8.DecodeRuneInString(local)
	return string(first) + fullMask + domain
}
