package card

import (
	"bytes"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The German data and the shipped spec, relative to this package.
const (
	germanPath = "../data/german/german.data"
	specPath   = "../model/spec.json"
)

func loadGerman(t testing.TB) *Dataset {
	t.Helper()
	f, err := os.Open(germanPath)
	require.NoError(t, err)
	defer f.Close()
	ds, err := ParseGerman(f)
	require.NoError(t, err)
	return ds
}

func loadSpec(t testing.TB) *Spec {
	t.Helper()
	f, err := os.Open(specPath)
	require.NoError(t, err)
	defer f.Close()
	s, err := DecodeSpec(f)
	require.NoError(t, err)
	return s
}

func allRows(ds *Dataset) []int {
	idx := make([]int, len(ds.Rows))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

var trained struct {
	once sync.Once
	ds   *Dataset
	m    *Model
	err  error
}

// newTrainedCard trains the shipped spec on all of the German data once per test binary
// and compiles a fresh card from a copy of the model, so tests may not disturb each other.
func newTrainedCard(t testing.TB) (*Card, *Dataset) {
	t.Helper()
	trained.once.Do(func() {
		f, err := os.Open(germanPath)
		if err != nil {
			trained.err = err
			return
		}
		defer f.Close()
		if trained.ds, trained.err = ParseGerman(f); trained.err != nil {
			return
		}
		sf, err := os.Open(specPath)
		if err != nil {
			trained.err = err
			return
		}
		defer sf.Close()
		spec, err := DecodeSpec(sf)
		if err != nil {
			trained.err = err
			return
		}
		trained.m, trained.err = Train(trained.ds, allRows(trained.ds), spec, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	})
	require.NoError(t, trained.err)
	c, err := Compile(cloneModel(t, trained.m))
	require.NoError(t, err)
	return c, trained.ds
}

// cloneModel deep-copies a model through its file format.
func cloneModel(t testing.TB, m *Model) *Model {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, m.Encode(&buf))
	out, err := Decode(&buf)
	require.NoError(t, err)
	return out
}
