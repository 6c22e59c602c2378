package transfer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		assert.Equal(t, want, columnName(i), "column %d", i)
	}
}

func TestAppendCellFloat(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0", 12000.5: "12000.5", -42: "-42", 0.1 + 0.2: "0.3", 1.0000000000000002: "1",
		123456789012345678: "123456789012345000", -0.000001234567890123456: "-0.00000123456789012345", 1e-7: "0.0000001",
	} {
		assert.Equal(t, want, string(appendCellFloat([]byte("x"), f))[1:], "%v", f)
	}
}

func TestAppendXMLText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              "plain",
		"<a & b>":            "&lt;a &amp; b&gt;",
		"_x0041_ _x00_ _x":   "_x005F_x0041_ _x00_ _x",
		"a\r\nb\tc":          "a&#xD;\nb\tc",
		"\x00\x08\x0b\x1f":   "\uFFFD\uFFFD\uFFFD\uFFFD",
		"bad \xff utf-8":     "bad \uFFFD utf-8",
		"张伟\uFFFE\U0001F642": "张伟\uFFFD\U0001F642",
	} {
		assert.Equal(t, want, string(appendXMLText(nil, in)), "%q", in)
	}
}

func TestTruncateUnits(t *testing.T) {
	assert.Equal(t, "abc", truncateUnits("abc", 3))
	assert.Equal(t, "ab", truncateUnits("abc", 2))
	assert.Equal(t, "张", truncateUnits("张伟", 1))
	assert.Equal(t, "a", truncateUnits("a\U0001F642", 2), "a character outside the BMP takes two units")
}
