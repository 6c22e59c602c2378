package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// process supervises one plugin version: it starts the executable on first use, restarts
// it with backoff after a crash, bounds concurrent calls and drains before stopping.
type process struct {
	m   *Manifest
	h   *Host
	log *slog.Logger

	mu       sync.Mutex
	inst     *instance
	starting chan struct{} // closed when the running start attempt ends
	failures int           // consecutive failed starts
	nextTry  time.Time
	lastErr  error
	closed   bool
	calls    sync.WaitGroup // in-flight calls, for draining
}

// instance is one running OS process of the plugin.
type instance struct {
	client  *goplugin.Client
	rpc     goplugin.ClientProtocol
	c       *clients
	desc    *pluginpb.DescribeResponse
	sem     chan struct{}
	started time.Time
}

func (i *instance) alive() bool { return !i.client.Exited() }

// acquire returns a running instance and registers one in-flight call, which the caller
// ends with p.calls.Done. It starts the plugin if needed and waits for the start, within ctx.
func (p *process) acquire(ctx context.Context) (*instance, error) {
	p.mu.Lock()
	for {
		if p.closed {
			p.mu.Unlock()
			return nil, fmt.Errorf("%s: %w", p.m.Ref(), ErrPluginShutdown)
		}
		if p.inst != nil && p.inst.alive() {
			inst := p.inst
			p.calls.Add(1)
			p.mu.Unlock()
			return inst, nil
		}
		if p.inst != nil {
			p.crashed(p.inst)
		}
		if p.starting == nil {
			if wait := time.Until(p.nextTry); wait > 0 {
				err := p.lastErr
				p.mu.Unlock()
				return nil, fmt.Errorf("%s: last start failed, next attempt in %s: %w: %w",
					p.m.Ref(), wait.Round(time.Millisecond), ErrPluginUnavailable, err)
			}
			p.starting = make(chan struct{})
			go p.start(p.starting)
		}
		ch := p.starting
		p.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: waiting for the plugin to start: %w", p.m.Ref(), ErrPluginUnavailable)
		}
		p.mu.Lock()
		if p.inst == nil {
			err := p.lastErr
			p.mu.Unlock()
			return nil, err
		}
	}
}

// crashed forgets a dead instance; p.mu is held.
func (p *process) crashed(dead *instance) {
	if p.inst != dead {
		return
	}
	p.inst = nil
	dead.client.Kill()
	p.h.metrics.restarts.WithLabelValues(p.m.Name, p.m.Version).Inc()
	p.h.metrics.up.WithLabelValues(p.m.Name, p.m.Version).Set(0)
	p.log.Warn("plugin process died; it restarts on the next call or health check", "uptime", time.Since(dead.started).Round(time.Millisecond))
}

// start launches the executable once; its outcome is read under p.mu after ch closes.
func (p *process) start(ch chan struct{}) {
	inst, err := p.launch()
	p.mu.Lock()
	defer p.mu.Unlock()
	defer close(ch)
	p.starting = nil
	if err == nil && p.closed {
		inst.client.Kill()
		err = ErrPluginShutdown
	}
	if err != nil {
		p.failures++
		p.lastErr = err
		p.nextTry = time.Now().Add(backoff(p.failures, p.h.cfg.RestartBackoff))
		p.log.Error("plugin failed to start", "err", err, "failures", p.failures)
		return
	}
	p.failures, p.lastErr, p.inst = 0, nil, inst
	p.h.metrics.up.WithLabelValues(p.m.Name, p.m.Version).Set(1)
	p.log.Info("plugin started", "pid", inst.client.ReattachConfig().Pid)
}

// backoff doubles from base per consecutive failure, capped at 64×base.
func backoff(failures int, base time.Duration) time.Duration {
	return base << min(failures-1, 6)
}

func (p *process) launch() (*instance, error) {
	inst, err := p.launchUnchecked()
	if err != nil {
		return nil, err
	}
	if err := p.matches(inst.desc); err != nil {
		inst.client.Kill()
		return nil, err
	}
	return inst, nil
}

// launchUnchecked starts the executable and asks it to describe itself, without holding
// the description against the manifest (Install writes the manifest from it).
func (p *process) launchUnchecked() (*instance, error) {
	sum, _ := hex.DecodeString(p.m.SHA256)
	cmd := exec.Command(p.m.Path())
	cmd.Env = pluginEnv(p.h.cfg.PluginGOMAXPROCS)
	cmd.Dir = p.m.dir
	cp := &clientPlugin{}
	if p.h.service != nil { // a nil *hostService must not become a non-nil interface
		cp.hostService = p.h.service
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  pluginpb.ProtocolVersion,
			MagicCookieKey:   pluginpb.MagicCookieKey,
			MagicCookieValue: pluginpb.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{pluginpb.ProtocolVersion: {pluginpb.PluginName: cp}},
		Cmd:              cmd,
		SkipHostEnv:      true,
		Stderr:           &stderrWriter{l: p.log},
		SecureConfig:     &goplugin.SecureConfig{Checksum: sum, Hash: sha256.New()},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     p.h.cfg.StartTimeout,
		Logger:           newPluginLogger(p.log),
		// Fixed flow-control windows switch off gRPC's bandwidth probing pings, which on a
		// local socket only add wake-ups to every call.
		GRPCDialOptions: []grpc.DialOption{grpc.WithDefaultCallOptions(grpc.WaitForReady(false)),
			grpc.WithInitialWindowSize(1 << 20), grpc.WithInitialConnWindowSize(1 << 20)},
	})
	fail := func(err error) (*instance, error) {
		client.Kill()
		return nil, err
	}
	rpc, err := client.Client()
	if err != nil {
		return fail(classifyStart(p.m, err))
	}
	raw, err := rpc.Dispense(pluginpb.PluginName)
	if err != nil {
		return fail(fmt.Errorf("%s: %w: %w", p.m.Ref(), ErrPluginUnavailable, err))
	}
	c := raw.(*clients)
	ctx, cancel := context.WithTimeout(context.Background(), p.h.cfg.StartTimeout)
	defer cancel()
	desc, err := c.plugin.Describe(ctx, &pluginpb.DescribeRequest{})
	if err != nil {
		return fail(fmt.Errorf("%s: describe: %w: %w", p.m.Ref(), ErrPluginUnavailable, err))
	}
	return &instance{client: client, rpc: rpc, c: c, desc: desc,
		sem: make(chan struct{}, p.h.cfg.MaxConcurrent), started: time.Now()}, nil
}

// matches refuses a plugin whose own description contradicts its manifest.
func (p *process) matches(d *pluginpb.DescribeResponse) error {
	var ps []string
	if d.Name != p.m.Name || d.Version != p.m.Version {
		ps = append(ps, fmt.Sprintf("it describes itself as %s@%s", d.Name, d.Version))
	}
	for _, k := range p.m.Kinds {
		want := pluginpb.Kind_KIND_SCORER
		if k == KindFraudDetector {
			want = pluginpb.Kind_KIND_FRAUD_DETECTOR
		}
		if !slices.Contains(d.Kinds, want) {
			ps = append(ps, "it does not serve "+k)
		}
	}
	if len(ps) > 0 {
		return &ManifestError{Dir: p.m.dir, Problems: ps}
	}
	return nil
}

// classifyStart turns go-plugin's start errors into the host's sentinels.
func classifyStart(m *Manifest, err error) error {
	switch {
	case errors.Is(err, goplugin.ErrChecksumsDoNotMatch):
		return fmt.Errorf("%s: %s: %w", m.Ref(), m.Executable, ErrChecksum)
	case strings.Contains(strings.ToLower(err.Error()), "incompatible api version"):
		return fmt.Errorf("%s: %w: %v", m.Ref(), ErrIncompatible, err)
	}
	return fmt.Errorf("%s: start: %w: %w", m.Ref(), ErrPluginUnavailable, err)
}

// check pings the running instance; a dead or silent one is restarted at once.
func (p *process) check() {
	p.mu.Lock()
	inst, closed := p.inst, p.closed
	p.mu.Unlock()
	if closed || inst == nil {
		return
	}
	if inst.alive() && inst.rpc.Ping() == nil {
		return
	}
	p.mu.Lock()
	p.crashed(inst)
	if p.starting == nil && !p.closed {
		p.starting = make(chan struct{})
		go p.start(p.starting)
	}
	p.mu.Unlock()
}

// stop refuses new calls, waits up to grace for in-flight ones, then kills the process.
func (p *process) stop(grace time.Duration) {
	p.mu.Lock()
	p.closed = true
	ch := p.starting
	p.mu.Unlock()
	if ch != nil {
		<-ch
	}
	done := make(chan struct{})
	go func() { p.calls.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		p.log.Warn("plugin still busy after the grace period; killing it", "grace", grace)
	}
	p.mu.Lock()
	inst := p.inst
	p.inst = nil
	p.mu.Unlock()
	if inst != nil {
		inst.client.Kill()
		p.h.metrics.up.WithLabelValues(p.m.Name, p.m.Version).Set(0)
		p.log.Info("plugin stopped")
	}
}

// clients are the protocol's services on one plugin connection.
type clients struct {
	plugin pluginpb.PluginClient
	scorer pluginpb.ScorerClient
	fraud  pluginpb.FraudDetectorClient
	hostID uint32
}

// clientPlugin is the host's side of the plugin set: it opens the clients and serves the
// Host service back to the plugin through go-plugin's broker.
type clientPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	hostService pluginpb.HostServer
}

func (cp *clientPlugin) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error {
	return errors.New("host: the host side serves no plugin")
}

func (cp *clientPlugin) GRPCClient(_ context.Context, b *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	c := &clients{plugin: pluginpb.NewPluginClient(conn), scorer: pluginpb.NewScorerClient(conn),
		fraud: pluginpb.NewFraudDetectorClient(conn)}
	if cp.hostService != nil {
		c.hostID = b.NextId()
		go b.AcceptAndServe(c.hostID, func(opts []grpc.ServerOption) *grpc.Server {
			s := grpc.NewServer(opts...)
			pluginpb.RegisterHostServer(s, cp.hostService)
			return s
		})
	}
	return c, nil
}

// pluginEnv is the environment a plugin starts with: not the server's, which holds its
// secrets (store credentials, the administrator's password), only what a program needs to
// run, and GOMAXPROCS for plugins written in Go. go-plugin adds its handshake variables.
func pluginEnv(gomaxprocs int) []string {
	env := []string{fmt.Sprintf("GOMAXPROCS=%d", gomaxprocs)}
	for _, k := range []string{"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
