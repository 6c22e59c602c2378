// Package log gives a plugin an slog logger whose lines the Credo host understands.
//
// go-plugin's host reads each line a plugin writes to standard error. A JSON line with its
// keys "@level", "@message" and "@timestamp" is logged by the host at that level with the
// line's other keys as fields; anything else is logged verbatim at debug level, which a
// production host drops. This package writes slog records in that shape:
//
//	{"@timestamp":"2026-01-02T15:04:05.123456+08:00","@level":"info","@message":"scored","model":"v3"}
//
// Make the logger in main:
//
//	logger := log.New(log.Opts{})
//	slog.SetDefault(logger) // optional: slog.Info and the standard log package go to the host too
//	sdk.Serve(opts)
//
// It writes to standard error as the program started with it, which the host reads, so a
// logger made after sdk.Serve (which redirects os.Stderr) reaches the host too.
//
// Log identifiers and outcomes, never applicant data or the record: the host keeps plugin
// lines in its own logs.
//
// Since: v0.1.0
package log

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// LevelTrace is below slog.LevelDebug; the host shows it as go-plugin's "trace".
//
// Since: v0.1.0
const LevelTrace = slog.LevelDebug - 4

// timeFormat is the only layout go-plugin's host parses "@timestamp" with (six fractional
// digits, colon in the offset); any other layout makes the host drop the line to debug.
const timeFormat = "2006-01-02T15:04:05.000000Z07:00"

// The keys go-plugin's host reads, and hclog's key for the call site.
const (
	keyTimestamp = "@timestamp"
	keyLevel     = "@level"
	keyMessage   = "@message"
	keyCaller    = "@caller"
)

// renamePrefix is put before a top-level attribute key that would collide with a key the
// handler writes. The host asserts that "@level" and "@message" are strings, and a
// second, non-string "@level" would crash its log reader.
const renamePrefix = "_"

// reserved are the top-level keys an attribute may not take: the handler's own keys,
// hclog's "@module" (the host names the plugin there), and slog's built-in keys, which
// the handler renames to the ones above.
var reserved = map[string]bool{
	keyTimestamp: true, keyLevel: true, keyMessage: true, keyCaller: true, "@module": true,
	slog.TimeKey: true, slog.LevelKey: true, slog.MessageKey: true, slog.SourceKey: true,
}

// stderr is standard error as the program started with it: the pipe the host reads.
// go-plugin's Serve later points os.Stderr at its stdio stream, which the Credo host
// discards, so a logger made after Serve must not pick up the new value.
var stderr io.Writer = os.Stderr

// Opts configures New and NewHandler. The zero value logs info and above to standard
// error.
//
// Since: v0.1.0
type Opts struct {
	// Level is the lowest level written; nil means slog.LevelInfo. The host applies its
	// own level too (info by default), so lower lines are dropped there.
	Level slog.Leveler
	// AddSource adds "@caller" ("/path/file.go:42") to every line.
	AddSource bool
	// Output receives the lines; nil means the process's standard error as it was when
	// the program started, which is what the host reads. Set it in tests.
	Output io.Writer
}

// New returns a logger writing go-plugin's JSON lines.
//
// Since: v0.1.0
func New(opts Opts) *slog.Logger { return slog.New(NewHandler(opts)) }

// Handler is an slog.Handler writing one JSON object per record, with go-plugin's keys
// "@timestamp", "@level" (trace, debug, info, warn, error) and "@message". A top-level
// attribute whose key the handler needs ("@level", "msg", ...) is written with a "_"
// before its key; attributes inside groups are written as they are.
//
// Since: v0.1.0
type Handler struct {
	json slog.Handler
	// grouped is set after WithGroup: later attributes nest inside the group, where
	// their keys cannot collide with the top-level ones.
	grouped bool
}

// NewHandler returns a Handler configured by opts.
//
// Since: v0.1.0
func NewHandler(opts Opts) *Handler {
	out := opts.Output
	if out == nil {
		out = stderr
	}
	return &Handler{json: slog.NewJSONHandler(out, &slog.HandlerOptions{
		Level:       opts.Level,
		AddSource:   opts.AddSource,
		ReplaceAttr: builtin,
	})}
}

// Enabled reports whether records at level are written.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.json.Enabled(ctx, level)
}

// Handle writes r as one line.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if h.grouped || !collides(r) {
		return h.json.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(rename(a))
		return true
	})
	return h.json.Handle(ctx, out)
}

// WithAttrs returns a handler writing attrs on every line.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if !h.grouped {
		renamed := make([]slog.Attr, len(attrs))
		for i, a := range attrs {
			renamed[i] = rename(a)
		}
		attrs = renamed
	}
	return &Handler{json: h.json.WithAttrs(attrs), grouped: h.grouped}
}

// WithGroup returns a handler nesting later attributes under name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	if !h.grouped && reserved[name] {
		name = renamePrefix + name
	}
	return &Handler{json: h.json.WithGroup(name), grouped: true}
}

// collides reports whether some top-level attribute of r needs renaming.
func collides(r slog.Record) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = needsRename(a)
		return !found
	})
	return found
}

func needsRename(a slog.Attr) bool {
	if reserved[a.Key] {
		return true
	}
	// slog writes the members of a group with an empty key at the level of the group.
	if a.Key == "" && a.Value.Kind() == slog.KindLogValuer {
		a.Value = a.Value.Resolve()
	}
	if a.Key == "" && a.Value.Kind() == slog.KindGroup {
		for _, m := range a.Value.Group() {
			if needsRename(m) {
				return true
			}
		}
	}
	return false
}

// rename moves a top-level attribute off the reserved keys, looking inside groups that
// slog inlines.
func rename(a slog.Attr) slog.Attr {
	if reserved[a.Key] {
		a.Key = renamePrefix + a.Key
		return a
	}
	if a.Key != "" {
		return a
	}
	a.Value = a.Value.Resolve()
	if a.Value.Kind() != slog.KindGroup {
		return a
	}
	members := a.Value.Group()
	renamed := make([]slog.Attr, len(members))
	for i, m := range members {
		renamed[i] = rename(m)
	}
	return slog.Attr{Key: "", Value: slog.GroupValue(renamed...)}
}

// builtin writes slog's built-in attributes under go-plugin's keys. Handle and WithAttrs
// have renamed every top-level attribute with a built-in key, so one met here at the top
// level is slog's own.
func builtin(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		if a.Value.Kind() == slog.KindTime {
			return slog.String(keyTimestamp, a.Value.Time().Format(timeFormat))
		}
	case slog.LevelKey:
		if l, ok := a.Value.Any().(slog.Level); ok {
			return slog.String(keyLevel, levelName(l))
		}
	case slog.MessageKey:
		return slog.String(keyMessage, a.Value.String())
	case slog.SourceKey:
		if s, ok := a.Value.Any().(*slog.Source); ok {
			return slog.String(keyCaller, fmt.Sprintf("%s:%d", s.File, s.Line))
		}
	}
	return a
}

// levelName is the go-plugin name of an slog level: trace below slog.LevelDebug, then
// debug, info, warn and error; a level between two names takes the lower one.
func levelName(l slog.Level) string {
	switch {
	case l < slog.LevelDebug:
		return "trace"
	case l < slog.LevelInfo:
		return "debug"
	case l < slog.LevelWarn:
		return "info"
	case l < slog.LevelError:
		return "warn"
	}
	return "error"
}

var _ slog.Handler = (*Handler)(nil)
