package form

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/schemas"
)

// update rewrites the "output" of every golden file from what the code produces now;
// review the diff like code.
var update = flag.Bool("update", false, "rewrite the output of golden files in testdata")

// goldenCase is one file of testdata/<dir>: an input and the output it must produce.
type goldenCase struct {
	Input  json.RawMessage `json:"input"`
	Output json.RawMessage `json:"output"`
}

// runGolden runs fn on the input of every testdata/<dir>/*.json file and compares its
// output (as JSON) with the file's.
func runGolden(t *testing.T, dir string, fn func(t *testing.T, input json.RawMessage) any) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no golden files in testdata/%s", dir)
	sort.Strings(files)
	for _, file := range files {
		name := filepath.Base(file[:len(file)-len(".json")])
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			var gc goldenCase
			require.NoError(t, json.Unmarshal(raw, &gc), "golden file %s", file)
			got, err := json.Marshal(fn(t, gc.Input))
			require.NoError(t, err)
			if *update {
				gc.Output = got
				out, err := json.MarshalIndent(gc, "", "  ")
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(file, append(out, '\n'), 0o644))
				return
			}
			assert.JSONEq(t, string(gc.Output), string(got), "golden %s (run with -update to accept)", file)
		})
	}
}

// definitionInput names a definition: a template ("lending/loan_application"), an inline
// definition, or raw text (for syntax errors).
type definitionInput struct {
	Template   string          `json:"template,omitempty"`
	Definition json.RawMessage `json:"definition,omitempty"`
	Text       string          `json:"text,omitempty"`
}

func (d definitionInput) body(t *testing.T) []byte {
	t.Helper()
	switch {
	case d.Template != "":
		pack, key := filepath.Split(d.Template)
		tpl, err := schemas.TemplateOf(filepath.Clean(pack), key)
		require.NoError(t, err)
		return tpl.Body
	case d.Text != "":
		return []byte(d.Text)
	}
	require.NotEmpty(t, d.Definition, "a golden input needs template, definition or text")
	return d.Definition
}

func mustCompile(t testing.TB, body []byte) *Form {
	t.Helper()
	f, err := Compile(body)
	require.NoError(t, err)
	return f
}

func decodeInput(t *testing.T, raw json.RawMessage, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v))
}

func problemsOf(err error) any {
	switch e := err.(type) {
	case nil:
		return nil
	case *DefinitionError:
		return map[string]any{"problems": e.Problems}
	case *ValidationError:
		return map[string]any{"problems": e.Problems}
	}
	return map[string]any{"error": err.Error()}
}

// TestCompileGolden: definitions and every problem, located by JSON pointer.
func TestCompileGolden(t *testing.T) {
	runGolden(t, "compile", func(t *testing.T, raw json.RawMessage) any {
		var in definitionInput
		decodeInput(t, raw, &in)
		f, err := Compile(in.body(t))
		if err != nil {
			var de *DefinitionError
			require.ErrorAs(t, err, &de, "compile errors must be *DefinitionError")
			require.NotEmpty(t, de.Problems)
			return problemsOf(err)
		}
		computed := []string{}
		for _, c := range f.computed {
			computed = append(computed, c.name)
		}
		return map[string]any{"key": f.Key(), "fields": f.Fields(), "indexed": f.IndexedFields(), "computed": computed}
	})
}

// TestValidateGolden: record validation problems and computed fields, through Prepare.
func TestValidateGolden(t *testing.T) {
	runGolden(t, "validate", func(t *testing.T, raw json.RawMessage) any {
		var in struct {
			definitionInput
			Record map[string]any `json:"record"`
		}
		decodeInput(t, raw, &in)
		f := mustCompile(t, in.body(t))
		rec, err := f.Prepare(in.Record)
		if err != nil {
			var ve *ValidationError
			require.ErrorAs(t, err, &ve, "record errors must be *ValidationError")
			return problemsOf(err)
		}
		return map[string]any{"record": rec}
	})
}

// TestMaskGolden: every mask on typical, Chinese, short and non-text values.
func TestMaskGolden(t *testing.T) {
	runGolden(t, "mask", func(t *testing.T, raw json.RawMessage) any {
		var in struct {
			Mask   *Mask `json:"mask"`
			Values []any `json:"values"`
		}
		decodeInput(t, raw, &in)
		out := make([]any, len(in.Values))
		for i, v := range in.Values {
			out[i] = MaskValue(in.Mask, v)
		}
		return out
	})
}

// TestRowScopeGolden: row-scope CEL compiled to store filters for given users.
func TestRowScopeGolden(t *testing.T) {
	runGolden(t, "rowscope", func(t *testing.T, raw json.RawMessage) any {
		var in struct {
			definitionInput
			Scopes []string `json:"scopes"`
			User   struct {
				ID    string            `json:"id"`
				Roles []string          `json:"roles"`
				Attrs map[string]string `json:"attrs"`
			} `json:"user"`
		}
		decodeInput(t, raw, &in)
		f := mustCompile(t, in.body(t))
		var scopes []*rowScope
		for _, expr := range in.Scopes {
			rs, err := compileRowScope(f, expr)
			if err != nil {
				assert.Equal(t, err, CheckRowScope(f.Key(), expr, f))
				return problemsOf(err)
			}
			require.NoError(t, CheckRowScope(f.Key(), expr, f))
			scopes = append(scopes, rs)
		}
		r := scopeFilter(scopes, userValue(Actor{UserID: in.User.ID, Roles: in.User.Roles, Attrs: in.User.Attrs}))
		switch {
		case r.known && r.val:
			return map[string]any{"match": "all"}
		case r.known:
			return map[string]any{"match": "none"}
		}
		require.NoError(t, r.f.Validate(), "the filter must be valid for the store")
		return map[string]any{"filter": r.f}
	})
}
