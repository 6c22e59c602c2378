package main

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/credolabs/credo/plugins/sdk"
)

// configSchema is the tenant configuration's JSON Schema, published through Describe so
// the host validates a binding's configuration before the first call. decodeConfig
// enforces the same rules itself, since a plugin cannot know every host does.
//
//go:embed config.schema.json
var configSchema []byte

// config is a tenant's configuration after defaults. Every field of the JSON is optional;
// what the tenant leaves out keeps its default.
type config struct {
	// DisabledRules lists rule ids that do not run.
	DisabledRules []string `json:"disabled_rules"`
	// Velocity holds the limit of each velocity rule.
	Velocity velocityConfig `json:"velocity"`
	// Age bounds the applicant's age in whole years, both ends allowed.
	Age ageConfig `json:"age"`
}

type velocityConfig struct {
	Phone    limit `json:"phone"`
	IDNumber limit `json:"id_number"`
	DeviceID limit `json:"device_id"`
	IP       limit `json:"ip"`
}

// limit calls for review when more than Max applications share a value within Window;
// the count includes the application being checked (the host's count of earlier ones, plus one).
type limit struct {
	Max    int64  `json:"max"`
	Window window `json:"window"`
}

type ageConfig struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// defaultConfig is what an empty configuration means; README.md documents the same values.
func defaultConfig() config {
	return config{
		Velocity: velocityConfig{
			Phone:    limit{Max: 3, Window: newWindow(24, "h")},
			IDNumber: limit{Max: 3, Window: newWindow(7, "d")},
			DeviceID: limit{Max: 5, Window: newWindow(24, "h")},
			IP:       limit{Max: 20, Window: newWindow(1, "h")},
		},
		Age: ageConfig{Min: 18, Max: 65},
	}
}

const (
	maxWindow = 366 * 24 * time.Hour // the host counts back at most a year
	maxLimit  = 100000
	maxAge    = 120
)

// window is a duration written as a whole number and one unit: "90s", "30m", "24h", "7d".
type window struct {
	d    time.Duration
	n    int64
	unit string // s, m, h or d
}

func newWindow(n int64, unit string) window {
	return window{time.Duration(n) * windowUnits[unit], n, unit}
}

var windowPattern = regexp.MustCompile(`^([1-9][0-9]{0,5})(s|m|h|d)$`)

var windowUnits = map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}

func (w *window) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New(`window must be a string such as "24h"`)
	}
	m := windowPattern.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("window %q: want a whole number and one unit of s, m, h or d, such as \"24h\"", s)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64) // at most six digits, cannot fail
	nw := newWindow(n, m[2])
	if nw.d > maxWindow {
		return fmt.Errorf("window %q is longer than 366 days", s)
	}
	*w = nw
	return nil
}

func (w window) MarshalJSON() ([]byte, error) { return json.Marshal(w.String()) }

func (w window) String() string { return strconv.FormatInt(w.n, 10) + w.unit }

// decodeConfig decodes a tenant's configuration strictly onto the defaults: unknown keys,
// duplicate keys, nulls, trailing data and out-of-range values are errors, so a mistyped
// key fails instead of silently leaving a default in force.
func decodeConfig(raw []byte, known func(id string) bool) (config, error) {
	cfg := defaultConfig()
	if len(bytes.TrimSpace(raw)) == 0 {
		return cfg, nil
	}
	if err := checkJSONShape(raw); err != nil {
		return config{}, badConfig(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return config{}, badConfig(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return config{}, badConfig(errors.New("data after the configuration object"))
	}
	if err := cfg.validate(known); err != nil {
		return config{}, badConfig(err)
	}
	return cfg, nil
}

func (c *config) validate(known func(id string) bool) error {
	seen := map[string]bool{}
	for _, id := range c.DisabledRules {
		if !known(id) {
			return fmt.Errorf("disabled_rules: no rule %q", id)
		}
		if seen[id] {
			return fmt.Errorf("disabled_rules: %q listed twice", id)
		}
		seen[id] = true
	}
	for _, l := range []struct {
		name string
		limit
	}{{"phone", c.Velocity.Phone}, {"id_number", c.Velocity.IDNumber}, {"device_id", c.Velocity.DeviceID}, {"ip", c.Velocity.IP}} {
		if l.Max < 1 || l.Max > maxLimit {
			// The count includes the application itself, so a limit under 1 would flag all.
			return fmt.Errorf("velocity.%s.max: %d is not between 1 and %d", l.name, l.Max, maxLimit)
		}
	}
	if c.Age.Min < 0 || c.Age.Min > maxAge || c.Age.Max < 0 || c.Age.Max > maxAge {
		return fmt.Errorf("age: bounds must be between 0 and %d", maxAge)
	}
	if c.Age.Min > c.Age.Max {
		return fmt.Errorf("age: min %d is above max %d", c.Age.Min, c.Age.Max)
	}
	return nil
}

// disabled reports whether the tenant turned rule id off.
func (c *config) disabled(id string) bool { return slices.Contains(c.DisabledRules, id) }

// fingerprint identifies the effective configuration (defaults filled in), so a verdict
// names the exact thresholds that produced it and can be replayed.
func (c *config) fingerprint() string {
	norm := *c
	norm.DisabledRules = slices.Sorted(slices.Values(c.DisabledRules))
	b, _ := json.Marshal(norm) // plain structs and strings: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// checkJSONShape rejects what encoding/json lets through silently: a key given twice
// (the last would win) and null (which would leave a default in force). The
// configuration has no place where either is meaningful.
func checkJSONShape(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next token in an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			// Where a key may stand, the decoder yields a key or the object's end.
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					return fmt.Errorf("key %q appears twice", k)
				}
				top.keys[k] = true
				top.key = false
				continue
			}
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
				continue
			case '[':
				stack = append(stack, &frame{})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case nil:
			return errors.New("null is not a value here; leave the key out to keep its default")
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
}

// badConfig marks a configuration error as the tenant's, not the plugin's.
func badConfig(err error) error { return sdk.BadInput("configuration: %w", err) }
