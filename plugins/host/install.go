package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// Install copies a single-file plugin executable into dir as <name>-<version>/ with a
// manifest written from the plugin's own description and the executable's checksum. It
// launches the plugin once, through the same handshake as any call, to ask who it is.
// Plugins that need more than one file (an interpreter script and its modules) ship their
// folder with a manifest and are copied by hand.
func Install(ctx context.Context, executable, dir string) (*Manifest, error) {
	src, err := os.ReadFile(executable)
	if err != nil {
		return nil, fmt.Errorf("install plugin: %w", err)
	}
	sum := sha256.Sum256(src)
	staging, err := os.MkdirTemp(dir, ".install-")
	if err != nil {
		return nil, fmt.Errorf("install plugin: %w", err)
	}
	if staging, err = filepath.Abs(staging); err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	name := filepath.Base(executable)
	if err := copyExecutable(executable, filepath.Join(staging, name)); err != nil {
		return nil, fmt.Errorf("install plugin: %w", err)
	}
	m := &Manifest{Name: "unknown", Version: "0.0.0", Kinds: []string{KindScorer}, Executable: name,
		SHA256: hex.EncodeToString(sum[:]), Protocol: pluginpb.ProtocolVersion, dir: staging}
	h := &Host{cfg: Config{}, metrics: newMetrics()}
	h.cfg.defaults()
	h.cfg.StartTimeout = 20 * time.Second
	p := &process{m: m, h: h, log: h.cfg.Logger}
	launched := make(chan struct{})
	var (
		inst *instance
		lerr error
	)
	go func() { inst, lerr = p.launchUnchecked(); close(launched) }()
	select {
	case <-launched:
	case <-ctx.Done():
		<-launched
		if inst != nil {
			inst.client.Kill()
		}
		return nil, ctx.Err()
	}
	if lerr != nil {
		return nil, fmt.Errorf("install plugin %s: %w", name, lerr)
	}
	defer inst.client.Kill()
	d := inst.desc
	m.Name, m.Version, m.Description, m.Kinds = d.Name, d.Version, d.Description, nil
	for _, k := range d.Kinds {
		switch k {
		case pluginpb.Kind_KIND_SCORER:
			m.Kinds = append(m.Kinds, KindScorer)
		case pluginpb.Kind_KIND_FRAUD_DETECTOR:
			m.Kinds = append(m.Kinds, KindFraudDetector)
		}
	}
	if len(d.ConfigSchema) > 0 {
		m.ConfigSchema = json.RawMessage(d.ConfigSchema)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("install plugin %s: it describes itself badly: %w", name, err)
	}
	target := filepath.Join(dir, m.Name+"-"+m.Version)
	if _, err := os.Stat(target); err == nil {
		return nil, fmt.Errorf("install plugin: %s is already installed in %s; a version is immutable, remove the folder first", m.Ref(), target)
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(staging, ManifestFile), append(raw, '\n'), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(staging, target); err != nil {
		return nil, fmt.Errorf("install plugin: %w", err)
	}
	if err := os.Chmod(target, 0o755); err != nil {
		return nil, err
	}
	m.dir = target
	return m, nil
}

func copyExecutable(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
