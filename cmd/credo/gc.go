package main

import (
	"log/slog"
	"runtime/debug"
)

// Server defaults for the garbage collector, used when the operator sets neither GOGC nor
// GOMEMLIMIT. A node's live heap is small (tens of MiB) while every request leaves
// garbage behind, so Go's default (collect when the heap has doubled) collects every
// few hundred requests and costs a tenth of the CPU of a create. Letting the heap grow to
// five times the live data collects a quarter as often; the soft limit makes the
// collector work harder again before the process gets large.
const (
	serverGCPercent  = 400
	serverMemorySoft = 1 << 30
)

func tuneGC(env func(string) string, log *slog.Logger) {
	if env("GOGC") != "" || env("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(serverGCPercent)
	debug.SetMemoryLimit(serverMemorySoft)
	log.Debug("garbage collector tuned", "gogc", serverGCPercent, "memory_limit_bytes", serverMemorySoft)
}
