package main

import (
	"strings"
	"time"
)

// chinaTime is the zone ages and "today" are reckoned in: applicants' birthdays turn over
// at midnight in China, whatever zone the plugin's machine runs in. A fixed offset needs
// no tzdata (China has kept UTC+8 without daylight saving since 1991).
var chinaTime = time.FixedZone("CST", 8*60*60)

// idProblem says why a resident ID number is invalid; "" means it is valid.
type idProblem string

const (
	idFormat     idProblem = "format"
	idRegion     idProblem = "region"
	idBirthDate  idProblem = "birth_date"
	idCheckDigit idProblem = "check_digit"
)

// residentID is a parsed mainland China resident ID number (GB 11643-1999): six digits of
// region, eight of birth date, three of sequence (odd for men, even for women), and a
// check digit.
type residentID struct {
	number string // 18 characters, a final x upper-cased
	birth  time.Time
	male   bool
}

// provinces holds the first two digits of the region codes (GB/T 2260) that resident ID
// numbers are issued under. 71 (Taiwan) is in GB/T 2260 but no ID is issued under it;
// 81, 82 and 83 are the residence permits of Hong Kong, Macao and Taiwan residents, which
// follow GB 11643 too.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"81": true, "82": true, "83": true,
}

// idWeights are the ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkDigit returns the ISO 7064 MOD 11-2 check character of the first 17 digits of an
// ID number; it expects 17 ASCII digits.
func checkDigit(first17 string) byte {
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// parseResidentID checks an ID number as GB 11643-1999 defines it; today bounds the
// birth date. It reports the first problem found, in the order a person would look.
func parseResidentID(s string, today time.Time) (residentID, idProblem) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return residentID{}, idFormat
	}
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return residentID{}, idFormat
		}
	}
	if last := s[17]; (last < '0' || last > '9') && last != 'X' {
		return residentID{}, idFormat
	}
	if !provinces[s[:2]] {
		return residentID{}, idRegion
	}
	birth, ok := parseCompactDate(s[6:14])
	if !ok || birth.Year() < 1800 || birth.After(today) {
		return residentID{}, idBirthDate
	}
	if checkDigit(s[:17]) != s[17] {
		return residentID{}, idCheckDigit
	}
	return residentID{number: s, birth: birth, male: (s[16]-'0')%2 == 1}, ""
}

// parseCompactDate parses YYYYMMDD as a real calendar date (no 30 February).
func parseCompactDate(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("20060102", s, chinaTime)
	return t, err == nil
}

// parseDate parses a record's date (YYYY-MM-DD, JSON Schema's "date" format).
func parseDate(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), chinaTime)
	return t, err == nil
}

// age is the number of birthdays someone born on birth has had by today.
func age(birth, today time.Time) int {
	years := today.Year() - birth.Year()
	if today.Month() < birth.Month() || (today.Month() == birth.Month() && today.Day() < birth.Day()) {
		years--
	}
	return years
}
