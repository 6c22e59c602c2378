package main

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// Evidence leaves the plugin in verdicts that staff read and the host stores, so it shows
// only enough of a value to recognise it: the masks below follow what Chinese lenders
// print on screens and statements.

// keepEnds keeps start runes at the front and end runes at the back of s and stars the
// rest. When s is too short to hide anything that way, it keeps less, never all of it.
func keepEnds(s string, start, end int) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	for start+end >= n && start+end > 0 {
		// Give up a kept rune from the longer side until at least one rune is hidden.
		if start >= end {
			start--
		} else {
			end--
		}
	}
	var b strings.Builder
	i := 0
	for _, r := range s {
		if i < start || i >= n-end {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// maskIDNumber shows region and the last four: 110105********1234.
func maskIDNumber(s string) string { return keepEnds(s, 6, 4) }

// maskPhone shows the carrier prefix and the last four: 138****0000.
func maskPhone(s string) string { return keepEnds(s, 3, 4) }

// maskBankCard shows the issuer (BIN) and the last four: 622202*********1234.
func maskBankCard(s string) string { return keepEnds(s, 6, 4) }

// maskDeviceID shows four characters at each end of a device fingerprint.
func maskDeviceID(s string) string { return keepEnds(s, 4, 4) }

// maskName keeps the first character: 张** for 张三丰.
func maskName(s string) string { return keepEnds(strings.TrimSpace(s), 1, 0) }

// maskIP hides the host part: 203.0.113.* and 2001:db8:1:2::* (the /64).
func maskIP(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return keepEnds(s, 3, 0)
	}
	a = a.Unmap()
	if a.Is4() {
		b := a.As4()
		return fmt.Sprintf("%d.%d.%d.*", b[0], b[1], b[2])
	}
	p, _ := a.Prefix(64)
	return strings.TrimSuffix(p.Addr().String(), "::") + "::*"
}

// Values are compared and looked up in one canonical form each, so that a list entry
// matches however the applicant typed the value. README.md tells tenants that form.

// normPhone returns a mainland mobile number as 11 digits: separators and a +86 or 0086
// country prefix are dropped.
func normPhone(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	for _, p := range []string{"+86", "0086"} {
		s = strings.TrimPrefix(s, p)
	}
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s
}

// normCard returns a bank card number as digits only.
func normCard(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// normName folds case and whitespace, so "Li  Lei" and "li lei" are one name.
func normName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
