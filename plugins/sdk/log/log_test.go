package log_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/credolabs/credo/plugins/sdk/log"
)

// pluginTimeFormat is the layout go-plugin v1.8.0's host parses "@timestamp" with
// (log_entry.go, parseJSON); a line it cannot parse is logged verbatim at debug.
const pluginTimeFormat = "2006-01-02T15:04:05.000000Z07:00"

func newTestLogger(opts log.Opts) (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	opts.Output = &buf
	return log.New(opts), &buf
}

// lines decodes every line written, failing on a line that is not one JSON object or that
// repeats a top-level key (the host keeps the last of duplicates).
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		keys := topLevelKeys(t, line)
		seen := map[string]bool{}
		for _, k := range keys {
			if seen[k] {
				t.Errorf("key %q appears twice in %s", k, line)
			}
			seen[k] = true
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line is not JSON: %v: %s", err, line)
		}
		out = append(out, m)
	}
	return out
}

func topLevelKeys(t *testing.T, line string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("line does not start an object: %s", line)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("bad key in %s: %v", line, err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatalf("bad value in %s: %v", line, err)
		}
	}
	return keys
}

func TestLineShape(t *testing.T) {
	logger, buf := newTestLogger(log.Opts{})
	before := time.Now()
	logger.Info("scored", "model", "v3", "score", 712)
	got := lines(t, buf)
	if len(got) != 1 {
		t.Fatalf("want one line, got %d: %s", len(got), buf)
	}
	l := got[0]
	if l["@level"] != "info" || l["@message"] != "scored" || l["model"] != "v3" || l["score"] != 712.0 {
		t.Errorf("line: %v", l)
	}
	for _, k := range []string{"time", "level", "msg", "source", "@caller"} {
		if _, ok := l[k]; ok {
			t.Errorf("line has %q: %v", k, l)
		}
	}
	ts, _ := l["@timestamp"].(string)
	parsed, err := time.Parse(pluginTimeFormat, ts)
	if err != nil {
		t.Fatalf("@timestamp %q does not parse as go-plugin parses it: %v", ts, err)
	}
	// Microseconds are all the layout keeps.
	if parsed.Before(before.Truncate(time.Microsecond)) || parsed.After(time.Now()) {
		t.Errorf("@timestamp %s is not the time of the call (%s)", parsed, before)
	}
}

// TestTimestampKeepsSixDigits: slog's own format trims trailing zeros (".5" or none at
// all), which go-plugin's fixed layout rejects.
func TestTimestampKeepsSixDigits(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 9, 30, 0, 500_000_000, time.FixedZone("CST", 8*3600)),
		time.Date(2026, 3, 1, 9, 30, 0, 123_456_789, time.FixedZone("X", -5*3600-1800)),
	} {
		var buf bytes.Buffer
		h := log.NewHandler(log.Opts{Output: &buf})
		r := slog.NewRecord(at, slog.LevelInfo, "m", 0)
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		ts, _ := lines(t, &buf)[0]["@timestamp"].(string)
		parsed, err := time.Parse(pluginTimeFormat, ts)
		if err != nil {
			t.Errorf("%s: %q does not parse: %v", at, ts, err)
			continue
		}
		if !parsed.Equal(at.Truncate(time.Microsecond)) {
			t.Errorf("%s: written as %q, read back as %s", at, ts, parsed)
		}
	}
}

func TestLevelNames(t *testing.T) {
	cases := []struct {
		level slog.Level
		want  string
	}{
		{log.LevelTrace - 4, "trace"},
		{log.LevelTrace, "trace"},
		{slog.LevelDebug - 1, "trace"},
		{slog.LevelDebug, "debug"},
		{slog.LevelDebug + 2, "debug"},
		{slog.LevelInfo, "info"},
		{slog.LevelInfo + 2, "info"},
		{slog.LevelWarn, "warn"},
		{slog.LevelError - 1, "warn"},
		{slog.LevelError, "error"},
		{slog.LevelError + 4, "error"},
	}
	for _, c := range cases {
		t.Run(c.level.String(), func(t *testing.T) {
			logger, buf := newTestLogger(log.Opts{Level: log.LevelTrace - 4})
			logger.Log(context.Background(), c.level, "m")
			if got := lines(t, buf)[0]["@level"]; got != c.want {
				t.Errorf("@level = %v, want %q", got, c.want)
			}
		})
	}
}

func TestLevelFilters(t *testing.T) {
	logger, buf := newTestLogger(log.Opts{Level: slog.LevelWarn})
	logger.Info("dropped")
	logger.Warn("kept")
	got := lines(t, buf)
	if len(got) != 1 || got[0]["@message"] != "kept" {
		t.Errorf("lines: %v", got)
	}
	if logger.Enabled(context.Background(), slog.LevelInfo) {
		t.Error("info is enabled below a warn level")
	}

	var lv slog.LevelVar
	logger, buf = newTestLogger(log.Opts{Level: &lv})
	logger.Debug("dropped")
	lv.Set(log.LevelTrace)
	logger.Log(context.Background(), log.LevelTrace, "kept")
	if got := lines(t, buf); len(got) != 1 || got[0]["@level"] != "trace" {
		t.Errorf("a LevelVar lowered at run time: %v", got)
	}
}

type emptyKeyGroup struct{}

func (emptyKeyGroup) LogValue() slog.Value {
	return slog.GroupValue(slog.String("@message", "from a valuer"), slog.Int("ok", 1))
}

// TestReservedKeysAreRenamed: go-plugin's host asserts that "@level" and "@message" are
// strings, so an attribute taking one of those keys would crash the host's log reader,
// and one named like slog's built-ins would be written under the same key.
func TestReservedKeysAreRenamed(t *testing.T) {
	cases := []struct {
		name string
		log  func(l *slog.Logger)
		want map[string]any // subset of the line
	}{
		{"go-plugin keys", func(l *slog.Logger) {
			l.Info("m", "@level", 42, "@message", true, "@timestamp", 1, "@caller", "x", "@module", "y")
		}, map[string]any{"_@level": 42.0, "_@message": true, "_@timestamp": 1.0, "_@caller": "x", "_@module": "y"}},
		{"slog keys", func(l *slog.Logger) {
			l.Info("m", "level", "high", "msg", "other", "time", 3, "source", "crm")
		}, map[string]any{"_level": "high", "_msg": "other", "_time": 3.0, "_source": "crm"}},
		{"group named like a key", func(l *slog.Logger) {
			l.Info("m", slog.Group("@level", "x", 1))
		}, map[string]any{"_@level": map[string]any{"x": 1.0}}},
		{"inlined empty-key group", func(l *slog.Logger) {
			l.Info("m", slog.Group("", "@message", "inner", "ok", 1))
		}, map[string]any{"_@message": "inner", "ok": 1.0}},
		{"empty-key group from a LogValuer", func(l *slog.Logger) {
			l.Info("m", slog.Any("", emptyKeyGroup{}))
		}, map[string]any{"_@message": "from a valuer", "ok": 1.0}},
		{"With", func(l *slog.Logger) {
			l.With("@level", 7, "plugin", "acme").Info("m")
		}, map[string]any{"_@level": 7.0, "plugin": "acme"}},
		{"WithGroup named like a key", func(l *slog.Logger) {
			l.WithGroup("@message").Info("m", "a", 1)
		}, map[string]any{"_@message": map[string]any{"a": 1.0}}},
		{"keys inside a group stay", func(l *slog.Logger) {
			l.WithGroup("req").With("level", 2).Info("m", "@level", "x")
		}, map[string]any{"req": map[string]any{"level": 2.0, "@level": "x"}}},
		{"a key that merely looks alike stays", func(l *slog.Logger) {
			l.Info("m", "levels", 1, "_level", 2)
		}, map[string]any{"levels": 1.0, "_level": 2.0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			logger, buf := newTestLogger(log.Opts{})
			c.log(logger)
			got := lines(t, buf)
			if len(got) != 1 {
				t.Fatalf("want one line: %s", buf)
			}
			l := got[0]
			if l["@level"] != "info" || l["@message"] != "m" {
				t.Errorf("the handler's own keys were overwritten: %v", l)
			}
			if _, err := time.Parse(pluginTimeFormat, l["@timestamp"].(string)); err != nil {
				t.Errorf("@timestamp: %v", err)
			}
			for k, want := range c.want {
				gotJSON, _ := json.Marshal(l[k])
				wantJSON, _ := json.Marshal(want)
				if !bytes.Equal(gotJSON, wantJSON) {
					t.Errorf("%s = %s, want %s (line %v)", k, gotJSON, wantJSON, l)
				}
			}
		})
	}
}

func TestAddSource(t *testing.T) {
	logger, buf := newTestLogger(log.Opts{AddSource: true})
	logger.Info("m")
	caller, _ := lines(t, buf)[0]["@caller"].(string)
	if !strings.Contains(caller, "log_test.go:") {
		t.Errorf("@caller = %q, want this file and line", caller)
	}
}

// TestSlogConformance runs the standard library's handler checks, reading our keys back
// as slog's.
func TestSlogConformance(t *testing.T) {
	var buf *bytes.Buffer
	slogtest.Run(t, func(*testing.T) slog.Handler {
		buf = &bytes.Buffer{}
		return log.NewHandler(log.Opts{Output: buf})
	}, func(t *testing.T) map[string]any {
		got := lines(t, buf)
		if len(got) != 1 {
			t.Fatalf("want one line, got %d", len(got))
		}
		m := got[0]
		for ours, theirs := range map[string]string{"@timestamp": slog.TimeKey, "@level": slog.LevelKey, "@message": slog.MessageKey} {
			if v, ok := m[ours]; ok {
				m[theirs] = v
				delete(m, ours)
			}
		}
		return m
	})
}

// TestConcurrentLinesStayWhole: every record is one write, and loggers derived with With
// and WithGroup share one lock, so lines never interleave (the race detector would see a
// shared buffer written without it).
func TestConcurrentLinesStayWhole(t *testing.T) {
	logger, buf := newTestLogger(log.Opts{})
	loggers := []*slog.Logger{logger, logger.With("@level", 1), logger.WithGroup("g"), logger.With("a", 1).WithGroup("h")}
	var wg sync.WaitGroup
	for _, l := range loggers {
		wg.Go(func() {
			for i := range 200 {
				l.Info("m", "i", i, "msg", "x", "pad", strings.Repeat("x", 100))
			}
		})
	}
	wg.Wait()
	if n := len(lines(t, buf)); n != 800 {
		t.Errorf("%d lines, want 800", n)
	}
}
