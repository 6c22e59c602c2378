package transfer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// source reads a file's rows one at a time, so memory does not grow with the file.
type source interface {
	// Next moves to the next row; false at the end or on an error (see Err).
	Next() bool
	// Row is the current row's number in the file and its cells; the slice is reused
	// by the next call to Next.
	Row() (int, []string)
	// Progress is how far the reading has come, as done out of total (in a unit of the
	// source's choosing: bytes, rows).
	Progress() (done, total int64)
	Err() error
	Close() error
}

// csvSource reads comma-, semicolon- or tab-separated text in UTF-8 (with or without
// a byte order mark), UTF-16 (what Excel's "Unicode text" writes) or GB18030 (what
// Excel writes as "CSV" on a Chinese system).
type csvSource struct {
	file  *os.File
	count *countingReader
	r     *csv.Reader
	size  int64
	row   int
	cells []string
	err   error
}

func openCSV(path string) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	count := &countingReader{r: f}
	br := bufio.NewReaderSize(count, 64<<10)
	head, _ := br.Peek(sniffLen)
	var text io.Reader = br
	switch {
	case hasUTF16BOM(head):
		text = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
		head = nil // the delimiter is judged on decoded text below
	case !validUTF8Prefix(head):
		text = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
		head = nil
	}
	tb := bufio.NewReaderSize(text, 64<<10)
	if head == nil {
		head, _ = tb.Peek(sniffLen)
	}
	r := csv.NewReader(tb)
	r.Comma = delimiterOf(head)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	return &csvSource{file: f, count: count, r: r, size: st.Size()}, nil
}

// delimiterOf picks the separator that occurs most in the first line, outside quotes.
func delimiterOf(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(line) {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{'\t', ';'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func (s *csvSource) Next() bool {
	if s.err != nil {
		return false
	}
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return false
	}
	if err != nil {
		s.err = fmt.Errorf("%w: %s", ErrUnreadableFile, err.Error())
		return false
	}
	line, _ := s.r.FieldPos(0)
	s.row, s.cells = line, rec
	return true
}

func (s *csvSource) Row() (int, []string) { return s.row, s.cells }

func (s *csvSource) Progress() (int64, int64) { return s.count.n, s.size }

func (s *csvSource) Err() error { return s.err }

func (s *csvSource) Close() error { return s.file.Close() }

// countingReader counts the bytes read through it: a CSV's progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
