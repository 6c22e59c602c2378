package tenants

import (
	"sync"
	"time"
)

// loginLimiter counts failed logins per key in a sliding window. It lives in memory, so
// each node limits on its own; the per-account limit still caps an attacker at
// LoginLimit × nodes guesses per window.
type loginLimiter struct {
	mu    sync.Mutex
	fails map[string][]int64 // unix ms of recent failures, oldest first
}

// sweepAbove is the map size past which keys without recent failures are swept.
const sweepAbove = 10_000

func newLoginLimiter() *loginLimiter { return &loginLimiter{fails: map[string][]int64{}} }

// limitKey is one counter and its limit.
type limitKey struct {
	key   string
	limit int
}

// retryAfter returns how long until every key is below its limit again (0: not limited).
func (l *loginLimiter) retryAfter(now, window int64, keys ...limitKey) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait int64
	for _, k := range keys {
		fs := l.recent(k.key, now, window)
		if len(fs) >= k.limit {
			// The attempt frees up when the failure that filled the limit leaves the window.
			if w := fs[len(fs)-k.limit] + window - now; w > wait {
				wait = w
			}
		}
	}
	return time.Duration(wait) * time.Millisecond
}

// fail records one failure on each key.
func (l *loginLimiter) fail(now, window int64, keys ...limitKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > sweepAbove {
		for k := range l.fails {
			if len(l.recent(k, now, window)) == 0 {
				delete(l.fails, k)
			}
		}
	}
	for _, k := range keys {
		fs := append(l.recent(k.key, now, window), now)
		// Only the last limit failures matter for the decision.
		if len(fs) > k.limit {
			fs = fs[len(fs)-k.limit:]
		}
		l.fails[k.key] = fs
	}
}

// reset forgets the failures of key (a successful login of that account).
func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	delete(l.fails, key)
	l.mu.Unlock()
}

// recent prunes and returns the failures of key inside the window. Callers hold mu.
func (l *loginLimiter) recent(key string, now, window int64) []int64 {
	fs := l.fails[key]
	i := 0
	for i < len(fs) && fs[i] <= now-window {
		i++
	}
	if i == len(fs) {
		delete(l.fails, key)
		return nil
	}
	fs = fs[i:]
	l.fails[key] = fs
	return fs
}
