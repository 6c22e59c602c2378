package tenants

import (
	"strings"
	"sync"
	"sync/atomic"
)

// maxDecisions bounds a tenant's decision cache; past it decisions are computed, not kept.
const maxDecisions = 100_000

// decisionCache remembers enforcer answers per casbin subject, so a change of one user's
// roles forgets only that user's answers while a change of any rule forgets them all.
// Readers use it under tenantState.mu held for reading; forgetting happens under the
// write lock.
type decisionCache struct {
	subs sync.Map // subject → *subjectDecisions
	n    atomic.Int64
}

type subjectDecisions struct {
	m sync.Map // obj + "\x00" + act → bool
	n atomic.Int64
}

func decisionKey(obj, act string) string { return obj + "\x00" + act }

func (d *decisionCache) get(sub, key string) (allowed, ok bool) {
	s, found := d.subs.Load(sub)
	if !found {
		return false, false
	}
	v, found := s.(*subjectDecisions).m.Load(key)
	if !found {
		return false, false
	}
	return v.(bool), true
}

func (d *decisionCache) put(sub, key string, allowed bool) {
	if d.n.Add(1) > maxDecisions {
		d.n.Add(-1)
		return
	}
	s, _ := d.subs.LoadOrStore(sub, &subjectDecisions{})
	sd := s.(*subjectDecisions)
	if _, loaded := sd.m.LoadOrStore(key, allowed); loaded {
		d.n.Add(-1)
		return
	}
	sd.n.Add(1)
}

func (d *decisionCache) forget(sub string) {
	if s, ok := d.subs.LoadAndDelete(sub); ok {
		d.n.Add(-s.(*subjectDecisions).n.Load())
	}
}

// invalidate drops what a committed change may have made wrong: everything when a rule
// ("p") changed or a role's assignments were removed wholesale, else the answers of the
// users whose assignments ("g" rules with the user first) changed.
func (d *decisionCache) invalidate(ops []policyOp) *decisionCache {
	var subs []string
	for _, op := range ops {
		switch {
		case !strings.HasPrefix(op.ptype, "g"):
			return &decisionCache{}
		case op.add:
			for _, r := range op.rules {
				subs = append(subs, r[0])
			}
		case op.index == 0 && len(op.values) > 0 && op.values[0] != "":
			subs = append(subs, op.values[0])
		default:
			return &decisionCache{}
		}
	}
	for _, s := range subs {
		d.forget(s)
	}
	return d
}
