// Command credo runs the Credo lending-operations platform.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	// Rule schedules name time zones (Asia/Shanghai); hosts without zoneinfo need these.
	_ "time/tzdata"
)

const usage = `credo — a no-code platform for lending operations

Usage:
  credo serve [-config file.json] [-demo]   run the HTTP server (default)
  credo migrate [-config file.json]          create or upgrade the store's schema, then exit
  credo verify-audit [-tenant slug] [-anchor seq:hash]...
                                             check every tenant's (or one tenant's) audit chain
  credo backup -to file.db                   write a consistent copy of the embedded database
  credo bench [-target url] [-rate n] [-duration d]
                                             drive a running Credo with loan-application creates
  credo simulate [-url u] [-loans n] [-months m] [-seed s] [-concurrency c] [-as-of YYYY-MM-DD]
                                             drive a running demo tenant with realistic loans, decisions, repayments and collections
  credo plugins list|install [-dir D] [program]
                                             list or install plugins in the plugin directory
  credo version                              print the version

Configuration comes from an optional JSON file and CREDO_* environment variables; see README.md.
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, args, stdout, stderr, env)
	case "migrate":
		err = cmdMigrate(ctx, args, stdout, env)
	case "verify-audit":
		err = cmdVerifyAudit(ctx, args, stdout, env)
	case "backup":
		err = cmdBackup(ctx, args, stdout, env)
	case "bench":
		err = cmdBench(ctx, args, stdout, stderr)
	case "simulate":
		err = cmdSimulate(ctx, args, stdout, stderr)
	case "plugins":
		err = cmdPlugins(ctx, args, stdout, stderr, env)
	case "version":
		_, _ = fmt.Fprintln(stdout, "credo", version)
	case "help", "-h", "--help":
		_, _ = fmt.Fprint(stdout, usage)
	default:
		_, _ = fmt.Fprintf(stderr, "credo: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "credo:", err)
		return 1
	}
	return 0
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
