package rule

import (
	"sort"
	"time"
)

// MaxFiringsPerRule bounds the firings Due returns for one rule in one window, so a
// scheduler catching up after a long outage does not run a per-minute rule thousands of
// times; it gets the earliest ones and moves on.
const MaxFiringsPerRule = 100

// Firing is one time a scheduled rule's cron fires.
type Firing struct {
	Rule string
	At   time.Time
}

// Due lists the firings of the enabled scheduled rules in the window (from, to]: a cron
// time equal to from belongs to the previous window, so consecutive windows fire each
// time once. Crons are read in each rule's time zone. Firings are ordered by time, then
// by priority (highest first). Evaluate a firing with an Event of type EventSchedule
// naming the rule, once per record the scheduler selects.
func (s *Set) Due(from, to time.Time) []Firing {
	var out []Firing
	if !to.After(from) {
		return nil
	}
	scheduled := s.byEvent[EventSchedule] // priority order
	for _, r := range scheduled {
		// Next returns the first time strictly after its argument.
		t := from.In(r.loc)
		for n := 0; n < MaxFiringsPerRule; n++ {
			t = r.sched.Next(t)
			if t.IsZero() || t.After(to) {
				break
			}
			out = append(out, Firing{Rule: r.spec.Key, At: t})
		}
	}
	rank := make(map[string]int, len(scheduled))
	for i, r := range scheduled {
		rank[r.spec.Key] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return rank[out[i].Rule] < rank[out[j].Rule]
	})
	return out
}
