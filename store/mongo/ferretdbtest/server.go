package ferretdbtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// ServerConfig configures an embedded FerretDB server.
type ServerConfig struct {
	// Addr is the TCP address to listen on; "127.0.0.1:0" picks a free port.
	Addr string
	// Dir is the directory of the SQLite data files; it is created when missing.
	Dir string
	// Logger receives FerretDB's own log; nil discards it.
	Logger *slog.Logger
}

// Server is one running embedded FerretDB (SQLite handler).
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan error
}

// ErrStartTimeout means the embedded FerretDB did not start listening in time.
var ErrStartTimeout = errors.New("ferretdbtest: server did not start in time")

// startTimeout bounds how long Serve waits for the listener to come up.
const startTimeout = 30 * time.Second

// Serve starts an embedded FerretDB and returns once it accepts connections. It runs until
// ctx is done or Close is called.
func Serve(ctx context.Context, cfg ServerConfig) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("serve ferretdb: data dir: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("serve ferretdb: data dir: %w", err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: cfg.Addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dir) + "/?_pragma=synchronous(off)",
	})
	if err != nil {
		return nil, fmt.Errorf("serve ferretdb: %w", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	s := &Server{cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- f.Run(runCtx) }()

	// MongoDBURI blocks until Run has bound the listener, so ask for it off this goroutine
	// and give up after a bound rather than hang a test forever.
	uri := make(chan string, 1)
	go func() { uri <- f.MongoDBURI() }()
	select {
	case s.uri = <-uri:
		return s, nil
	case err := <-s.done:
		cancel()
		return nil, fmt.Errorf("serve ferretdb: stopped while starting: %w", err)
	case <-time.After(startTimeout):
		cancel()
		return nil, ErrStartTimeout
	}
}

// URI is the mongodb:// connection string of the server.
func (s *Server) URI() string { return s.uri }

// Close stops the server and waits until its listener and storage are closed.
func (s *Server) Close() error {
	s.cancel()
	if err := <-s.done; err != nil {
		return fmt.Errorf("stop ferretdb: %w", err)
	}
	return nil
}
