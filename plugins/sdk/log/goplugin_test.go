package log_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pluginpb "github.com/credolabs/credo/plugins/proto"
	"github.com/credolabs/credo/plugins/sdk"
	"github.com/credolabs/credo/plugins/sdk/log"
)

// TestMain turns the test binary into a plugin when a host starts it, so the test below
// runs the real go-plugin host against a real plugin process without building one.
func TestMain(m *testing.M) {
	if os.Getenv(pluginpb.MagicCookieKey) == pluginpb.MagicCookieValue {
		servePlugin()
		return
	}
	os.Exit(m.Run())
}

// servePlugin logs from inside a call, with a logger made after sdk.Serve has redirected
// os.Stderr: the lines must still reach the host.
func servePlugin() {
	sdk.Serve(sdk.ServeOpts{
		Info: sdk.Info{Name: "log-probe", Version: "0.1.0"},
		Scorer: sdk.ScorerFunc(func(ctx context.Context, c *sdk.Call) (*sdk.Score, error) {
			logger := log.New(log.Opts{Level: log.LevelTrace})
			logger.Log(ctx, log.LevelTrace, "trace line", "call", c.ID, "n", 7)
			logger.Debug("debug line", "call", c.ID, "n", 7)
			logger.Info("info line", "call", c.ID, "n", 7)
			logger.Warn("warn line", "call", c.ID, "n", 7)
			// Without renaming, a number under "@level" panics the host's log reader.
			logger.Error("error line", "call", c.ID, "n", 7, "@level", 42, "@message", false)
			return &sdk.Score{Score: 1, Grade: sdk.GradeC}, nil
		}),
	})
}

func TestHostLogsPluginLinesAtTheirLevel(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a plugin process")
	}
	var out syncBuffer
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{pluginpb.ProtocolVersion: {pluginpb.PluginName: &scorerClient{}}},
		Cmd:              exec.Command(os.Args[0]),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     20 * time.Second,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Trace, JSONFormat: true, Output: &out}),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rpc.Dispense(pluginpb.PluginName)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := raw.(pluginpb.ScorerClient).Score(ctx, &pluginpb.ScoreRequest{Call: &pluginpb.Call{CallId: "c-1", Tenant: "t"}}); err != nil {
		t.Fatal(err)
	}

	// The host reads the plugin's stderr on its own goroutine.
	byMessage := map[string]map[string]any{}
	deadline := time.Now().Add(10 * time.Second)
	for len(byMessage) < 5 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		byMessage = map[string]map[string]any{}
		for _, line := range strings.Split(out.String(), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["call"] == "c-1" {
				msg, _ := m["@message"].(string)
				byMessage[msg] = m
			}
		}
	}
	for _, level := range []string{"trace", "debug", "info", "warn", "error"} {
		m, ok := byMessage[level+" line"]
		if !ok {
			t.Errorf("the host logged no %q line as such; host log:\n%s", level+" line", out.String())
			continue
		}
		if m["@level"] != level {
			t.Errorf("%s line logged at %v", level, m["@level"])
		}
		// go-plugin adds the plugin's @timestamp as "timestamp"; it is the zero time
		// when the plugin's layout did not parse.
		if ts, _ := m["timestamp"].(string); ts == "" || strings.HasPrefix(ts, "0001-") {
			t.Errorf("%s line: timestamp %q", level, ts)
		}
		if m["n"] != 7.0 {
			t.Errorf("%s line: n = %v", level, m["n"])
		}
	}
	if m := byMessage["error line"]; m != nil && (m["_@level"] != 42.0 || m["_@message"] != false) {
		t.Errorf("renamed fields lost: %v", m)
	}
}

// scorerClient is the host's side of the plugin set: a Scorer client on the connection.
type scorerClient struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (scorerClient) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error {
	return errors.New("host side serves nothing")
}

func (scorerClient) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return pluginpb.NewScorerClient(c), nil
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
