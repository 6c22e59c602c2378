package report

import (
	"sort"
	"sync"
	"time"
)

// cache keeps rendered widgets for at most ttl. A write to a form bumps the form's
// generation, which is part of every key over it, so stale entries are never found
// again and age out with the rest.
type cache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	now     func() time.Time
	entries map[string]cacheEntry
	gens    map[genKey]uint64
}

type genKey struct{ tenant, form string }

type cacheEntry struct {
	data *WidgetData
	at   time.Time
}

func newCache(ttl time.Duration, max int, now func() time.Time) *cache {
	return &cache{ttl: ttl, max: max, now: now, entries: map[string]cacheEntry{}, gens: map[genKey]uint64{}}
}

func (c *cache) gen(tenant, form string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gens[genKey{tenant, form}]
}

func (c *cache) bump(tenant, form string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gens[genKey{tenant, form}]++
}

func (c *cache) get(key string) (*WidgetData, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || c.now().Sub(e.at) >= c.ttl {
		return nil, false
	}
	return e.data, true
}

func (c *cache) put(key string, data *WidgetData) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		c.evict()
	}
	c.entries[key] = cacheEntry{data: data, at: c.now()}
}

// evict drops the expired entries, and the older half if that is not enough.
func (c *cache) evict() {
	now := c.now()
	for k, e := range c.entries {
		if now.Sub(e.at) >= c.ttl {
			delete(c.entries, k)
		}
	}
	if len(c.entries) < c.max {
		return
	}
	ats := make([]time.Time, 0, len(c.entries))
	for _, e := range c.entries {
		ats = append(ats, e.at)
	}
	sort.Slice(ats, func(i, j int) bool { return ats[i].Before(ats[j]) })
	cut := ats[len(ats)/2]
	for k, e := range c.entries {
		if !e.at.After(cut) {
			delete(c.entries, k)
		}
	}
}
