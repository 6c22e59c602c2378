package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything Credo reads at start-up: an optional JSON file, then environment
// variables (which win). The zero value of each field is its documented default.
type Config struct {
	// Addr is the HTTP listen address (CREDO_ADDR, default ":8080").
	Addr string `json:"addr"`
	// Store is "sqlite" (default) or "mongodb" (CREDO_STORE).
	Store string `json:"store"`
	// SQLitePath is the embedded database file (CREDO_SQLITE_PATH, default "data/credo.db").
	SQLitePath string `json:"sqlite_path"`
	// SQLiteCache and SQLiteWriterCache are the most page cache, in bytes, each read
	// connection and the writer keep (CREDO_SQLITE_CACHE, default 268435456;
	// CREDO_SQLITE_WRITER_CACHE, default 67108864): more for large dashboards and
	// imports, less on a small machine.
	SQLiteCache       int `json:"sqlite_cache"`
	SQLiteWriterCache int `json:"sqlite_writer_cache"`
	// MongoURI is the MongoDB connection string (CREDO_MONGODB_URI or MONGODB_URI).
	MongoURI string `json:"mongodb_uri"`
	// MongoDatabase is the MongoDB database name (CREDO_MONGODB_DATABASE, default "credo").
	MongoDatabase string `json:"mongodb_database"`
	// AdminEmail and AdminPassword bootstrap the platform administrator
	// (CREDO_ADMIN_EMAIL, default "admin@credo.local"; CREDO_ADMIN_PASSWORD, generated and
	// printed once when empty and the administrator does not exist yet).
	AdminEmail    string `json:"admin_email"`
	AdminPassword string `json:"-"`
	// Demo seeds the demo tenant on start (CREDO_DEMO=true; `make run` sets it).
	Demo bool `json:"demo"`
	// LogLevel is debug, info (default), warn or error (CREDO_LOG_LEVEL).
	LogLevel string `json:"log_level"`
	// SecureCookies marks session cookies Secure; set it behind HTTPS (CREDO_SECURE_COOKIES).
	SecureCookies bool `json:"secure_cookies"`
	// RequestTimeout bounds one request (CREDO_REQUEST_TIMEOUT, default "15s").
	RequestTimeout Duration `json:"request_timeout"`
	// BodyLimit caps a request body in bytes (CREDO_BODY_LIMIT, default 1048576).
	BodyLimit int `json:"body_limit"`
	// UploadLimit caps a spreadsheet uploaded to an import in bytes (CREDO_UPLOAD_LIMIT,
	// default 67108864); the transfer service refuses files above 50 MiB within it.
	UploadLimit int `json:"upload_limit"`
	// FileLimit caps a file uploaded to an attachment field in bytes (CREDO_FILE_LIMIT,
	// default 10485760).
	FileLimit int `json:"file_limit"`
	// PprofAddr, when set, serves Go's profiler there (CREDO_PPROF_ADDR; keep it on loopback).
	PprofAddr string `json:"pprof_addr"`
	// PluginDir is the plugin directory, one folder per plugin version with its manifest
	// (CREDO_PLUGIN_DIR; empty runs no plugins: decisions stay pending).
	PluginDir string `json:"plugin_dir"`
	// PluginTimeout bounds every plugin call (CREDO_PLUGIN_TIMEOUT, default "300ms").
	PluginTimeout Duration `json:"plugin_timeout"`
	// PluginConcurrency bounds the calls in flight to one plugin process
	// (CREDO_PLUGIN_CONCURRENCY, default 64).
	PluginConcurrency int `json:"plugin_concurrency"`
}

// Duration is a time.Duration written as "15s" in the config file.
type Duration time.Duration

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"15s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// loadConfig reads path (if not empty) strictly, then the environment, then checks it.
func loadConfig(path string, env func(string) string) (Config, error) {
	var c Config
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("read config: %w", err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields() // a mistyped key must fail, not vanish
		if err := dec.Decode(&c); err != nil {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
	}
	str := func(dst *string, keys ...string) {
		for _, k := range keys {
			if v := env(k); v != "" {
				*dst = v
				return
			}
		}
	}
	str(&c.Addr, "CREDO_ADDR")
	str(&c.Store, "CREDO_STORE")
	str(&c.SQLitePath, "CREDO_SQLITE_PATH")
	str(&c.MongoURI, "CREDO_MONGODB_URI", "MONGODB_URI")
	str(&c.MongoDatabase, "CREDO_MONGODB_DATABASE")
	str(&c.AdminEmail, "CREDO_ADMIN_EMAIL")
	str(&c.AdminPassword, "CREDO_ADMIN_PASSWORD")
	str(&c.LogLevel, "CREDO_LOG_LEVEL")
	str(&c.PprofAddr, "CREDO_PPROF_ADDR")
	str(&c.PluginDir, "CREDO_PLUGIN_DIR")
	var errs []error
	boolean := func(dst *bool, key string) {
		if v := env(key); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want true or false", key, v))
			}
			*dst = b
		}
	}
	boolean(&c.Demo, "CREDO_DEMO")
	boolean(&c.SecureCookies, "CREDO_SECURE_COOKIES")
	duration := func(dst *Duration, key string) {
		if v := env(key); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", key, v, err))
			}
			*dst = Duration(d)
		}
	}
	duration(&c.RequestTimeout, "CREDO_REQUEST_TIMEOUT")
	duration(&c.PluginTimeout, "CREDO_PLUGIN_TIMEOUT")
	positive := func(dst *int, key, unit string) {
		if v := env(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				errs = append(errs, fmt.Errorf("%s=%q: want a positive number of %s", key, v, unit))
			}
			*dst = n
		}
	}
	positive(&c.SQLiteCache, "CREDO_SQLITE_CACHE", "bytes")
	positive(&c.SQLiteWriterCache, "CREDO_SQLITE_WRITER_CACHE", "bytes")
	positive(&c.BodyLimit, "CREDO_BODY_LIMIT", "bytes")
	positive(&c.UploadLimit, "CREDO_UPLOAD_LIMIT", "bytes")
	positive(&c.FileLimit, "CREDO_FILE_LIMIT", "bytes")
	positive(&c.PluginConcurrency, "CREDO_PLUGIN_CONCURRENCY", "calls")
	c.defaults()
	errs = append(errs, c.check()...)
	return c, errors.Join(errs...)
}

func (c *Config) defaults() {
	if c.Addr == "" {
		c.Addr = ":8080"
	}
	if c.Store == "" {
		c.Store = "sqlite"
	}
	if c.SQLitePath == "" {
		c.SQLitePath = "data/credo.db"
	}
	if c.MongoDatabase == "" {
		c.MongoDatabase = "credo"
	}
	if c.AdminEmail == "" {
		c.AdminEmail = "admin@credo.local"
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
}

func (c *Config) check() []error {
	var errs []error
	switch c.Store {
	case "sqlite":
	case "mongodb":
		if c.MongoURI == "" {
			errs = append(errs, errors.New("store mongodb needs CREDO_MONGODB_URI (or MONGODB_URI)"))
		}
	default:
		errs = append(errs, fmt.Errorf("store %q: want sqlite or mongodb", c.Store))
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log level %q: want debug, info, warn or error", c.LogLevel))
	}
	return errs
}
