package sdk_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/doc"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// sinceLine is the line every exported item of the SDK carries in its doc comment, naming
// the SDK version it appeared in, so a vendor knows which SDK a plugin needs.
var sinceLine = regexp.MustCompile(`(?m)^Since: v[0-9]+\.[0-9]+\.[0-9]+$`)

// TestEveryExportedItemSaysSince checks every package of the SDK module: exported types,
// functions, methods, and const and var groups need a "Since: vX.Y.Z" line. A method is
// exempt when it implements an interface (declared in the package, in a package it
// imports, or error): its contract and version are the interface's, as with
// ScorerFunc.Score or an slog.Handler's Handle. Package comments are not checked.
func TestEveryExportedItemSaysSince(t *testing.T) {
	pkgs, exports := listModule(t)
	if len(pkgs) < 3 {
		t.Fatalf("found %d SDK packages, want at least sdk, sdk/log and sdk/sdktest", len(pkgs))
	}
	for _, p := range pkgs {
		t.Run(p.ImportPath, func(t *testing.T) {
			var paths []string
			for _, f := range p.GoFiles {
				paths = append(paths, filepath.Join(p.Dir, f))
			}
			missing, exempt, err := missingSince(p.ImportPath, paths, exports)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range exempt {
				t.Logf("%s: exempt, it implements an interface", e)
			}
			for _, m := range missing {
				t.Errorf("%s: the doc comment lacks a \"Since: vX.Y.Z\" line", m)
			}
		})
	}
}

// TestSinceCheckCatchesOmissions runs the check on a package written for the purpose,
// so a check that passes everything cannot go unnoticed.
func TestSinceCheckCatchesOmissions(t *testing.T) {
	_, exports := listModule(t)
	const src = `// Package fixture has one item of each kind with and without the line.
package fixture

import "context"

// Doer does.
//
// Since: v0.1.0
type Doer interface{ Do(ctx context.Context) error }

// DoerFunc adapts a function; documented.
//
// Since: v0.1.0
type DoerFunc func(ctx context.Context) error

// Do calls f; exempt, it implements Doer.
func (f DoerFunc) Do(ctx context.Context) error { return f(ctx) }

// Undocumented lacks the line.
type Undocumented struct{}

// Error implements error; exempt.
func (Undocumented) Error() string { return "" }

// String looks like fmt.Stringer's but takes an argument and implements nothing.
func (Undocumented) String(field string) string { return field }

func (Undocumented) Bare() {}

func (Undocumented) unexported() {}

// NewUndocumented is a constructor without the line.
func NewUndocumented() *Undocumented { return nil }

// Run is documented.
//
// Since: v1.2.3
func Run() {}

// Stop lacks the line. Since: v0.1.0 must start its own line.
func Stop() {}

// The modes.
const (
	A = 1
	B = 2
)

// Limit is documented.
//
// Since: v0.2.0
var Limit = 3

var hidden = 4

// Later claims a version the line format rejects.
//
// Since: 1.0
func Later() {}
`
	dir := t.TempDir()
	path := filepath.Join(dir, "fixture.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, exempt, err := missingSince("example.com/fixture", []string{path}, exports)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"method DoerFunc.Do", "method Undocumented.Error"}; !slices.Equal(exempt, want) {
		t.Errorf("exempted %q, want %q", exempt, want)
	}
	want := []string{"const A, B", "func Later", "func NewUndocumented", "func Stop", "method Undocumented.Bare",
		"method Undocumented.String", "type Undocumented"}
	if !slices.Equal(got, want) {
		t.Errorf("reported %q\nwant     %q", got, want)
	}
}

type listedPackage struct {
	ImportPath string
	Dir        string
	Name       string
	GoFiles    []string
	Export     string
	DepOnly    bool
}

// listModule lists the SDK module's packages, and the export data of every package they
// depend on, which type-checking them needs. The build cache usually has it already.
func listModule(t *testing.T) ([]listedPackage, map[string]string) {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json", "-export", "-deps", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listedPackage
	exports := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		exports[p.ImportPath] = p.Export
		if !p.DepOnly && p.Name != "main" && len(p.GoFiles) > 0 {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, exports
}

// missingSince returns the exported items of the package made of files that lack the
// line, and the methods exempt from it, as "kind Name", sorted.
func missingSince(importPath string, files []string, exports map[string]string) (missing, exempt []string, err error) {
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			return nil, nil, err
		}
		parsed = append(parsed, af)
	}
	// Type-check first: doc.NewFromFiles trims the files to their exported parts.
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		exp := exports[path]
		if exp == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(exp)
	})}
	tpkg, err := conf.Check(importPath, fset, parsed, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("type-check %s: %w", importPath, err)
	}
	ifaces := interfacesSeenBy(tpkg)
	dp, err := doc.NewFromFiles(fset, parsed, importPath)
	if err != nil {
		return nil, nil, err
	}

	lacks := func(text string) bool { return !sinceLine.MatchString(text) }
	values := func(kind string, vs []*doc.Value) {
		for _, v := range vs {
			if lacks(v.Doc) {
				missing = append(missing, kind+" "+strings.Join(v.Names, ", "))
			}
		}
	}
	funcs := func(fs []*doc.Func) {
		for _, f := range fs {
			if lacks(f.Doc) {
				missing = append(missing, "func "+f.Name)
			}
		}
	}
	values("const", dp.Consts)
	values("var", dp.Vars)
	funcs(dp.Funcs)
	for _, ty := range dp.Types {
		if lacks(ty.Doc) {
			missing = append(missing, "type "+ty.Name)
		}
		values("const", ty.Consts)
		values("var", ty.Vars)
		funcs(ty.Funcs)
		for _, m := range ty.Methods {
			// Level > 0: promoted from an embedded type, documented where declared.
			switch {
			case m.Level > 0 || !lacks(m.Doc):
			case implementsInterface(tpkg, ty.Name, m.Name, ifaces):
				exempt = append(exempt, "method "+ty.Name+"."+m.Name)
			default:
				missing = append(missing, "method "+ty.Name+"."+m.Name)
			}
		}
	}
	slices.Sort(missing)
	slices.Sort(exempt)
	return missing, exempt, nil
}

// interfacesSeenBy lists the method-set interfaces declared in pkg and in the packages it
// imports, and error.
func interfacesSeenBy(pkg *types.Package) []*types.Interface {
	out := []*types.Interface{types.Universe.Lookup("error").Type().Underlying().(*types.Interface)}
	for _, p := range append([]*types.Package{pkg}, pkg.Imports()...) {
		for _, name := range p.Scope().Names() {
			tn, ok := p.Scope().Lookup(name).(*types.TypeName)
			if !ok {
				continue
			}
			if named, ok := tn.Type().(*types.Named); ok && named.TypeParams().Len() > 0 {
				continue
			}
			if it, ok := tn.Type().Underlying().(*types.Interface); ok && it.IsMethodSet() && it.NumMethods() > 0 {
				out = append(out, it)
			}
		}
	}
	return out
}

// implementsInterface reports whether method of typeName is there to satisfy one of
// ifaces that the type (or its pointer) implements.
func implementsInterface(pkg *types.Package, typeName, method string, ifaces []*types.Interface) bool {
	tn, ok := pkg.Scope().Lookup(typeName).(*types.TypeName)
	if !ok {
		return false
	}
	for _, it := range ifaces {
		has := false
		for m := range it.Methods() {
			has = has || m.Name() == method
		}
		if has && (types.Implements(tn.Type(), it) || types.Implements(types.NewPointer(tn.Type()), it)) {
			return true
		}
	}
	return false
}
