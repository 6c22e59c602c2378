package audit

import (
	"bytes"
	"encoding/json"
	"time"
)

// timeLayout has a fixed number of digits so stored times compare correctly as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

type entryJSON Entry

type wireEntry struct {
	*entryJSON
	Time string `json:"time"`
}

// MarshalJSON writes Time in a fixed-width UTC layout (microseconds).
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireEntry{entryJSON: (*entryJSON)(&e), Time: e.Time.UTC().Format(timeLayout)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (e *Entry) UnmarshalJSON(b []byte) error {
	w := wireEntry{entryJSON: (*entryJSON)(e)}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // numbers in diffs must re-encode to the very bytes that were hashed
	if err := dec.Decode(&w); err != nil {
		return err
	}
	t, err := time.Parse(timeLayout, w.Time)
	if err != nil {
		return err
	}
	e.Time = t
	return nil
}
