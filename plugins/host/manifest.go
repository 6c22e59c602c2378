package host

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/mod/semver"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// ManifestFile is the name of the manifest in each plugin's folder.
const ManifestFile = "manifest.json"

// Kinds a plugin may declare.
const (
	KindScorer        = "scorer"
	KindFraudDetector = "fraud_detector"
)

// Manifest describes one plugin version in the plugin directory. The host trusts the
// manifest's checksum, so the directory must be writable only by whoever installs plugins.
type Manifest struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	Kinds   []string `json:"kinds"`
	// Executable is the plugin's program, relative to its folder; it may not leave it.
	Executable string `json:"executable"`
	// SHA256 is the hex checksum of Executable, checked on every launch.
	SHA256 string `json:"sha256"`
	// Protocol is the plugin protocol version the executable speaks.
	Protocol int `json:"protocol"`
	// ConfigSchema is the JSON Schema of the tenant configuration, for readers of the
	// catalog; the host validates against the schema the running plugin describes.
	ConfigSchema json.RawMessage `json:"config_schema,omitempty"`
	Description  string          `json:"description,omitempty"`

	dir string
}

// Ref names a plugin version, "name@version".
func (m *Manifest) Ref() string { return m.Name + "@" + m.Version }

// Has reports whether the plugin declares kind.
func (m *Manifest) Has(kind string) bool { return slices.Contains(m.Kinds, kind) }

// Path is the executable's absolute path.
func (m *Manifest) Path() string { return filepath.Join(m.dir, filepath.FromSlash(m.Executable)) }

var (
	nameRE    = regexp.MustCompile(`^[a-z][a-z0-9-]{1,62}$`)
	versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$`)
)

// LoadManifest reads and checks the manifest in dir.
func LoadManifest(dir string) (*Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("plugin manifest: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, &ManifestError{Dir: dir, Problems: []string{"not a valid manifest: " + err.Error()}}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	m.dir = abs
	if err := m.check(); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Manifest) check() error {
	var ps []string
	if !nameRE.MatchString(m.Name) {
		ps = append(ps, "name must be lowercase letters, digits and dashes")
	}
	if !versionRE.MatchString(m.Version) {
		ps = append(ps, "version must be a semantic version such as 1.2.0")
	}
	if len(m.Kinds) == 0 {
		ps = append(ps, "kinds must list scorer and/or fraud_detector")
	}
	for _, k := range m.Kinds {
		if k != KindScorer && k != KindFraudDetector {
			ps = append(ps, fmt.Sprintf("unknown kind %q", k))
		}
	}
	if m.Executable == "" || filepath.IsAbs(m.Executable) || strings.Contains(filepath.ToSlash(m.Executable), "..") {
		ps = append(ps, "executable must be a path inside the plugin's folder")
	}
	if sum, err := hex.DecodeString(m.SHA256); err != nil || len(sum) != 32 {
		ps = append(ps, "sha256 must be 64 hex digits")
	}
	if len(ps) > 0 {
		return &ManifestError{Dir: m.dir, Problems: ps}
	}
	if m.Protocol != pluginpb.ProtocolVersion {
		return fmt.Errorf("plugin %s speaks protocol %d, this host speaks %d: %w",
			m.Ref(), m.Protocol, pluginpb.ProtocolVersion, ErrIncompatible)
	}
	return nil
}

// Discover loads every plugin folder under dir (one level deep). Folders with a bad
// manifest are reported in the error list and skipped, so one broken plugin never hides
// the others.
func Discover(dir string) ([]*Manifest, []error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, []error{fmt.Errorf("read plugin directory: %w", err)}
	}
	var (
		out  []*Manifest
		errs []error
		seen = map[string]string{}
	)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := filepath.Join(dir, e.Name())
		if _, err := os.Stat(filepath.Join(sub, ManifestFile)); err != nil {
			continue
		}
		m, err := LoadManifest(sub)
		if err != nil {
			errs = append(errs, fmt.Errorf("plugin folder %s: %w", e.Name(), err))
			continue
		}
		if prev, dup := seen[m.Ref()]; dup {
			errs = append(errs, fmt.Errorf("plugin folder %s: %s is already provided by folder %s", e.Name(), m.Ref(), prev))
			continue
		}
		seen[m.Ref()] = e.Name()
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *Manifest) int { return strings.Compare(a.Ref(), b.Ref()) })
	return out, errs
}

// Newest returns the highest version (by semantic versioning) of the named plugin that
// provides kind, or nil.
func Newest(ms []Manifest, name, kind string) *Manifest {
	var best *Manifest
	for i := range ms {
		m := &ms[i]
		if m.Name == name && m.Has(kind) && (best == nil || semver.Compare("v"+m.Version, "v"+best.Version) > 0) {
			best = m
		}
	}
	return best
}
