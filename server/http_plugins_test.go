package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/plugins/host"
)

// probeSchema is the configuration schema the probe plugin describes; the catalog shows
// the manifest's copy.
const probeSchema = `{"type":"object","properties":{"bonus":{"type":"integer","minimum":0}},"additionalProperties":false}`

// probes are the probe plugin's executables by version, built once for the whole suite
// (only when a test needs them) and removed by TestMain.
var probes struct {
	once sync.Once
	dir  string
	bins map[string]string
	err  error
}

func buildProbes(t *testing.T) map[string]string {
	t.Helper()
	probes.once.Do(func() {
		probes.dir, probes.err = os.MkdirTemp("", "credo-server-probe-")
		if probes.err != nil {
			return
		}
		probes.bins = map[string]string{}
		for _, v := range []string{"1.0.0", "2.0.0"} {
			out := filepath.Join(probes.dir, "probe-"+v)
			cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+v, "-o", out, "../plugins/host/testdata/probe")
			if msg, err := cmd.CombinedOutput(); err != nil {
				probes.err = fmt.Errorf("build probe %s: %w\n%s", v, err, msg)
				return
			}
			probes.bins[v] = out
		}
	})
	require.NoError(t, probes.err)
	return probes.bins
}

func removeProbes() {
	if probes.dir != "" {
		_ = os.RemoveAll(probes.dir)
	}
}

// installPlugin writes an executable and its manifest into dir/<name>-<version>; sum
// overrides the checksum when set.
func installPlugin(t *testing.T, dir, name, version string, exe []byte, sum string) {
	t.Helper()
	folder := filepath.Join(dir, name+"-"+version)
	require.NoError(t, os.MkdirAll(folder, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(folder, "plugin"), exe, 0o755))
	if sum == "" {
		s := sha256.Sum256(exe)
		sum = hex.EncodeToString(s[:])
	}
	m := host.Manifest{Name: name, Version: version, Kinds: []string{host.KindScorer, host.KindFraudDetector},
		Executable: "plugin", SHA256: sum, Protocol: 1, Description: name + " plugin for tests",
		ConfigSchema: json.RawMessage(probeSchema)}
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(folder, host.ManifestFile), raw, 0o644))
}

// newPluginEnv is a server whose plugin directory holds the probe at 1.0.0 and 2.0.0 and
// three broken plugins: a tampered executable, one that exits at once and one speaking
// another protocol version.
func newPluginEnv(t *testing.T) *testEnv {
	t.Helper()
	bins := buildProbes(t)
	dir := t.TempDir()
	for v, path := range bins {
		exe, err := os.ReadFile(path)
		require.NoError(t, err)
		installPlugin(t, dir, "probe", v, exe, "")
	}
	installPlugin(t, dir, "tampered", "1.0.0", []byte("#!/bin/sh\nexit 0\n"), strings.Repeat("0", 64))
	installPlugin(t, dir, "crashing", "1.0.0", []byte("#!/bin/sh\nexit 1\n"), "")
	// go-plugin's handshake line: core protocol 1, application protocol 9.
	installPlugin(t, dir, "future", "1.0.0", []byte("#!/bin/sh\necho '1|9|tcp|127.0.0.1:1|grpc'\nexec sleep 30\n"), "")
	return newTestEnvWith(t, envOptions{pluginDir: dir})
}

func bindBody(plugin, version string, config any) map[string]any {
	b := map[string]any{"plugin": plugin, "version": version}
	if config != nil {
		b["config"] = config
	}
	return b
}

func TestHTTPPluginBindings(t *testing.T) {
	e := newPluginEnv(t)
	l := e.newLender("acme")
	scorer := l.path("/plugins/scorer")

	t.Run("catalog", func(t *testing.T) {
		res := l.admin.do("GET", l.path("/plugins"), nil).must(200)
		var body struct {
			Plugins []struct {
				Name         string          `json:"name"`
				Version      string          `json:"version"`
				Kinds        []string        `json:"kinds"`
				Description  string          `json:"description"`
				ConfigSchema json.RawMessage `json:"config_schema"`
			} `json:"plugins"`
			Bindings []any `json:"bindings"`
		}
		require.NoError(t, json.Unmarshal(res.raw, &body))
		var refs []string
		for _, p := range body.Plugins {
			refs = append(refs, p.Name+"@"+p.Version)
			assert.Equal(t, []string{"scorer", "fraud_detector"}, p.Kinds)
			assert.NotEmpty(t, p.Description)
			assert.JSONEq(t, probeSchema, string(p.ConfigSchema))
		}
		assert.Equal(t, []string{"crashing@1.0.0", "future@1.0.0", "probe@1.0.0", "probe@2.0.0", "tampered@1.0.0"}, refs)
		assert.Empty(t, body.Bindings)
		assert.NotContains(t, string(res.raw), "sha256", "the checksum and executable stay on the server")
	})

	t.Run("no binding yet", func(t *testing.T) {
		res := l.admin.do("GET", scorer, nil)
		assert.Equal(t, 404, res.status)
		assert.Equal(t, "not_bound", res.errCode())
		res = l.admin.do("GET", l.path("/plugins/oracle"), nil)
		assert.Equal(t, 404, res.status)
		assert.Equal(t, "unknown_kind", res.errCode())
		res = l.admin.do("PUT", l.path("/plugins/oracle"), bindBody("probe", "1.0.0", nil))
		assert.Equal(t, 404, res.status)
		assert.Equal(t, "unknown_kind", res.errCode())
	})

	var rev int64
	t.Run("bind", func(t *testing.T) {
		res := l.admin.do("PUT", scorer, bindBody("probe", "1.0.0", map[string]any{"bonus": 7})).must(200)
		assert.Equal(t, "probe", res.str("plugin"))
		assert.Equal(t, "1.0.0", res.str("version"))
		rev, _ = res.body["revision"].(json.Number).Int64()
		assert.Equal(t, int64(1), rev)

		got := l.admin.do("GET", scorer, nil).must(200)
		assert.Equal(t, "1.0.0", got.str("version"))
		assert.Equal(t, map[string]any{"bonus": json.Number("7")}, got.body["config"])

		// The binding is live: the probe scores with the bonus from the configuration.
		s, err := e.plugins.Score(context.Background(), host.Call{Tenant: "acme", Record: map[string]any{"income": 100}})
		require.NoError(t, err)
		assert.Equal(t, 17, s.Score)
		assert.Equal(t, "1.0.0", s.PluginVersion)
	})

	t.Run("bad config changes nothing", func(t *testing.T) {
		res := l.admin.do("PUT", scorer, bindBody("probe", "2.0.0", map[string]any{"bonus": -1, "extra": true}))
		assert.Equal(t, 422, res.status, "%s", res.raw)
		assert.Equal(t, "invalid_config", res.errCode())
		assert.Contains(t, res.errPaths(), "/config/bonus")
		assert.Contains(t, res.errPaths(), "/config", "additionalProperties is reported on the object")
		res = l.admin.do("PUT", scorer, bindBody("probe", "2.0.0", []any{1}))
		assert.Equal(t, 422, res.status)
		assert.Equal(t, "invalid_config", res.errCode())
		assert.Equal(t, "1.0.0", l.admin.do("GET", scorer, nil).must(200).str("version"))
	})

	t.Run("malformed requests", func(t *testing.T) {
		res := l.admin.do("PUT", scorer, map[string]any{"config": map[string]any{}})
		assert.Equal(t, 422, res.status)
		assert.ElementsMatch(t, []string{"/plugin", "/version"}, res.errPaths())
		res = l.admin.do("PUT", scorer, map[string]any{"plugin": "probe", "version": "1.0.0", "colour": "red"})
		assert.Equal(t, 400, res.status)
		assert.Equal(t, "unknown_field", res.errCode())
		res = l.admin.do("PUT", scorer, map[string]any{"plugin": "probe", "version": "1.0.0", "revision": -3})
		assert.Equal(t, 422, res.status)
		assert.Equal(t, []string{"/revision"}, res.errPaths())
	})

	t.Run("unknown plugin", func(t *testing.T) {
		for _, b := range []map[string]any{bindBody("nope", "1.0.0", nil), bindBody("probe", "9.9.9", nil)} {
			res := l.admin.do("PUT", scorer, b)
			assert.Equal(t, 422, res.status, "%s", res.raw)
			assert.Equal(t, "unknown_plugin", res.errCode())
		}
	})

	t.Run("broken plugins", func(t *testing.T) {
		cases := []struct {
			plugin string
			status int
			code   string
		}{
			{"tampered", 422, "plugin_checksum"},
			{"future", 422, "plugin_incompatible"},
			{"crashing", 503, "plugin_unavailable"},
		}
		for _, c := range cases {
			t.Run(c.plugin, func(t *testing.T) {
				// Twice: the second attempt meets the host's restart backoff, which must
				// still name the real cause.
				for range 2 {
					res := l.admin.do("PUT", l.path("/plugins/fraud_detector"), bindBody(c.plugin, "1.0.0", nil))
					assert.Equal(t, c.status, res.status, "%s", res.raw)
					assert.Equal(t, c.code, res.errCode())
				}
			})
		}
		assert.Equal(t, "not_bound", l.admin.do("GET", l.path("/plugins/fraud_detector"), nil).errCode())
	})

	t.Run("rebind to 2.0.0", func(t *testing.T) {
		res := l.admin.do("PUT", scorer, map[string]any{"plugin": "probe", "version": "2.0.0", "config": map[string]any{"bonus": 1}, "revision": rev}).must(200)
		assert.Equal(t, "2.0.0", res.str("version"))
		next, _ := res.body["revision"].(json.Number).Int64()
		assert.Equal(t, rev+1, next)

		stale := l.admin.do("PUT", scorer, map[string]any{"plugin": "probe", "version": "1.0.0", "revision": rev})
		assert.Equal(t, 409, stale.status, "%s", stale.raw)
		assert.Equal(t, "version_conflict", stale.errCode())

		s, err := e.plugins.Score(context.Background(), host.Call{Tenant: "acme", Record: map[string]any{"income": 100}})
		require.NoError(t, err)
		assert.Equal(t, "2.0.0", s.PluginVersion)
		assert.Equal(t, 11, s.Score)

		list := l.admin.do("GET", l.path("/plugins"), nil).must(200)
		bindings, _ := list.body["bindings"].([]any)
		require.Len(t, bindings, 1)
		assert.Equal(t, "2.0.0", bindings[0].(map[string]any)["version"])
	})

	t.Run("the change is audited", func(t *testing.T) {
		res := l.admin.do("GET", l.path("/audit?object=plugin:scorer"), nil).must(200)
		entries, _ := res.body["entries"].([]any)
		require.Len(t, entries, 2, "two successful binds; refused ones leave no entry")
		last := entries[0].(map[string]any)
		assert.Equal(t, "policy_change", last["action"])
		detail := last["detail"].(map[string]any)
		assert.Equal(t, "probe@1.0.0", detail["from"])
		assert.Equal(t, "probe@2.0.0", detail["to"])
		assert.Equal(t, map[string]any{"bonus": json.Number("1")}, detail["config"])
		assert.Equal(t, map[string]any{"bonus": json.Number("7")}, detail["previous_config"])
		first := entries[1].(map[string]any)["detail"].(map[string]any)
		assert.NotContains(t, first, "from")
	})

	t.Run("permissions", func(t *testing.T) {
		for _, c := range []*client{l.reviewer, l.auditor, l.collector} {
			assert.Equal(t, 403, c.do("GET", l.path("/plugins"), nil).status)
			assert.Equal(t, 403, c.do("GET", scorer, nil).status)
			assert.Equal(t, 403, c.do("PUT", scorer, bindBody("probe", "1.0.0", nil)).status)
		}
		// A role may read the bindings without changing them.
		l.admin.do("POST", l.path("/roles"), map[string]any{"key": "plugin_viewer", "name": "Plugin viewer"}).must(201)
		l.admin.do("PUT", l.path("/roles/plugin_viewer/permissions"), map[string]any{"permissions": []any{
			map[string]any{"object": "admin:plugins", "action": "read"},
		}}).must(200)
		l.admin.do("POST", l.path("/users"), map[string]any{"email": "viewer@acme.test", "name": "Viewer", "password": testPassword, "roles": []string{"plugin_viewer"}}).must(201)
		viewer := e.login("acme", "viewer@acme.test", testPassword)
		viewer.do("GET", scorer, nil).must(200)
		assert.Equal(t, 403, viewer.do("PUT", scorer, bindBody("probe", "1.0.0", nil)).status)

		// Tokens need the admin scope, whatever their user may do.
		tok := l.admin.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "ro", "scopes": []string{"definitions:read"}}).must(201)
		m := e.anon()
		m.bearer = tok.str("token")
		assert.Equal(t, 403, m.do("GET", scorer, nil).status)
		tok = l.admin.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "ops", "scopes": []string{"admin"}}).must(201)
		m.bearer = tok.str("token")
		m.do("GET", scorer, nil).must(200)
	})

	t.Run("metrics", func(t *testing.T) {
		res := e.anon().do("GET", "/metrics", nil).must(200)
		assert.Contains(t, string(res.raw), `credo_plugin_call_duration_seconds_count{kind="scorer",plugin="probe",version="2.0.0"}`)
		assert.Contains(t, string(res.raw), `credo_plugin_up{plugin="probe",version="2.0.0"} 1`)
	})

	t.Run("unbind", func(t *testing.T) {
		assert.Equal(t, 403, l.reviewer.do("DELETE", scorer, nil).status)
		cur := l.admin.do("GET", scorer, nil).must(200)
		rev, _ := cur.body["revision"].(json.Number).Int64()
		stale := l.admin.do("DELETE", scorer+"?revision="+strconv.FormatInt(rev-1, 10), nil)
		assert.Equal(t, 409, stale.status, "%s", stale.raw)
		assert.Equal(t, 400, l.admin.do("DELETE", scorer+"?revision=x", nil).status)
		assert.Equal(t, 204, l.admin.do("DELETE", scorer+"?revision="+strconv.FormatInt(rev, 10), nil).status)
		assert.Equal(t, "not_bound", l.admin.do("GET", scorer, nil).errCode())
		assert.Equal(t, "not_bound", l.admin.do("DELETE", scorer, nil).errCode())
		_, err := e.plugins.Score(context.Background(), host.Call{Tenant: "acme", Record: map[string]any{"income": 100}})
		assert.ErrorIs(t, err, host.ErrNotBound)

		res := l.admin.do("GET", l.path("/audit?object=plugin:scorer"), nil).must(200)
		entries, _ := res.body["entries"].([]any)
		require.Len(t, entries, 3, "the removal is audited with the change, and only once")
		detail := entries[0].(map[string]any)["detail"].(map[string]any)
		assert.Equal(t, "probe@2.0.0", detail["from"])
		assert.Nil(t, detail["to"])
	})
}

func TestHTTPPluginBindingsAreTenantScoped(t *testing.T) {
	e := newPluginEnv(t)
	acme := e.newLender("acme")
	globex := e.newLender("globex")
	acme.admin.do("PUT", acme.path("/plugins/scorer"), bindBody("probe", "2.0.0", map[string]any{"bonus": 5})).must(200)
	globex.admin.do("PUT", globex.path("/plugins/scorer"), bindBody("probe", "1.0.0", nil)).must(200)

	// Each tenant sees its own binding, and none of the other's.
	assert.Equal(t, "2.0.0", acme.admin.do("GET", acme.path("/plugins/scorer"), nil).must(200).str("version"))
	assert.Equal(t, "1.0.0", globex.admin.do("GET", globex.path("/plugins/scorer"), nil).must(200).str("version"))
	for _, m := range []string{"GET", "PUT"} {
		res := globex.admin.do(m, acme.path("/plugins/scorer"), bindBody("probe", "1.0.0", nil))
		assert.Equal(t, 404, res.status, "%s %s", m, res.raw)
		assert.NotContains(t, string(res.raw), "2.0.0")
	}
	assert.Equal(t, "2.0.0", acme.admin.do("GET", acme.path("/plugins/scorer"), nil).must(200).str("version"), "globex's attempt changed nothing")

	// A plugin's list lookups stay inside the tenant it is scoring for.
	acme.admin.do("POST", acme.path("/lists/blacklist.phone"), map[string]any{"values": []any{map[string]any{"value": "13800000000"}}}).must(200)
	rec := map[string]any{"income": 100, "phone": "13800000000"}
	s, err := e.plugins.Score(context.Background(), host.Call{Tenant: "acme", Record: rec})
	require.NoError(t, err)
	require.Len(t, s.Reasons, 1, "the probe found the phone on acme's blacklist through the host")
	assert.Equal(t, "blacklisted_phone", s.Reasons[0].Code)
	s, err = e.plugins.Score(context.Background(), host.Call{Tenant: "globex", Record: rec})
	require.NoError(t, err)
	assert.Empty(t, s.Reasons, "globex's blacklist is empty")

	acme.admin.do("DELETE", acme.path("/lists/blacklist.phone/13800000000"), nil).must(204)
	s, err = e.plugins.Score(context.Background(), host.Call{Tenant: "acme", Record: rec})
	require.NoError(t, err)
	assert.Empty(t, s.Reasons, "a removed value is off the list at once")
}

func TestHTTPPluginsAndListsDisabled(t *testing.T) {
	e := newTestEnvWith(t, envOptions{bare: true})
	l := e.newLender("acme")
	for _, c := range []struct{ method, path, code string }{
		{"GET", "/plugins", "plugins_disabled"},
		{"PUT", "/plugins/scorer", "plugins_disabled"},
		{"GET", "/lists", "lists_disabled"},
		{"POST", "/lists/blacklist.phone", "lists_disabled"},
		{"DELETE", "/lists/blacklist.phone/1", "lists_disabled"},
	} {
		res := l.admin.do(c.method, l.path(c.path), map[string]any{})
		assert.Equal(t, 503, res.status, "%s %s", c.method, c.path)
		assert.Equal(t, c.code, res.errCode())
	}
	assert.Equal(t, 401, e.anon().do("GET", l.path("/plugins"), nil).status, "authentication still comes first")
}
