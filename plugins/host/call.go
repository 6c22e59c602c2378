package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	pluginpb "github.com/credolabs/credo/plugins/proto"
	"github.com/credolabs/credo/store"
)

// Call is the input of one scoring or fraud call.
type Call struct {
	Tenant   string
	Form     string
	RecordID string
	// Record is the record's data; the plugin receives only the fields it declared it reads.
	Record map[string]any
}

// Lineage records what produced a decision, so it can be explained and replayed.
type Lineage struct {
	Plugin        string `json:"plugin"`
	PluginVersion string `json:"plugin_version"`
	ModelVersion  string `json:"model_version"`
	// InputHash is the SHA-256 of the exact record fields and configuration sent.
	InputHash string `json:"input_hash"`
}

// Reason is one explained factor of a score.
type Reason struct {
	Code   string            `json:"code"`
	Text   map[string]string `json:"text"`
	Points float64           `json:"points"`
}

// ScoreResult is a scorer's answer with its lineage.
type ScoreResult struct {
	Score                int      `json:"score"`
	ProbabilityOfDefault float64  `json:"probability_of_default"`
	Grade                string   `json:"grade"`
	SuggestedLimit       string   `json:"suggested_limit,omitempty"`
	Currency             string   `json:"currency,omitempty"`
	Reasons              []Reason `json:"reasons"`
	Lineage
}

// Hit is one fraud rule that fired.
type Hit struct {
	Rule     string            `json:"rule"`
	Evidence map[string]string `json:"evidence,omitempty"`
	Reason   map[string]string `json:"reason"`
	Decision string            `json:"decision"`
}

// Verdict is a fraud detector's answer with its lineage.
type Verdict struct {
	Decision string `json:"decision"`
	Hits     []Hit  `json:"hits"`
	Lineage
}

// Score runs the tenant's bound scorer on call.
func (h *Host) Score(ctx context.Context, call Call) (*ScoreResult, error) {
	var out *ScoreResult
	err := h.invoke(ctx, KindScorer, call, func(ctx context.Context, inst *instance, pc *pluginpb.Call, lin Lineage) error {
		r, err := inst.c.scorer.Score(ctx, &pluginpb.ScoreRequest{Call: pc})
		if err != nil {
			return err
		}
		if err := saneScore(r); err != nil {
			return err
		}
		lin.ModelVersion = r.ModelVersion
		out = &ScoreResult{Score: int(r.Score), ProbabilityOfDefault: r.ProbabilityOfDefault, Grade: r.Grade,
			SuggestedLimit: r.SuggestedLimit, Currency: r.Currency, Reasons: make([]Reason, 0, len(r.Reasons)), Lineage: lin}
		for _, x := range r.Reasons {
			out.Reasons = append(out.Reasons, Reason{Code: x.Code, Text: x.Text, Points: x.Points})
		}
		return nil
	})
	return out, err
}

// Check runs the tenant's bound fraud detector on call.
func (h *Host) Check(ctx context.Context, call Call) (*Verdict, error) {
	var out *Verdict
	err := h.invoke(ctx, KindFraudDetector, call, func(ctx context.Context, inst *instance, pc *pluginpb.Call, lin Lineage) error {
		r, err := inst.c.fraud.Check(ctx, &pluginpb.CheckRequest{Call: pc})
		if err != nil {
			return err
		}
		d := decisionName(r.Decision)
		if d == "" {
			return fmt.Errorf("%w: decision %v is not pass, review or reject", ErrPluginFailed, r.Decision)
		}
		if len(r.Hits) > maxExplained {
			return fmt.Errorf("%w: %d hits; at most %d are kept on a record", ErrPluginFailed, len(r.Hits), maxExplained)
		}
		if proto.Size(r) > maxAnswerBytes {
			return fmt.Errorf("%w: answer of %d bytes; at most %d are kept on a record", ErrPluginFailed, proto.Size(r), maxAnswerBytes)
		}
		lin.ModelVersion = r.ModelVersion
		out = &Verdict{Decision: d, Hits: make([]Hit, 0, len(r.Hits)), Lineage: lin}
		for _, x := range r.Hits {
			out.Hits = append(out.Hits, Hit{Rule: x.Rule, Evidence: x.Evidence, Reason: x.Reason, Decision: decisionName(x.Decision)})
		}
		return nil
	})
	return out, err
}

type callFunc func(ctx context.Context, inst *instance, pc *pluginpb.Call, lin Lineage) error

// invoke resolves the tenant's binding for kind and runs fn on that plugin, within the
// call deadline and the plugin's concurrency limit. A binding swapped while the call was
// being routed is resolved again, so a version swap fails no call.
func (h *Host) invoke(ctx context.Context, kind string, call Call, fn callFunc) error {
	for attempt := 0; ; attempt++ {
		b, err := h.bindings.get(ctx, call.Tenant, kind)
		if err != nil {
			return err
		}
		m, err := h.manifest(b.Plugin, b.Version, kind)
		if err != nil {
			return fmt.Errorf("%s binding of %s: %w", kind, call.Tenant, err)
		}
		p, err := h.process(m)
		if err != nil {
			return err
		}
		err = h.callOn(ctx, p, b, call, fn)
		if errors.Is(err, ErrPluginShutdown) && attempt < 3 {
			h.bindings.expire(call.Tenant)
			continue
		}
		return err
	}
}

func (h *Host) callOn(ctx context.Context, p *process, b *Binding, call Call, fn callFunc) error {
	// A (re)start may take longer than a call: it waits on the caller's context, and the
	// call deadline starts once the plugin is up.
	inst, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer p.calls.Done()
	ctx, cancel := context.WithTimeout(ctx, h.cfg.CallTimeout)
	defer cancel()
	select {
	case inst.sem <- struct{}{}:
		defer func() { <-inst.sem }()
	case <-ctx.Done():
		return fmt.Errorf("%s: all %d call slots busy: %w", p.m.Ref(), cap(inst.sem), ErrPluginTimeout)
	}
	rec, err := json.Marshal(readable(call.Record, inst.desc.Reads))
	if err != nil {
		return fmt.Errorf("%s: encode record: %w", p.m.Ref(), err)
	}
	cfg := []byte(b.Config)
	sum := sha256.New()
	sum.Write(rec)
	sum.Write([]byte{0})
	sum.Write(cfg)
	lin := Lineage{Plugin: p.m.Name, PluginVersion: p.m.Version, InputHash: hex.EncodeToString(sum.Sum(nil))}
	pc := &pluginpb.Call{CallId: store.NewID(), Tenant: call.Tenant, Form: call.Form, RecordId: call.RecordID,
		Record: rec, Config: cfg, HostBrokerId: inst.c.hostID}
	if h.service != nil {
		h.service.begin(pc.CallId, call.Tenant)
		defer h.service.end(pc.CallId)
	}
	start := time.Now()
	err = classifyCall(p.m, fn(ctx, inst, pc, lin))
	h.metrics.observe(p.m, b.Kind, time.Since(start), err)
	if errors.Is(err, ErrPluginUnavailable) && (!inst.alive() || inst.rpc.Ping() != nil) {
		// go-plugin notices an exit only when it reaps the process; a failed ping tells
		// sooner, so the next call starts a new process instead of meeting the dead one.
		p.mu.Lock()
		p.crashed(inst)
		p.mu.Unlock()
	}
	return err
}

// readable keeps only the fields the plugin declared it reads.
func readable(rec map[string]any, reads []string) map[string]any {
	out := make(map[string]any, len(reads))
	for _, k := range reads {
		if v, ok := rec[k]; ok {
			out[k] = v
		}
	}
	return out
}

// classifyCall names whose fault a failed call was.
func classifyCall(m *Manifest, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrPluginFailed) {
		return fmt.Errorf("%s: %w", m.Ref(), err)
	}
	st, _ := status.FromError(err)
	switch st.Code() {
	case codes.DeadlineExceeded:
		return fmt.Errorf("%s: %w", m.Ref(), ErrPluginTimeout)
	case codes.Unavailable, codes.Canceled, codes.Aborted:
		return fmt.Errorf("%s: %w: %s", m.Ref(), ErrPluginUnavailable, st.Message())
	case codes.InvalidArgument:
		return fmt.Errorf("%s: %w: %s", m.Ref(), ErrBadInput, st.Message())
	case codes.Unimplemented:
		return fmt.Errorf("%s: %w: the plugin does not implement this call", m.Ref(), ErrPluginFailed)
	}
	return fmt.Errorf("%s: %w: %s", m.Ref(), ErrPluginFailed, st.Message())
}

// Bounds on what a plugin's answer may put on a record.
const (
	maxExplained   = 50       // reasons or hits
	maxAnswerBytes = 64 << 10 // the whole answer
)

func saneScore(r *pluginpb.ScoreResponse) error {
	switch {
	case len(r.Reasons) > maxExplained:
		return fmt.Errorf("%w: %d reasons; at most %d are kept on a record", ErrPluginFailed, len(r.Reasons), maxExplained)
	case proto.Size(r) > maxAnswerBytes:
		return fmt.Errorf("%w: answer of %d bytes; at most %d are kept on a record", ErrPluginFailed, proto.Size(r), maxAnswerBytes)
	case r.Grade != "S" && r.Grade != "A" && r.Grade != "B" && r.Grade != "C" && r.Grade != "D":
		return fmt.Errorf("%w: grade %q is not one of S, A, B, C, D", ErrPluginFailed, r.Grade)
	case math.IsNaN(r.ProbabilityOfDefault) || r.ProbabilityOfDefault < 0 || r.ProbabilityOfDefault > 1:
		return fmt.Errorf("%w: probability of default %v is outside [0, 1]", ErrPluginFailed, r.ProbabilityOfDefault)
	}
	if r.SuggestedLimit != "" {
		if f, err := json.Number(r.SuggestedLimit).Float64(); err != nil || f < 0 {
			return fmt.Errorf("%w: suggested limit %q is not a non-negative decimal", ErrPluginFailed, r.SuggestedLimit)
		}
	}
	return nil
}

func decisionName(d pluginpb.Decision) string {
	switch d {
	case pluginpb.Decision_DECISION_PASS:
		return "pass"
	case pluginpb.Decision_DECISION_REVIEW:
		return "review"
	case pluginpb.Decision_DECISION_REJECT:
		return "reject"
	}
	return ""
}
