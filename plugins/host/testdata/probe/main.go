// Command probe is a test plugin whose behaviour the record steers: it sleeps, panics or
// answers nonsense on request. The build sets its version and protocol with -ldflags.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/credolabs/credo/plugins/sdk"
)

var (
	version  = "1.0.0"
	protocol = "1"
)

func main() {
	opts := sdk.ServeOpts{
		Info: sdk.Info{Name: "probe", Version: version, Reads: []string{"income", "phone", "sleep_ms", "grade", "stderr", "env", "reasons", "lookups"},
			ConfigSchema: json.RawMessage(`{"type":"object","properties":{"bonus":{"type":"integer","minimum":0}},"additionalProperties":false}`)},
		Scorer:        sdk.ScorerFunc(score),
		FraudDetector: sdk.FraudDetectorFunc(check),
	}
	cfg := sdk.ServeConfig(opts)
	if protocol != "1" {
		n, _ := strconv.Atoi(protocol)
		cfg.HandshakeConfig.ProtocolVersion = uint(n)
		cfg.VersionedPlugins = map[int]goplugin.PluginSet{n: sdk.PluginSet(opts)}
	}
	goplugin.Serve(cfg)
}

func score(ctx context.Context, c *sdk.Call) (*sdk.Score, error) {
	if ms, ok := c.Number("sleep_ms"); ok {
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var cfg struct{ Bonus int }
	if len(c.Config) > 0 {
		if err := json.Unmarshal(c.Config, &cfg); err != nil {
			return nil, sdk.BadInput("config: %v", err)
		}
	}
	if line := c.String("stderr"); line != "" {
		// File descriptor 2 is the pipe the host reads; os.Stderr is go-plugin's by now.
		_, _ = os.NewFile(2, "stderr").WriteString(line + "\n")
	}
	income, _ := c.Number("income")
	g := sdk.Grade(c.String("grade"))
	if g == "" {
		g = sdk.GradeB
	}
	s := &sdk.Score{Score: int(income/10) + cfg.Bonus, ProbabilityOfDefault: 0.1, Grade: g, SuggestedLimit: "1000.00",
		Currency: "CNY", ModelVersion: "probe-" + version}
	if n, ok := c.Number("reasons"); ok {
		for i := range int(n) {
			s.Reasons = append(s.Reasons, sdk.Reason{Code: fmt.Sprintf("r%d", i)})
		}
	}
	if name := c.String("env"); name != "" {
		s.Reasons = append(s.Reasons, sdk.Reason{Code: "env:" + os.Getenv(name)})
	}
	if phone := c.String("phone"); phone != "" {
		found, err := c.Host.ListContains(ctx, "blacklist.phone", []string{phone})
		if err != nil {
			return nil, fmt.Errorf("host: %w", err)
		}
		if len(found) > 0 {
			s.Reasons = append(s.Reasons, sdk.Reason{Code: "blacklisted_phone", Text: map[string]string{"en": "Phone is blacklisted"}})
		}
	}
	return s, nil
}

func check(ctx context.Context, c *sdk.Call) (*sdk.Verdict, error) {
	if n, ok := c.Number("lookups"); ok {
		return checkBatch(ctx, c, int(n))
	}
	n, err := c.Host.Count(ctx, c.Form, "phone", c.String("phone"), time.Hour)
	if err != nil {
		return nil, err
	}
	v := &sdk.Verdict{Decision: sdk.Pass, ModelVersion: "probe-" + version}
	if n > 2 {
		v.Decision = sdk.Review
		v.Hits = append(v.Hits, sdk.Hit{Rule: "velocity.phone", Decision: sdk.Review, Reason: map[string]string{"en": fmt.Sprintf("%d applications", n)}})
	}
	return v, nil
}

// checkBatch asks the phone blacklist and n phone counts (windows of 1, 2, ... hours) in
// one Lookup, and reports every answer in its hits' evidence.
func checkBatch(ctx context.Context, c *sdk.Call, n int) (*sdk.Verdict, error) {
	phone := c.String("phone")
	q := sdk.Lookups{Lists: []sdk.ListQuery{{List: "blacklist.phone", Values: []string{phone}}}}
	for i := range n {
		q.Counts = append(q.Counts, sdk.CountQuery{Form: c.Form, Field: "phone", Value: phone, Window: time.Duration(i+1) * time.Hour})
	}
	r, err := c.Host.Lookup(ctx, q)
	if err != nil {
		return nil, err
	}
	v := &sdk.Verdict{Decision: sdk.Pass, ModelVersion: "probe-" + version}
	if len(r.Lists[0]) > 0 {
		v.Decision = sdk.Reject
		v.Hits = append(v.Hits, sdk.Hit{Rule: "blacklist.phone", Decision: sdk.Reject,
			Evidence: map[string]string{"found": strings.Join(r.Lists[0], ",")}})
	}
	counts := make([]string, len(r.Counts))
	for i, n := range r.Counts {
		counts[i] = strconv.FormatInt(n, 10)
	}
	v.Hits = append(v.Hits, sdk.Hit{Rule: "counts", Decision: sdk.Pass, Evidence: map[string]string{"counts": strings.Join(counts, ",")}})
	return v, nil
}
