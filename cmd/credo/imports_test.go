package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/credolabs/credo/"

// allowedImports is the dependency table of STYLE.md §1: which platform packages each
// package may import (by prefix, relative to the module). Dependencies point inward.
var allowedImports = []struct {
	pkg     string
	allowed []string
}{
	{"store", nil},
	{"store/sqlite", []string{"store"}},
	{"store/mongo", []string{"store"}},
	{"store/storetest", []string{"store"}},
	{"schemas", nil},
	{"tenants", []string{"store"}},
	{"runtime/", []string{"store", "schemas", "runtime/"}},
	{"builder", []string{"runtime/", "schemas", "store"}},
	{"server", []string{"builder", "runtime/", "tenants", "store", "schemas", "plugins/host", "frontend"}},
	{"plugins/host", []string{"plugins/proto", "store"}},
	// Reference plugins are mains over the SDK; their own subpackages are theirs.
	{"plugins/scorecard/", []string{"plugins/sdk", "plugins/scorecard/"}},
	{"plugins/antifraud/", []string{"plugins/sdk", "plugins/antifraud/"}},
}

// TestImportDirection fails when a package imports against the table, e.g. the runtime
// reaching up into the server or tenants.
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", module+"...").Output()
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(out))
	checked := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		rel := strings.TrimPrefix(p.ImportPath, module)
		if strings.HasPrefix(rel, "cmd/") || rel == p.ImportPath {
			continue
		}
		allowed, ok := rulesFor(rel)
		if !ok {
			continue
		}
		checked++
		for _, imp := range p.Imports {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok || dep == rel {
				continue
			}
			assert.True(t, allowedBy(dep, allowed), "%s imports %s, which it may not (STYLE.md §1)", rel, dep)
		}
	}
	assert.Greater(t, checked, 8)
}

// rulesFor picks the row of the table for pkg: its own row, else the longest row that is
// a folder ("runtime/") containing it.
func rulesFor(pkg string) ([]string, bool) {
	best, found := "", false
	var allowed []string
	for _, r := range allowedImports {
		match := r.pkg == pkg || (strings.HasSuffix(r.pkg, "/") && strings.HasPrefix(pkg+"/", r.pkg))
		if match && len(r.pkg) > len(best) {
			best, allowed, found = r.pkg, r.allowed, true
		}
	}
	return allowed, found
}

func allowedBy(dep string, allowed []string) bool {
	for _, a := range allowed {
		if dep == strings.TrimSuffix(a, "/") || strings.HasPrefix(dep, strings.TrimSuffix(a, "/")+"/") {
			return true
		}
	}
	return false
}
