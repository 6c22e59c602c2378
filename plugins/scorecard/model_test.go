package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/plugins/scorecard/card"
)

var update = flag.Bool("update", false, "rewrite model/german.json and docs/scorecard.md from the trainer")

const (
	dataPath   = "data/german/german.data"
	modelPath  = "model/german.json"
	reportPath = "../../docs/scorecard.md"
)

// TestCommittedModelIsReproducible runs the train command as a person would and checks
// that the committed model file and report are byte for byte what it writes. With
// -update it rewrites them instead (keeping the recorded training time); review the
// diff like code.
func TestCommittedModelIsReproducible(t *testing.T) {
	committed, err := card.Decode(bytes.NewReader(modelJSON))
	require.NoError(t, err, "the embedded model decodes")
	dir := t.TempDir()
	out, rep := filepath.Join(dir, "german.json"), filepath.Join(dir, "scorecard.md")
	var stdout, stderr bytes.Buffer
	code := run([]string{"train", "-data", dataPath, "-out", out, "-report", rep,
		"-trained-at", committed.TrainedAt.Format("2006-01-02T15:04:05Z07:00")}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "5-fold CV")

	gotModel, err := os.ReadFile(out)
	require.NoError(t, err)
	gotReport, err := os.ReadFile(rep)
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile(modelPath, gotModel, 0o644))
		require.NoError(t, os.WriteFile(reportPath, gotReport, 0o644))
		t.Log("rewrote", modelPath, "and", reportPath)
		return
	}
	onDisk, err := os.ReadFile(modelPath)
	require.NoError(t, err)
	assert.Equal(t, string(onDisk), string(modelJSON), "the binary embeds the file on disk")
	assert.Equal(t, string(gotModel), string(modelJSON),
		"model/german.json is not what the trainer writes; run go test ./plugins/scorecard -update")
	wantReport, err := os.ReadFile(reportPath)
	require.NoError(t, err)
	assert.Equal(t, string(gotReport), string(wantReport),
		"docs/scorecard.md is not what the trainer writes; run go test ./plugins/scorecard -update")

	// The shipped model meets the quality target it reports.
	v := committed.Training.Validation
	require.NotNil(t, v)
	assert.GreaterOrEqual(t, v.AUCMean, 0.78)
}

// TestDataIsTheDocumentedFile checks the committed data against the digests in its
// README and in the model.
func TestDataIsTheDocumentedFile(t *testing.T) {
	readme, err := os.ReadFile("data/german/README.md")
	require.NoError(t, err)
	m, err := card.Decode(bytes.NewReader(modelJSON))
	require.NoError(t, err)
	for _, name := range []string{"german.data", "german.doc"} {
		b, err := os.ReadFile(filepath.Join("data/german", name))
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		digest := hex.EncodeToString(sum[:])
		assert.Contains(t, string(readme), "`"+digest+"`", name)
		if name == "german.data" {
			assert.Equal(t, digest, m.Data.SHA256)
		}
	}
	for _, want := range []string{"CC BY 4.0", "https://doi.org/10.24432/C5NC77", "Hofmann"} {
		assert.Contains(t, string(readme), want)
	}
}

func TestCommands(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run([]string{"version"}, &out, &errOut))
	m, err := card.Decode(bytes.NewReader(modelJSON))
	require.NoError(t, err)
	assert.Contains(t, out.String(), "credo-scorecard 1.0.0")
	assert.Contains(t, out.String(), m.ModelVersion)

	out.Reset()
	assert.Equal(t, 2, run([]string{"frobnicate"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "usage")

	errOut.Reset()
	assert.Equal(t, 1, run([]string{"train", "-data", dataPath}, &out, &errOut), "no -out")
	assert.Contains(t, errOut.String(), "-data and -out are required")

	errOut.Reset()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.data")
	require.NoError(t, os.WriteFile(bad, []byte("A11 6\n"), 0o644))
	assert.Equal(t, 1, run([]string{"train", "-data", bad, "-out", filepath.Join(dir, "m.json")}, &out, &errOut))
	assert.Contains(t, errOut.String(), "line 1")
	_, err = os.Stat(filepath.Join(dir, "m.json"))
	assert.True(t, os.IsNotExist(err), "a failed run writes no model")
	assert.False(t, strings.Contains(errOut.String(), "panic"))
}
