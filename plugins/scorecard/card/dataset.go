package card

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Kind says how an attribute's values are read and binned.
type Kind string

// The attribute kinds.
const (
	// Categorical values are codes ("A11"); each code starts as its own bin.
	Categorical Kind = "categorical"
	// Numeric values are numbers; bins are half-open ranges [lower, upper).
	Numeric Kind = "numeric"
)

// Text is a sentence or label in the two locales Credo serves.
type Text struct {
	EN string `json:"en"`
	ZH string `json:"zh-CN"`
}

// Map returns t keyed by locale, the shape sdk.Reason carries.
func (t Text) Map() map[string]string { return map[string]string{"en": t.EN, "zh-CN": t.ZH} }

// Code is one category of a categorical attribute.
type Code struct {
	// Code is the value as the data file writes it ("A11").
	Code string
	// Slug is a readable snake_case name, used in reason codes and accepted as an alias.
	Slug string
	// Label describes the category to a person.
	Label Text
}

// Level names one value of a numeric attribute that the data codes as a small integer
// (the instalment-rate code 1–4), so bin labels can say what the codes mean.
type Level struct {
	Value float64
	Slug  string
	Label Text
}

// Attribute is one column of a credit data set.
type Attribute struct {
	// Name is the snake_case feature name ("checking_status").
	Name string
	Kind Kind
	// Title names the attribute to a person; reasons read "Title: bin label".
	Title Text
	// Unit of a numeric attribute ("months"); empty for codes and counts.
	Unit Text
	// Codes lists a categorical attribute's documented categories.
	Codes []Code
	// Levels lists the meaning of a coded numeric attribute's values, if it has any.
	Levels []Level
}

// code returns the category with the given code.
func (a *Attribute) code(c string) (Code, bool) {
	for _, x := range a.Codes {
		if x.Code == c {
			return x, true
		}
	}
	return Code{}, false
}

// Value is one attribute value of one row: Cat for categorical attributes, Num for
// numeric ones.
type Value struct {
	Cat string
	Num float64
}

// Row is one applicant of a data set.
type Row struct {
	Values []Value
	// Bad is the target: the credit went bad.
	Bad bool
}

// Dataset is a parsed training file.
type Dataset struct {
	// Name identifies the data ("UCI Statlog German Credit (german.data)").
	Name       string
	Attributes []Attribute
	Rows       []Row
	// SHA256 is the hex digest of the file's bytes as read.
	SHA256 string
}

// Bads counts the bad rows.
func (d *Dataset) Bads() int {
	n := 0
	for _, r := range d.Rows {
		if r.Bad {
			n++
		}
	}
	return n
}

// Attribute returns the index of the named attribute, or -1.
func (d *Dataset) Attribute(name string) int {
	for i, a := range d.Attributes {
		if a.Name == name {
			return i
		}
	}
	return -1
}

// ParseGerman reads UCI's german.data: 1,000 lines of 20 whitespace-separated attributes
// and the class (1 = good, 2 = bad). It is strict: a wrong field count, an undocumented
// code, a non-integer number or an unknown class is an error naming the line.
func ParseGerman(r io.Reader) (*Dataset, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read german.data: %w", err)
	}
	sum := sha256.Sum256(raw)
	attrs := GermanAttributes()
	ds := &Dataset{Name: "UCI Statlog (German Credit Data), german.data", Attributes: attrs,
		SHA256: hex.EncodeToString(sum[:])}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != len(attrs)+1 {
			return nil, fmt.Errorf("german.data line %d: %d fields, want %d", line, len(fields), len(attrs)+1)
		}
		row := Row{Values: make([]Value, len(attrs))}
		for i, a := range attrs {
			f := fields[i]
			switch a.Kind {
			case Categorical:
				if _, ok := a.code(f); !ok {
					return nil, fmt.Errorf("german.data line %d: %s: undocumented code %q", line, a.Name, f)
				}
				row.Values[i].Cat = f
			case Numeric:
				n, err := strconv.Atoi(f)
				if err != nil {
					return nil, fmt.Errorf("german.data line %d: %s: %q is not an integer", line, a.Name, f)
				}
				row.Values[i].Num = float64(n)
			}
		}
		switch fields[len(attrs)] {
		case "1":
		case "2":
			row.Bad = true
		default:
			return nil, fmt.Errorf("german.data line %d: class %q, want 1 (good) or 2 (bad)", line, fields[len(attrs)])
		}
		ds.Rows = append(ds.Rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read german.data: %w", err)
	}
	if len(ds.Rows) == 0 {
		return nil, fmt.Errorf("german.data: no rows")
	}
	return ds, nil
}
