package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/credolabs/credo/plugins/host"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
)

// decider hands the plugin host to the record service: a form's score decision runs the
// tenant's bound scorer, its fraud decision the bound fraud detector.
type decider struct{ h *host.Host }

func (d decider) Decide(ctx context.Context, kind, tenant, formKey, id string, rec map[string]any) (map[string]any, error) {
	call := host.Call{Tenant: tenant, Form: formKey, RecordID: id, Record: rec}
	var (
		out any
		err error
	)
	switch kind {
	case form.DecisionScore:
		out, err = d.h.Score(ctx, call)
	case form.DecisionFraud:
		out, err = d.h.Check(ctx, call)
	default:
		return nil, fmt.Errorf("decision %q: %w", kind, host.ErrUnknownKind)
	}
	if err != nil {
		return nil, err
	}
	return jsonObject(out)
}

// jsonObject turns a result into the JSON object a record stores, numbers as json.Number
// like everything read from the store.
func jsonObject(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	return m, dec.Decode(&m)
}

// lookup answers the plugins' callbacks: the tenant's lists, and velocity counts over its
// records. It reaches the services through the app, which is complete before any call.
type lookup struct{ a *app }

func (l lookup) ListContains(ctx context.Context, tenant, name string, values []string) ([]string, error) {
	return l.a.lists.Contains(ctx, tenant, name, values)
}

func (l lookup) Count(ctx context.Context, tenant, formKey, field, value string, since time.Time) (int64, error) {
	return l.a.forms.CountSince(ctx, tenant, formKey, field, value, since)
}

// ListsContain answers all the list questions of one plugin Lookup in one store read
// (the lists share one collection).
func (l lookup) ListsContain(ctx context.Context, tenant string, qs []host.ListQuestion) ([][]string, error) {
	in := make([]list.Question, len(qs))
	for i, q := range qs {
		in[i] = list.Question{List: q.List, Values: q.Values}
	}
	return l.a.lists.ContainsAll(ctx, tenant, in)
}

// Counts answers all the velocity counts of one plugin Lookup.
func (l lookup) Counts(ctx context.Context, tenant string, qs []host.CountQuestion) ([]int64, error) {
	in := make([]form.CountQuestion, len(qs))
	for i, q := range qs {
		in[i] = form.CountQuestion{Form: q.Form, Field: q.Field, Value: q.Value, Since: q.Since}
	}
	return l.a.forms.CountsSince(ctx, tenant, in)
}

var _ host.BatchLookup = lookup{}

const pluginsUsage = `Usage:
  credo plugins list [-dir D]              list the installed plugin versions
  credo plugins install [-dir D] program   install a single-file plugin into the plugin directory
The directory defaults to CREDO_PLUGIN_DIR.
`

func cmdPlugins(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	if len(args) == 0 {
		_, _ = fmt.Fprint(stderr, pluginsUsage)
		return fmt.Errorf("plugins: a subcommand is needed")
	}
	sub, args := args[0], args[1:]
	fs := newFlags("plugins "+sub, stderr)
	dir := fs.String("dir", env("CREDO_PLUGIN_DIR"), "plugin directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("plugins %s: no plugin directory: set CREDO_PLUGIN_DIR or -dir", sub)
	}
	switch sub {
	case "list":
		found, errs := host.Discover(*dir)
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		_, _ = fmt.Fprintln(w, "PLUGIN\tVERSION\tKINDS\tSHA256")
		for _, m := range found {
			_, _ = fmt.Fprintf(w, "%s\t%s\t%v\t%s…\n", m.Name, m.Version, m.Kinds, m.SHA256[:12])
		}
		_ = w.Flush()
		for _, err := range errs {
			_, _ = fmt.Fprintln(stderr, "skipped:", err)
		}
		return nil
	case "install":
		if fs.NArg() != 1 {
			return fmt.Errorf("plugins install: name one program")
		}
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return err
		}
		m, err := host.Install(ctx, fs.Arg(0), *dir)
		if err != nil {
			return err
		}
		_, _ = fmt.Fprintf(stdout, "installed %s (%v) into %s\n", m.Ref(), m.Kinds, m.Path())
		return nil
	}
	_, _ = fmt.Fprint(stderr, pluginsUsage)
	return fmt.Errorf("plugins: unknown subcommand %q", sub)
}
