package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store/sqlite"
)

// probes holds the probe plugin built once per variant: "1.0.0", "2.0.0", "proto2".
var probes = map[string]string{}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "credo-probe-")
	if err != nil {
		panic(err)
	}
	for name, flags := range map[string]string{
		"1.0.0":  "-X main.version=1.0.0",
		"2.0.0":  "-X main.version=2.0.0",
		"proto2": "-X main.version=1.0.0 -X main.protocol=2",
	} {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-ldflags", flags, "-o", out, "./testdata/probe")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			panic(fmt.Sprintf("build probe %s: %v", name, err))
		}
		probes[name] = out
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// installProbe puts a probe variant into dir/<folder> with a manifest; mutate edits the
// manifest before it is written.
func installProbe(t testing.TB, dir, variant string, mutate func(*Manifest)) {
	t.Helper()
	version := variant
	if variant == "proto2" {
		version = "1.0.0"
	}
	folder := filepath.Join(dir, "probe-"+variant)
	require.NoError(t, os.MkdirAll(folder, 0o755))
	exe := filepath.Join(folder, "probe")
	copyFile(t, probes[variant], exe)
	raw, err := os.ReadFile(exe)
	require.NoError(t, err)
	sum := sha256.Sum256(raw)
	m := &Manifest{Name: "probe", Version: version, Kinds: []string{KindScorer, KindFraudDetector},
		Executable: "probe", SHA256: hex.EncodeToString(sum[:]), Protocol: 1}
	if mutate != nil {
		mutate(m)
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(folder, ManifestFile), b, 0o644))
}

func copyFile(t testing.TB, from, to string) {
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// memLookup is the callback backend: lists and counts per tenant.
type memLookup struct {
	mu     sync.Mutex
	lists  map[string]bool
	counts map[string]int64
}

func (l *memLookup) ListContains(_ context.Context, tenant, list string, values []string) ([]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, v := range values {
		if l.lists[tenant+"/"+list+"/"+v] {
			out = append(out, v)
		}
	}
	return out, nil
}

func (l *memLookup) Count(_ context.Context, tenant, form, field, value string, _ time.Time) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts[tenant+"/"+form+"/"+field+"/"+value], nil
}

func newTestHost(t testing.TB, cfg Config, variants ...string) (*Host, *memLookup) {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
		for _, v := range variants {
			installProbe(t, cfg.Dir, v, nil)
		}
	}
	lk := &memLookup{lists: map[string]bool{}, counts: map[string]int64{}}
	cfg.Lookup = lk
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = 2 * time.Second
	}
	h := New(b, cfg)
	t.Cleanup(h.Close)
	return h, lk
}

func bind(t *testing.T, h *Host, tenant, kind, version string, cfg string) {
	t.Helper()
	_, err := h.Bind(context.Background(), tenant, kind, "probe", version, json.RawMessage(cfg), "tester", 0, nil)
	require.NoError(t, err)
}

func pid(t *testing.T, h *Host, ref string) int {
	t.Helper()
	h.mu.Lock()
	p := h.procs[ref]
	h.mu.Unlock()
	require.NotNil(t, p, "no process for %s", ref)
	p.mu.Lock()
	defer p.mu.Unlock()
	require.NotNil(t, p.inst, "%s not running", ref)
	return p.inst.client.ReattachConfig().Pid
}

func TestScoreAndCheckThroughARealProcess(t *testing.T) {
	h, lk := newTestHost(t, Config{}, "1.0.0")
	ctx := context.Background()
	bind(t, h, "acme", KindScorer, "1.0.0", `{"bonus": 7}`)
	bind(t, h, "acme", KindFraudDetector, "1.0.0", ``)
	lk.lists["acme/blacklist.phone/13800000000"] = true
	lk.counts["acme/loan/phone/13800000000"] = 3

	rec := map[string]any{"income": json.Number("8000"), "phone": "13800000000", "id_number": "secret"}
	s, err := h.Score(ctx, Call{Tenant: "acme", Form: "loan", RecordID: "r1", Record: rec})
	require.NoError(t, err)
	assert.Equal(t, 807, s.Score)
	assert.Equal(t, "B", s.Grade)
	assert.Equal(t, "probe", s.Plugin)
	assert.Equal(t, "1.0.0", s.PluginVersion)
	assert.Equal(t, "probe-1.0.0", s.ModelVersion)
	assert.Len(t, s.InputHash, 64)
	require.Len(t, s.Reasons, 1, "the plugin's callback to the host found the blacklisted phone")
	assert.Equal(t, "blacklisted_phone", s.Reasons[0].Code)

	v, err := h.Check(ctx, Call{Tenant: "acme", Form: "loan", Record: rec})
	require.NoError(t, err)
	assert.Equal(t, "review", v.Decision)
	require.Len(t, v.Hits, 1)
	assert.Equal(t, "velocity.phone", v.Hits[0].Rule)

	// Another tenant has no binding and sees none of acme's lists.
	_, err = h.Score(ctx, Call{Tenant: "other", Form: "loan", Record: rec})
	assert.ErrorIs(t, err, ErrNotBound)
}

func TestTheSameInputHashesTheSame(t *testing.T) {
	h, _ := newTestHost(t, Config{}, "1.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	ctx := context.Background()
	a, err := h.Score(ctx, Call{Tenant: "acme", Record: map[string]any{"income": json.Number("100"), "unread": 1}})
	require.NoError(t, err)
	b, err := h.Score(ctx, Call{Tenant: "acme", Record: map[string]any{"income": json.Number("100"), "unread": 2}})
	require.NoError(t, err)
	assert.Equal(t, a.InputHash, b.InputHash, "fields the plugin does not read are not sent, so they do not change the hash")
}

func TestConfigIsValidatedAgainstThePluginsSchema(t *testing.T) {
	h, _ := newTestHost(t, Config{}, "1.0.0")
	_, err := h.Bind(context.Background(), "acme", KindScorer, "probe", "1.0.0", json.RawMessage(`{"bonus": -1, "extra": true}`), "t", 0, nil)
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.GreaterOrEqual(t, len(ce.Problems), 2)
	_, err = h.Binding(context.Background(), "acme", KindScorer)
	assert.ErrorIs(t, err, ErrNotBound, "a refused binding changes nothing")

	_, err = h.Bind(context.Background(), "acme", KindScorer, "probe", "9.9.9", nil, "t", 0, nil)
	assert.ErrorIs(t, err, ErrUnknownPlugin)
	_, err = h.Bind(context.Background(), "acme", "oracle", "probe", "1.0.0", nil, "t", 0, nil)
	assert.ErrorIs(t, err, ErrUnknownKind)
}

func TestKilledMidCallFailsCleanlyAndTheNextCallSucceeds(t *testing.T) {
	h, _ := newTestHost(t, Config{}, "1.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	ctx := context.Background()
	before := pid(t, h, "probe@1.0.0")

	errc := make(chan error, 1)
	go func() {
		_, err := h.Score(ctx, Call{Tenant: "acme", Record: map[string]any{"sleep_ms": 1500}})
		errc <- err
	}()
	time.Sleep(200 * time.Millisecond)
	require.NoError(t, syscall.Kill(before, syscall.SIGKILL))
	err := <-errc
	assert.ErrorIs(t, err, ErrPluginUnavailable)

	s, err := h.Score(ctx, Call{Tenant: "acme", Record: map[string]any{"income": 10}})
	require.NoError(t, err, "the next call restarts the plugin")
	assert.Equal(t, 1, s.Score)
	assert.NotEqual(t, before, pid(t, h, "probe@1.0.0"))
}

func TestAHungPluginHitsTheDeadline(t *testing.T) {
	h, _ := newTestHost(t, Config{CallTimeout: 150 * time.Millisecond}, "1.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	start := time.Now()
	_, err := h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"sleep_ms": 10000}})
	assert.ErrorIs(t, err, ErrPluginTimeout)
	assert.Less(t, time.Since(start), 5*time.Second)
	_, err = h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"income": 1}})
	assert.NoError(t, err, "the plugin keeps serving after a timed-out call")
}

func TestNonsenseIsRefused(t *testing.T) {
	h, _ := newTestHost(t, Config{}, "1.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	_, err := h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"grade": "Z"}})
	assert.ErrorIs(t, err, ErrPluginFailed)
	assert.Contains(t, err.Error(), `grade "Z"`)
}

func TestATamperedBinaryIsRefused(t *testing.T) {
	dir := t.TempDir()
	installProbe(t, dir, "1.0.0", func(m *Manifest) {
		m.SHA256 = hex.EncodeToString(make([]byte, 32))
	})
	h, _ := newTestHost(t, Config{Dir: dir})
	_, err := h.Bind(context.Background(), "acme", KindScorer, "probe", "1.0.0", nil, "t", 0, nil)
	assert.ErrorIs(t, err, ErrChecksum)
	assert.Contains(t, err.Error(), "does not match its checksum")
}

func TestAnIncompatibleProtocolIsRefused(t *testing.T) {
	dir := t.TempDir()
	installProbe(t, dir, "proto2", nil) // the manifest claims protocol 1, the binary speaks 2
	h, _ := newTestHost(t, Config{Dir: dir})
	_, err := h.Bind(context.Background(), "acme", KindScorer, "probe", "1.0.0", nil, "t", 0, nil)
	assert.ErrorIs(t, err, ErrIncompatible)

	dir2 := t.TempDir()
	installProbe(t, dir2, "1.0.0", func(m *Manifest) { m.Protocol = 2 })
	found, errs := Discover(dir2)
	assert.Empty(t, found)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrIncompatible)
}

func TestBadManifestsAreSkippedNotFatal(t *testing.T) {
	dir := t.TempDir()
	installProbe(t, dir, "1.0.0", nil)
	installProbe(t, dir, "2.0.0", func(m *Manifest) { m.Executable = "../../etc/passwd"; m.Kinds = []string{"oracle"} })
	found, errs := Discover(dir)
	require.Len(t, found, 1)
	assert.Equal(t, "probe@1.0.0", found[0].Ref())
	require.Len(t, errs, 1)
	var me *ManifestError
	require.ErrorAs(t, errs[0], &me)
	assert.Len(t, me.Problems, 2)
}

func TestBindingsPerTenantNeverCross(t *testing.T) {
	h, _ := newTestHost(t, Config{}, "1.0.0", "2.0.0")
	bind(t, h, "alpha", KindScorer, "2.0.0", `{}`)
	bind(t, h, "beta", KindScorer, "1.0.0", `{}`)
	var wg sync.WaitGroup
	var wrong atomic.Int64
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tenant, want := "alpha", "2.0.0"
			if i%2 == 1 {
				tenant, want = "beta", "1.0.0"
			}
			s, err := h.Score(context.Background(), Call{Tenant: tenant, Record: map[string]any{"income": 1}})
			if err != nil || s.PluginVersion != want || s.ModelVersion != "probe-"+want {
				wrong.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, wrong.Load())
}

// TestSwapUnderLoad swaps a tenant from v1 to v2 while 200 calls a second arrive: no call
// fails, later calls reach v2, and v1's process is drained and stopped.
func TestSwapUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("10 s of load")
	}
	h, _ := newTestHost(t, Config{CallTimeout: time.Second}, "1.0.0", "2.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	oldPid := pid(t, h, "probe@1.0.0")

	const rate, duration = 200, 10 * time.Second
	var (
		wg                       sync.WaitGroup
		issued, failed, ok, onV2 atomic.Int64
		firstErr                 atomic.Value
	)
	tick := time.NewTicker(time.Second / rate)
	defer tick.Stop()
	end := time.Now().Add(duration)
	swapped := false
	for now := range tick.C {
		if now.After(end) {
			break
		}
		if !swapped && now.After(end.Add(-duration/2)) {
			swapped = true
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := h.Bind(context.Background(), "acme", KindScorer, "probe", "2.0.0", json.RawMessage(`{}`), "t", 0, nil)
				assert.NoError(t, err)
			}()
		}
		wg.Add(1)
		issued.Add(1)
		go func() {
			defer wg.Done()
			s, err := h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"income": 10, "sleep_ms": 5}})
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				return
			}
			ok.Add(1)
			if s.PluginVersion == "2.0.0" {
				onV2.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failed.Load(), "failed calls during the swap (first: %v)", firstErr.Load())
	assert.Equal(t, issued.Load(), ok.Load(), "every call issued succeeded")
	// A loaded machine's ticker drops ticks; the load must still have been real.
	assert.Greater(t, issued.Load(), int64(rate*duration/time.Second/2))
	assert.Greater(t, onV2.Load(), int64(0))
	require.Eventually(t, func() bool { return syscall.Kill(oldPid, 0) != nil }, 15*time.Second, 50*time.Millisecond,
		"v1's process is stopped once drained")
	t.Logf("swap under load: %d calls ok, %d on v2, %d failed", ok.Load(), onV2.Load(), failed.Load())
}

func TestConcurrencyLimit(t *testing.T) {
	h, _ := newTestHost(t, Config{MaxConcurrent: 1, CallTimeout: 300 * time.Millisecond}, "1.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"sleep_ms": 200}})
			errs <- err
		}()
	}
	var timeouts int
	for range 2 {
		if err := <-errs; errors.Is(err, ErrPluginTimeout) {
			timeouts++
		}
	}
	assert.Equal(t, 1, timeouts, "the second call waits for the only slot and runs out of time")
}

func TestInstallWritesAManifestFromThePluginsDescription(t *testing.T) {
	dir := t.TempDir()
	m, err := Install(context.Background(), probes["2.0.0"], dir)
	require.NoError(t, err)
	assert.Equal(t, "probe@2.0.0", m.Ref())
	assert.ElementsMatch(t, []string{KindScorer, KindFraudDetector}, m.Kinds)
	assert.Contains(t, string(m.ConfigSchema), "bonus")
	found, errs := Discover(dir)
	require.Empty(t, errs)
	require.Len(t, found, 1)
	assert.Equal(t, m.SHA256, found[0].SHA256)

	_, err = Install(context.Background(), probes["2.0.0"], dir)
	assert.ErrorContains(t, err, "already installed")
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "a refused install leaves nothing behind")
}

// TestAPythonPluginThroughTheHost runs the Python example through the same host as any
// plugin: checksum, AutoMTLS handshake, deadline, binding.
func TestAPythonPluginThroughTheHost(t *testing.T) {
	if err := exec.Command("/usr/bin/python3", "-c", "import grpc, google.protobuf, cryptography").Run(); err != nil {
		if os.Getenv("CREDO_TEST_REQUIRE_PYTHON") != "" {
			t.Fatal("CREDO_TEST_REQUIRE_PYTHON is set but /usr/bin/python3 cannot import grpc, protobuf and cryptography")
		}
		t.Skip("the Python example needs /usr/bin/python3 with grpc, protobuf and cryptography (Debian: python3-grpcio python3-protobuf python3-cryptography)")
	}
	dir := t.TempDir()
	src := filepath.Join("..", "examples", "python-scorer")
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "python-scorer"), 0o755))
	for _, e := range entries {
		if !e.IsDir() {
			copyFile(t, filepath.Join(src, e.Name()), filepath.Join(dir, "python-scorer", e.Name()))
		}
	}
	h, _ := newTestHost(t, Config{Dir: dir, CallTimeout: 2 * time.Second})
	ctx := context.Background()
	_, err = h.Bind(ctx, "acme", KindScorer, "python-scorer", "0.1.0", json.RawMessage(`{}`), "t", 0, nil)
	require.NoError(t, err)
	rec := map[string]any{"monthly_income": json.Number("20000"), "monthly_debt": json.Number("3000"), "amount": json.Number("50000"),
		"term_months": json.Number("12"), "years_employed": json.Number("5"), "birth_date": "1990-05-17", "housing_status": "rented",
		"existing_loans_count": json.Number("1")}
	s, err := h.Score(ctx, Call{Tenant: "acme", Form: "loan_application", Record: rec})
	require.NoError(t, err)
	assert.Equal(t, "python-scorer", s.Plugin)
	assert.Contains(t, []string{"S", "A", "B", "C", "D"}, s.Grade)
	assert.NotEmpty(t, s.Reasons)
	assert.NotEmpty(t, s.Reasons[0].Text["zh-CN"])
}

func TestAPluginsLogLinesCannotHurtTheHost(t *testing.T) {
	h, _ := newTestHost(t, Config{}, "1.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	for _, line := range []string{`{"@level":1,"@message":2,"@timestamp":3}`, `{"@level":"error","@message":"fine"}`, `not json`, `{"@message":{"x":1}}`} {
		_, err := h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"stderr": line}})
		require.NoError(t, err, line)
	}
	// Give go-plugin's reader time to see the lines; the process and host must survive.
	time.Sleep(100 * time.Millisecond)
	_, err := h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"income": 1}})
	require.NoError(t, err)
}

func TestPluginsDoNotInheritTheServersSecrets(t *testing.T) {
	t.Setenv("CREDO_ADMIN_PASSWORD", "s3cret")
	h, _ := newTestHost(t, Config{}, "1.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	s, err := h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"env": "CREDO_ADMIN_PASSWORD"}})
	require.NoError(t, err)
	require.NotEmpty(t, s.Reasons)
	assert.Equal(t, "env:", s.Reasons[0].Code)
}

func TestANewlyInstalledVersionIsBindableWithoutARestart(t *testing.T) {
	dir := t.TempDir()
	installProbe(t, dir, "1.0.0", nil)
	h, _ := newTestHost(t, Config{Dir: dir})
	installProbe(t, dir, "2.0.0", nil)
	_, err := h.Bind(context.Background(), "acme", KindScorer, "probe", "2.0.0", nil, "t", 0, nil)
	require.NoError(t, err)
}

func TestInstallIntoARelativeDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	require.NoError(t, os.Mkdir("plugins", 0o755))
	m, err := Install(context.Background(), probes["1.0.0"], "plugins")
	require.NoError(t, err)
	assert.Equal(t, "probe@1.0.0", m.Ref())
}

func TestAnOversizedAnswerIsRefused(t *testing.T) {
	h, _ := newTestHost(t, Config{}, "1.0.0")
	bind(t, h, "acme", KindScorer, "1.0.0", `{}`)
	_, err := h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"reasons": 51}})
	assert.ErrorIs(t, err, ErrPluginFailed)
	_, err = h.Score(context.Background(), Call{Tenant: "acme", Record: map[string]any{"reasons": 50}})
	assert.NoError(t, err)
}
