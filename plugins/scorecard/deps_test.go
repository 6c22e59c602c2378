package main

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImportsOnlyTheSDK holds the reference plugin to what a vendor's plugin may use:
// of the platform only plugins/sdk (and sdktest in tests), besides its own packages.
func TestImportsOnlyTheSDK(t *testing.T) {
	const module = "github.com/credolabs/credo/"
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(string(out)))
	checked := 0
	for {
		var p struct {
			ImportPath                         string
			Imports, TestImports, XTestImports []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		checked++
		allowed := func(imp string, test bool) bool {
			switch {
			case !strings.HasPrefix(imp, module):
				return true
			case strings.HasPrefix(imp, module+"plugins/scorecard"):
				return true
			case imp == module+"plugins/sdk":
				return true
			}
			return test && imp == module+"plugins/sdk/sdktest"
		}
		for _, imp := range p.Imports {
			assert.True(t, allowed(imp, false), "%s imports %s", p.ImportPath, imp)
		}
		for _, imp := range append(p.TestImports, p.XTestImports...) {
			assert.True(t, allowed(imp, true), "%s tests import %s", p.ImportPath, imp)
		}
	}
	assert.GreaterOrEqual(t, checked, 2)
}
