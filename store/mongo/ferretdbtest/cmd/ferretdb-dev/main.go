// Command ferretdb-dev serves an embedded FerretDB (SQLite handler) for development and
// for test suites that reach the MongoDB backend over the wire. It prints the server's
// mongodb:// URI on stdout once it accepts connections and runs until SIGINT or SIGTERM.
//
//	ferretdb-dev -dir ./data/ferretdb -addr 127.0.0.1:27018
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/credolabs/credo/store/mongo/ferretdbtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-dev:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "ferretdb-data", "directory of the SQLite data files (created when missing)")
	addr := flag.String("addr", "127.0.0.1:27018", "TCP address to listen on (port 0 picks a free one)")
	verbose := flag.Bool("v", false, "log FerretDB's own messages to stderr")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg := ferretdbtest.ServerConfig{Addr: *addr, Dir: *dir}
	if *verbose {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	s, err := ferretdbtest.Serve(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Println(s.URI())
	<-ctx.Done()
	return s.Close()
}
