package host

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"

	"github.com/hashicorp/go-hclog"
)

// pluginLogger is the logger go-plugin gets. go-plugin's own messages go to our slog
// logger; the sub-logger it names after a plugin for the plugin's stderr is switched off,
// because go-plugin v1.8 trusts the types in a plugin's JSON log line and a plugin writing
// {"@level":1} would panic the server. The plugin's stderr reaches us through
// ClientConfig.Stderr and stderrWriter instead, parsed without trust.
type pluginLogger struct{ hclog.Logger }

func newPluginLogger(l *slog.Logger) hclog.Logger {
	return pluginLogger{hclog.New(&hclog.LoggerOptions{
		Name: "go-plugin", Level: hclog.Warn, JSONFormat: true, Output: &stderrWriter{l: l},
	})}
}

func (pluginLogger) Named(string) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Level: hclog.Off, Output: io.Discard})
}

// stderrWriter turns a plugin's stderr into slog records, line by line: JSON lines in
// go-plugin's keys (@level, @message) keep their level and fields, anything else is logged
// at debug level as it is.
type stderrWriter struct {
	l   *slog.Logger
	mu  sync.Mutex
	buf []byte
}

// maxLogLine bounds one buffered line; longer ones are logged in pieces.
const maxLogLine = 64 << 10

func (w *stderrWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			if len(w.buf) > maxLogLine {
				w.line(w.buf)
				w.buf = w.buf[:0]
			}
			return len(p), nil
		}
		w.line(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}

func (w *stderrWriter) line(line []byte) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return
	}
	var m map[string]any
	if json.Unmarshal(line, &m) != nil {
		w.l.Debug(string(line))
		return
	}
	lvl := slog.LevelInfo
	switch m["@level"] {
	case "trace", "debug":
		lvl = slog.LevelDebug
	case "warn":
		lvl = slog.LevelWarn
	case "error":
		lvl = slog.LevelError
	}
	msg, ok := m["@message"].(string)
	if !ok {
		msg = string(line)
	}
	attrs := make([]any, 0, 2*len(m))
	for k, v := range m {
		if k != "@level" && k != "@message" && k != "@timestamp" {
			attrs = append(attrs, k, v)
		}
	}
	w.l.Log(context.Background(), lvl, msg, attrs...)
}
