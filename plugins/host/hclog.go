package host

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"

	"github.com/hashicorp/go-hclog"
)

// newHCLogger gives go-plugin an hclog logger whose JSON lines land in our slog logger,
// keeping the plugin's level and fields (go-plugin forwards a plugin's JSON stderr lines
// in its keys: @level, @message).
func newHCLogger(l *slog.Logger) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:       "plugin",
		Level:      hclog.Info,
		JSONFormat: true,
		Output:     &slogWriter{l: l},
	})
}

type slogWriter struct{ l *slog.Logger }

var _ io.Writer = (*slogWriter)(nil)

func (w *slogWriter) Write(p []byte) (int, error) {
	for _, line := range bytes.Split(bytes.TrimSpace(p), []byte("\n")) {
		var m map[string]any
		if json.Unmarshal(line, &m) != nil {
			w.l.Debug(string(line))
			continue
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
		msg, _ := m["@message"].(string)
		attrs := make([]any, 0, 2*len(m))
		for k, v := range m {
			if k != "@level" && k != "@message" && k != "@timestamp" {
				attrs = append(attrs, k, v)
			}
		}
		w.l.Log(context.Background(), lvl, msg, attrs...)
	}
	return len(p), nil
}
