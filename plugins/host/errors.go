package host

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of the plugin host. The server maps them to HTTP in server/errors.go.
var (
	// ErrPluginUnavailable: the plugin is not running and could not be started, or died
	// during the call. The fault is the plugin's (503).
	ErrPluginUnavailable = errors.New("plugin unavailable")
	// ErrPluginTimeout: the plugin did not answer before the call's deadline.
	ErrPluginTimeout = errors.New("plugin timed out")
	// ErrPluginFailed: the plugin answered with an error or with nonsense.
	ErrPluginFailed = errors.New("plugin failed")
	// ErrPluginShutdown: the plugin is being stopped; the caller may re-resolve its binding.
	ErrPluginShutdown = errors.New("plugin shutting down")
	// ErrBadInput: the plugin refused the record or configuration it was given.
	ErrBadInput = errors.New("plugin refused its input")
	// ErrIncompatible: the plugin speaks another protocol version.
	ErrIncompatible = errors.New("incompatible plugin protocol")
	// ErrChecksum: the executable does not match its manifest's checksum.
	ErrChecksum = errors.New("plugin executable does not match its checksum")
	// ErrUnknownPlugin: no such plugin version in the plugin directory, or it lacks the kind.
	ErrUnknownPlugin = errors.New("unknown plugin")
	// ErrNotBound: the tenant has bound no plugin of the kind.
	ErrNotBound = errors.New("no plugin bound")
	// ErrUnknownKind: the kind is neither scorer nor fraud_detector.
	ErrUnknownKind = errors.New("unknown plugin kind")
)

// ManifestError lists what is wrong with a plugin's manifest.
type ManifestError struct {
	Dir      string
	Problems []string
}

func (e *ManifestError) Error() string {
	return fmt.Sprintf("bad plugin manifest: %s", strings.Join(e.Problems, "; "))
}

// ConfigError lists where a binding's configuration breaks the plugin's config schema.
type ConfigError struct {
	Problems []ConfigProblem
}

// ConfigProblem is one failing place in a configuration.
type ConfigProblem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

func (e *ConfigError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Path + ": " + p.Message
	}
	return "plugin configuration is invalid: " + strings.Join(parts, "; ")
}
