package transfer

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxCellUnits is the most text a spreadsheet cell holds, in UTF-16 code units; longer
// text is cut there, as a spreadsheet program would.
const maxCellUnits = 32767

// columnName is a worksheet column's letters: 0 → A, 25 → Z, 26 → AA.
func columnName(i int) string {
	var b [8]byte
	n := len(b)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		b[n] = byte('A' + (i-1)%26)
	}
	return string(b[n:])
}

// appendTextCell appends a text cell as an inline string. Characters XML cannot carry
// become U+FFFD; text that reads as a spreadsheet escape (_x0041_) is escaped itself, so
// it reads back as written; nothing is ever a formula.
func appendTextCell(b []byte, ref []byte, s string) []byte {
	s = truncateUnits(s, maxCellUnits)
	b = append(b, `<c r="`...)
	b = append(b, ref...)
	b = append(b, `" t="inlineStr"><is><t`...)
	if s != "" && (isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = appendXMLText(b, s)
	return append(b, `</t></is></c>`...)
}

// appendValueCell appends a number or a boolean (t is "b"), already in its cell text.
func appendValueCell(b []byte, ref []byte, t string, v []byte) []byte {
	b = append(b, `<c r="`...)
	b = append(b, ref...)
	if t != "" {
		b = append(b, `" t="`...)
		b = append(b, t...)
	}
	b = append(b, `"><v>`...)
	b = append(b, v...)
	return append(b, `</v></c>`...)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendXMLText escapes s as XML character data.
func appendXMLText(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '&' || c == '<' || c == '>' || c == '_' {
			plain = false
			break
		}
	}
	if plain {
		return append(b, s...)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '\r':
				b = append(b, "&#xD;"...) // a literal CR would be read as a line end
			case c == '\t' || c == '\n':
				b = append(b, c)
			case c < 0x20:
				b = append(b, "\uFFFD"...)
			case c == '_' && isSpreadsheetEscape(s[i:]):
				b = append(b, "_x005F"...) // the underscore, escaped: _x0041_ stays text
				b = append(b, c)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !inXMLRange(r) {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

// isSpreadsheetEscape reports whether s starts with _xHHHH_, which a spreadsheet reads
// as the character of that code.
func isSpreadsheetEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// inXMLRange reports whether XML 1.0 may carry r.
func inXMLRange(r rune) bool {
	return r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// truncateUnits cuts s after max UTF-16 code units.
func truncateUnits(s string, max int) string {
	if len(s) <= max { // no UTF-8 byte is more than one UTF-16 unit
		return s
	}
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > max {
			return s[:i]
		}
	}
	return s
}

// appendCellFloat writes f as a spreadsheet shows it: no exponent, and at most the 15
// significant digits a spreadsheet keeps (0.30000000000000004 is 0.3).
func appendCellFloat(b []byte, f float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	if math.Abs(f) == math.MaxFloat64 {
		return b
	}
	num := b[start:]
	point := bytes.IndexByte(num, '.')
	significant := 0
	for i, c := range num {
		if c < '0' || c > '9' || significant == 0 && c == '0' {
			continue
		}
		if significant++; significant <= 15 {
			continue
		}
		if point >= 0 && i > point { // cut the fraction, and the zeros it then ends with
			end := start + i
			for b[end-1] == '0' {
				end--
			}
			if b[end-1] == '.' {
				end--
			}
			return b[:end]
		}
		if point < 0 {
			point = len(num)
		}
		for j := i; j < point; j++ { // zero the integer's lower digits
			num[j] = '0'
		}
		return b[:start+point]
	}
	return b
}
