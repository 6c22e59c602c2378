package ferretdbtest

import (
	"context"
	"testing"
)

// Start runs an embedded FerretDB (SQLite handler, data in a temporary directory) on a
// free 127.0.0.1 port for the test, stops it on cleanup, and returns its mongodb:// URI.
func Start(t testing.TB) (uri string) {
	t.Helper()
	s, err := Serve(context.Background(), ServerConfig{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("start ferretdb: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("stop ferretdb: %v", err)
		}
	})
	return s.URI()
}
