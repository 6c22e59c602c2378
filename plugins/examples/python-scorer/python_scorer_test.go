package pythonscorer_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// python is the interpreter the plugin's shebang names: Debian's, which has grpc.
const python = "/usr/bin/python3"

// manifest is the plugin directory's manifest.json, as the host's discovery reads it.
type manifest struct {
	Name       string   `json:"name"`
	Version    string   `json:"version"`
	Kinds      []string `json:"kinds"`
	Executable string   `json:"executable"`
	SHA256     string   `json:"sha256"`
	Protocol   int      `json:"protocol"`
}

// pluginDir is this test file's folder, wherever the repository is checked out.
func pluginDir(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	return filepath.Dir(file)
}

func requirePython(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-sE", "-c", "import grpc, google.protobuf, cryptography").CombinedOutput()
	if err != nil && os.Getenv("CREDO_TEST_REQUIRE_PYTHON") != "" {
		t.Fatalf("CREDO_TEST_REQUIRE_PYTHON is set but %s cannot import grpc, protobuf and cryptography: %v: %s", python, err, bytes.TrimSpace(out))
	}
	if err != nil {
		t.Skipf("python-scorer needs %s with grpc, protobuf and cryptography (Debian: python3-grpcio "+
			"python3-protobuf python3-cryptography): %v: %s", python, err, bytes.TrimSpace(out))
	}
}

func loadManifest(t *testing.T, dir string) manifest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m manifest
	require.NoError(t, dec.Decode(&m), "manifest.json")
	return m
}

// clientConfig is the go-plugin configuration a Credo host uses for a plugin directory:
// the manifest's executable, pinned by its checksum, over gRPC with AutoMTLS.
func clientConfig(dir string, m manifest, logger hclog.Logger) (*goplugin.ClientConfig, error) {
	sum, err := hex.DecodeString(m.SHA256)
	if err != nil {
		return nil, err
	}
	return &goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  pluginpb.ProtocolVersion,
			MagicCookieKey:   pluginpb.MagicCookieKey,
			MagicCookieValue: pluginpb.MagicCookieValue,
		},
		Plugins:          goplugin.PluginSet{pluginpb.PluginName: scorerPlugin{}},
		Cmd:              exec.Command(filepath.Join(dir, m.Executable)),
		SecureConfig:     &goplugin.SecureConfig{Checksum: sum, Hash: sha256.New()},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     30 * time.Second,
		Logger:           logger,
	}, nil
}

// clients are the protocol's clients on the plugin's one connection.
type clients struct {
	plugin pluginpb.PluginClient
	scorer pluginpb.ScorerClient
}

// scorerPlugin is the host's side of the go-plugin plugin set: it only dispenses clients.
type scorerPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (scorerPlugin) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error {
	return errors.New("the host serves no plugin")
}

func (scorerPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &clients{plugin: pluginpb.NewPluginClient(c), scorer: pluginpb.NewScorerClient(c)}, nil
}

// logBuffer collects the host logger's output, the plugin's relayed stderr included.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// launchedPlugin is a running plugin process and the host's handles on it.
type launchedPlugin struct {
	config  *goplugin.ClientConfig
	client  *goplugin.Client
	clients *clients
	logs    *logBuffer
}

func launch(t *testing.T, dir string, m manifest) *launchedPlugin {
	t.Helper()
	logs := &logBuffer{}
	cfg, err := clientConfig(dir, m, hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Debug, Output: logs}))
	require.NoError(t, err)
	client := goplugin.NewClient(cfg)
	t.Cleanup(func() {
		client.Kill()
		if t.Failed() {
			t.Logf("host and plugin log:\n%s", logs.String())
		}
	})
	rpc, err := client.Client()
	require.NoError(t, err, "start plugin")
	raw, err := rpc.Dispense(pluginpb.PluginName)
	require.NoError(t, err)
	return &launchedPlugin{config: cfg, client: client, clients: raw.(*clients), logs: logs}
}

// birthDate is a birth date for someone aged years today (their birthday a month past).
func birthDate(years int) string {
	return time.Now().AddDate(-years, -1, 0).Format("2006-01-02")
}

func scoreRequest(t *testing.T, record, config any) *pluginpb.ScoreRequest {
	t.Helper()
	rec, err := json.Marshal(record)
	require.NoError(t, err)
	call := &pluginpb.Call{CallId: "call-1", Tenant: "tenant-a", Form: "loan_application", RecordId: "rec-1", Record: rec}
	if config != nil {
		call.Config, err = json.Marshal(config)
		require.NoError(t, err)
	}
	return &pluginpb.ScoreRequest{Call: call}
}

func callContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestPythonScorer(t *testing.T) {
	requirePython(t)
	dir := pluginDir(t)
	m := loadManifest(t, dir)

	t.Run("manifest", func(t *testing.T) {
		assert.Equal(t, "python-scorer", m.Name)
		assert.Equal(t, "0.1.0", m.Version)
		assert.Equal(t, []string{"scorer"}, m.Kinds)
		assert.Equal(t, pluginpb.ProtocolVersion, m.Protocol)
		exe, err := os.ReadFile(filepath.Join(dir, m.Executable))
		require.NoError(t, err)
		sum := sha256.Sum256(exe)
		assert.Equal(t, hex.EncodeToString(sum[:]), m.SHA256, "manifest.json is stale: run ./gen.sh")
		info, err := os.Stat(filepath.Join(dir, m.Executable))
		require.NoError(t, err)
		assert.NotZero(t, info.Mode().Perm()&0o111, "executable bit")
	})

	p := launch(t, dir, m)
	ctx := callContext(t)

	t.Run("handshake", func(t *testing.T) {
		assert.Equal(t, pluginpb.ProtocolVersion, p.client.NegotiatedVersion())
		assert.Equal(t, goplugin.ProtocolGRPC, p.client.Protocol())
		assert.NoError(t, mustPing(t, p.client), "health check of service \"plugin\"")
	})

	t.Run("describe", func(t *testing.T) {
		d, err := p.clients.plugin.Describe(ctx, &pluginpb.DescribeRequest{})
		require.NoError(t, err)
		assert.Equal(t, "python-scorer", d.Name)
		assert.Equal(t, "0.1.0", d.Version)
		assert.Equal(t, []pluginpb.Kind{pluginpb.Kind_KIND_SCORER}, d.Kinds)
		assert.NotEmpty(t, d.Description)
		assert.Equal(t, []string{"amount", "birth_date", "existing_loans_count", "housing_status",
			"monthly_debt", "monthly_income", "other_income", "term_months", "years_employed"}, d.Reads)
		var schema struct {
			Type                 string                     `json:"type"`
			Properties           map[string]json.RawMessage `json:"properties"`
			AdditionalProperties *bool                      `json:"additionalProperties"`
		}
		require.NoError(t, json.Unmarshal(d.ConfigSchema, &schema), "config_schema is JSON")
		assert.Equal(t, "object", schema.Type)
		assert.Contains(t, schema.Properties, "max_limit")
		if assert.NotNil(t, schema.AdditionalProperties) {
			assert.False(t, *schema.AdditionalProperties)
		}
	})

	t.Run("score", func(t *testing.T) {
		strong := map[string]any{
			"monthly_income": 30000, "other_income": 2000, "monthly_debt": 1000, "amount": 50000,
			"term_months": 24, "years_employed": 8, "birth_date": birthDate(38),
			"housing_status": "owned_no_mortgage", "existing_loans_count": 0,
		}
		with := func(base map[string]any, changes map[string]any) map[string]any {
			out := map[string]any{}
			for k, v := range base {
				out[k] = v
			}
			for k, v := range changes {
				out[k] = v
			}
			return out
		}
		cases := []struct {
			name   string
			record map[string]any
			config any
			score  int32
			grade  string
			limit  string
			worst  string // code of the most adverse reason
		}{
			{name: "strong applicant", record: strong, score: 790, grade: "S", limit: "200000.00", worst: "no_other_loans"},
			{name: "strong applicant, binding caps the limit", record: strong, config: map[string]any{"max_limit": 80000},
				score: 790, grade: "S", limit: "80000.00", worst: "no_other_loans"},
			{name: "numbers as decimal strings", record: with(strong, map[string]any{"monthly_income": "30000.00", "amount": "50000.00"}),
				score: 790, grade: "S", limit: "200000.00", worst: "no_other_loans"},
			{name: "steady mid-income", record: map[string]any{
				"monthly_income": 12000, "monthly_debt": 2000, "amount": 60000, "term_months": 36,
				"years_employed": 2, "birth_date": birthDate(30), "housing_status": "family", "existing_loans_count": 1,
			}, score: 660, grade: "A", limit: "102300.00", worst: "amount_moderate"},
			{name: "young renter", record: map[string]any{
				"monthly_income": 10000, "monthly_debt": 2000, "amount": 40000, "term_months": 24,
				"years_employed": 1.5, "birth_date": birthDate(24), "housing_status": "rented", "existing_loans_count": 2,
			}, score: 590, grade: "C", limit: "31800.00", worst: "age_early_career"},
			{name: "overstretched", record: map[string]any{
				"monthly_income": 6000, "monthly_debt": 2500, "amount": 60000, "term_months": 12,
				"years_employed": 0.5, "birth_date": birthDate(20), "housing_status": "rented", "existing_loans_count": 4,
			}, score: 365, grade: "D", limit: "", worst: "dti_very_high"},
			{name: "no income declared", record: with(strong, map[string]any{"monthly_income": 0, "other_income": 0}),
				score: 550, grade: "C", limit: "", worst: "income_none"},
		}
		type scored struct {
			score int32
			pd    float64
		}
		var all []scored
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, err := p.clients.scorer.Score(ctx, scoreRequest(t, tc.record, tc.config))
				require.NoError(t, err)
				assert.Equal(t, tc.score, got.Score)
				assert.Equal(t, tc.grade, got.Grade)
				assert.Equal(t, tc.limit, got.SuggestedLimit)
				assert.Equal(t, "CNY", got.Currency)
				assert.Equal(t, "python-scorer-rules-1", got.ModelVersion)
				assert.Greater(t, got.ProbabilityOfDefault, 0.0)
				assert.Less(t, got.ProbabilityOfDefault, 1.0)
				all = append(all, scored{got.Score, got.ProbabilityOfDefault})

				require.NotEmpty(t, got.Reasons)
				assert.Equal(t, tc.worst, got.Reasons[0].Code)
				assert.True(t, sort.SliceIsSorted(got.Reasons, func(i, j int) bool {
					return got.Reasons[i].Points < got.Reasons[j].Points
				}), "reasons most adverse first")
				// The reasons account for every point between the base and the score.
				total := 600.0
				for _, r := range got.Reasons {
					assert.NotZero(t, r.Points, r.Code)
					assert.NotEmpty(t, r.Text["en"], r.Code)
					assert.True(t, strings.ContainsFunc(r.Text["zh-CN"], func(c rune) bool { return unicode.Is(unicode.Han, c) }),
						"%s: zh-CN text %q", r.Code, r.Text["zh-CN"])
					total += r.Points
				}
				assert.InDelta(t, float64(got.Score), total, 0.001)
			})
		}
		// A better score never carries a higher probability of default.
		sort.Slice(all, func(i, j int) bool { return all[i].score < all[j].score })
		for i := 1; i < len(all); i++ {
			if all[i].score > all[i-1].score {
				assert.Less(t, all[i].pd, all[i-1].pd, "pd at %d vs %d", all[i].score, all[i-1].score)
			}
		}

		t.Run("more debt never scores better", func(t *testing.T) {
			prev := int32(math.MaxInt32)
			for _, debt := range []float64{0, 2000, 6000, 10000, 14000, 20000} {
				got, err := p.clients.scorer.Score(ctx, scoreRequest(t, with(strong, map[string]any{"monthly_debt": debt}), nil))
				require.NoError(t, err)
				assert.LessOrEqual(t, got.Score, prev, "monthly_debt %v", debt)
				prev = got.Score
			}
			assert.Less(t, prev, int32(790))
		})
	})

	t.Run("bad input", func(t *testing.T) {
		base := map[string]any{"monthly_income": 9000, "monthly_debt": 1000, "amount": 30000,
			"term_months": 12, "birth_date": birthDate(30)}
		without := func(key string) map[string]any {
			out := map[string]any{}
			for k, v := range base {
				if k != key {
					out[k] = v
				}
			}
			return out
		}
		set := func(key string, v any) map[string]any {
			out := without(key)
			out[key] = v
			return out
		}
		cases := []struct {
			name string
			req  *pluginpb.ScoreRequest
			want string
		}{
			{"no call", &pluginpb.ScoreRequest{}, "no call"},
			{"missing income", scoreRequest(t, without("monthly_income"), nil), "monthly_income is required"},
			{"missing birth date", scoreRequest(t, without("birth_date"), nil), "birth_date is required"},
			{"birth date in the future", scoreRequest(t, set("birth_date", time.Now().AddDate(1, 0, 0).Format("2006-01-02")), nil), "future"},
			{"birth date not a date", scoreRequest(t, set("birth_date", "2001-02-30"), nil), "birth_date"},
			{"negative debt", scoreRequest(t, set("monthly_debt", -5), nil), "monthly_debt must not be negative"},
			{"boolean amount", scoreRequest(t, set("amount", true), nil), "amount must be a number"},
			{"fractional term", scoreRequest(t, set("term_months", 6.5), nil), "term_months"},
			{"unknown housing", scoreRequest(t, set("housing_status", "castle"), nil), "housing_status"},
			{"unknown config field", scoreRequest(t, base, map[string]any{"max_limt": 1000}), "unknown field(s) max_limt"},
			{"config limit not positive", scoreRequest(t, base, map[string]any{"max_limit": 0}), "max_limit"},
			{"record not an object", &pluginpb.ScoreRequest{Call: &pluginpb.Call{Record: []byte(`[1,2]`)}}, "not a JSON object"},
			{"record not JSON", &pluginpb.ScoreRequest{Call: &pluginpb.Call{Record: []byte(`{"amount":`)}}, "not JSON"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := p.clients.scorer.Score(ctx, tc.req)
				require.Error(t, err)
				st, _ := status.FromError(err)
				assert.Equal(t, codes.InvalidArgument, st.Code(), st.Message())
				assert.Contains(t, st.Message(), tc.want)
			})
		}
		// The plugin survives bad input.
		_, err := p.clients.scorer.Score(ctx, scoreRequest(t, base, nil))
		assert.NoError(t, err)
	})

	t.Run("mutual TLS", func(t *testing.T) {
		addr, err := p.client.Start() // already started: returns the handshake's address
		require.NoError(t, err)
		hostTLS := p.config.TLSConfig
		require.NotNil(t, hostTLS, "AutoMTLS set up the host's TLS config")
		require.NotNil(t, hostTLS.RootCAs, "the host pinned the plugin's certificate from the handshake")

		// The plugin's certificate as negotiated on the host's own connection.
		var pr peer.Peer
		_, err = p.clients.plugin.Describe(ctx, &pluginpb.DescribeRequest{}, grpc.Peer(&pr))
		require.NoError(t, err)
		info, ok := pr.AuthInfo.(credentials.TLSInfo)
		require.True(t, ok, "connection is TLS, auth info %T", pr.AuthInfo)
		state := info.State
		assert.True(t, state.HandshakeComplete)
		assert.GreaterOrEqual(t, state.Version, uint16(tls.VersionTLS12))
		assert.NotEmpty(t, state.VerifiedChains, "the host verified the plugin's certificate")
		require.NotEmpty(t, state.PeerCertificates)
		cert := state.PeerCertificates[0]
		assert.Equal(t, "localhost", cert.Subject.CommonName)
		assert.Contains(t, cert.DNSNames, "localhost")
		assert.True(t, containsIP(cert.IPAddresses, net.IPv4(127, 0, 0, 1)), "IP SAN 127.0.0.1: %v", cert.IPAddresses)
		assert.Contains(t, cert.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
		if key, ok := cert.PublicKey.(*ecdsa.PublicKey); assert.True(t, ok, "ECDSA key, got %T", cert.PublicKey) {
			assert.Equal(t, elliptic.P256(), key.Curve)
		}

		check := func(creds credentials.TransportCredentials) error {
			conn, err := grpc.NewClient("passthrough:///"+addr.String(), grpc.WithTransportCredentials(creds))
			require.NoError(t, err)
			defer conn.Close()
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			resp, err := grpc_health_v1.NewHealthClient(conn).Check(cctx, &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
			if err == nil && resp.Status != grpc_health_v1.HealthCheckResponse_SERVING {
				return errors.New(resp.Status.String())
			}
			return err
		}
		// Control: the host's TLS config gets through, so the failures below are TLS's doing.
		require.NoError(t, check(credentials.NewTLS(hostTLS.Clone())))
		assert.Error(t, check(insecure.NewCredentials()), "plaintext")
		assert.Error(t, check(credentials.NewTLS(&tls.Config{
			RootCAs: hostTLS.RootCAs, ServerName: "localhost", MinVersion: tls.VersionTLS12,
		})), "TLS without a client certificate")
		assert.Error(t, check(credentials.NewTLS(&tls.Config{
			RootCAs: hostTLS.RootCAs, ServerName: "localhost", MinVersion: tls.VersionTLS12,
			Certificates: []tls.Certificate{selfSignedCert(t)},
		})), "TLS with a certificate other than the host's")
	})

	// Last: stops the plugin.
	t.Run("shutdown", func(t *testing.T) {
		p.client.Kill()
		assert.True(t, p.client.Exited())
		logs := p.logs.String()
		// go-plugin logs this when the process outlives GRPCController.Shutdown by 2 s
		// and has to be killed.
		assert.NotContains(t, logs, "plugin failed to exit gracefully")
		assert.Contains(t, logs, "host asked to shut down")
	})
}

func mustPing(t *testing.T, c *goplugin.Client) error {
	t.Helper()
	rpc, err := c.Client()
	require.NoError(t, err)
	return rpc.Ping()
}

func containsIP(ips []net.IP, want net.IP) bool {
	for _, ip := range ips {
		if ip.Equal(want) {
			return true
		}
	}
	return false
}

// selfSignedCert is a client certificate the plugin has never been told about.
func selfSignedCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestPythonScorerRefuses(t *testing.T) {
	requirePython(t)
	dir := pluginDir(t)
	m := loadManifest(t, dir)
	exe := filepath.Join(dir, m.Executable)

	// Environment without the magic cookie or go-plugin's variables.
	baseEnv := func() []string {
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, pluginpb.MagicCookieKey+"=") && !strings.HasPrefix(kv, "PLUGIN_") {
				env = append(env, kv)
			}
		}
		return env
	}
	run := func(t *testing.T, env []string) (string, error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, exe)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		assert.Empty(t, stdout.String(), "no handshake line")
		return stderr.String(), err
	}

	t.Run("started by hand", func(t *testing.T) {
		stderr, err := run(t, baseEnv())
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit)
		assert.Equal(t, 1, exit.ExitCode())
		assert.Contains(t, stderr, "is a Credo plugin")
	})

	t.Run("host offers another protocol", func(t *testing.T) {
		env := append(baseEnv(), pluginpb.MagicCookieKey+"="+pluginpb.MagicCookieValue, "PLUGIN_PROTOCOL_VERSIONS=2,3")
		stderr, err := run(t, env)
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit)
		assert.Contains(t, stderr, "speaks Credo plugin protocol 1; the host offers 2,3")
	})

	t.Run("checksum mismatch", func(t *testing.T) {
		wrong := m
		wrong.SHA256 = strings.Repeat("00", sha256.Size)
		cfg, err := clientConfig(dir, wrong, hclog.NewNullLogger())
		require.NoError(t, err)
		client := goplugin.NewClient(cfg)
		t.Cleanup(client.Kill)
		_, err = client.Start()
		assert.ErrorIs(t, err, goplugin.ErrChecksumsDoNotMatch)
	})
}

// TestPythonModel runs the model's own unit tests (test_plugin.py), so this package's go
// test covers the plugin whole.
func TestPythonModel(t *testing.T) {
	requirePython(t)
	cmd := exec.Command(python, "-sEB", "-m", "unittest", "-v", "test_plugin")
	cmd.Dir = pluginDir(t)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	require.NoError(t, err, "python unit tests")
}
