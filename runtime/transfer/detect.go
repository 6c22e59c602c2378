package transfer

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// The file formats an import reads.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// sniffLen is how much of a file its format is judged from.
const sniffLen = 8 << 10

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts the compound files of .xls workbooks and of encrypted .xlsx ones.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// Binary formats people upload by mistake, named in the error.
	binaryMagic = []struct {
		magic []byte
		name  string
	}{
		{[]byte("%PDF"), "a PDF document"},
		{[]byte("\x89PNG"), "a PNG image"},
		{[]byte("\xFF\xD8\xFF"), "a JPEG image"},
		{[]byte("GIF8"), "a GIF image"},
		{[]byte("\x1F\x8B"), "a gzip archive"},
	}
)

// sniff tells the format from the file's first bytes, never from its name: an .xlsx is a
// zip archive, a CSV is text; anything else is refused before it is parsed.
func sniff(head []byte) (string, error) {
	switch {
	case len(head) == 0:
		return "", ErrEmptyFile
	case bytes.HasPrefix(head, zipMagic):
		return FormatXLSX, nil
	case bytes.HasPrefix(head, oleMagic):
		return "", ErrLegacyWorkbook
	}
	for _, b := range binaryMagic {
		if bytes.HasPrefix(head, b.magic) {
			return "", fmt.Errorf("the file is %s: %w", b.name, ErrUnsupportedFile)
		}
	}
	if hasUTF16BOM(head) {
		return FormatCSV, nil
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "", fmt.Errorf("the file is binary: %w", ErrUnsupportedFile)
	}
	return FormatCSV, nil
}

func hasUTF16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

// validUTF8Prefix reports whether b is UTF-8, allowing a character cut at its end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}
