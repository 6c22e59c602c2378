package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/credolabs/credo/plugins/scorecard/card"
)

// runTrain is the train subcommand: it fits the final model on all of the data, runs
// the cross-validations and writes the model file and the report.
func runTrain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataPath := fs.String("data", "", "UCI german.data to train on (required)")
	outPath := fs.String("out", "", "model file to write (required)")
	reportPath := fs.String("report", "", "evaluation report (Markdown) to write")
	specPath := fs.String("spec", "", "trainer spec (options, bridge, policy); default: the embedded model/spec.json")
	trainedAt := fs.String("trained-at", "", "time recorded in the model (RFC 3339); default: now")
	seed := fs.Uint64("seed", card.DefaultSeed, "seed of the cross-validation folds")
	folds := fs.Int("folds", 5, "folds of the headline cross-validation")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dataPath == "" || *outPath == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("-data and -out are required and no other arguments are taken")
	}
	at := time.Now()
	if *trainedAt != "" {
		t, err := time.Parse(time.RFC3339, *trainedAt)
		if err != nil {
			return fmt.Errorf("-trained-at: %w", err)
		}
		at = t
	}
	specBytes := specJSON
	if *specPath != "" {
		b, err := os.ReadFile(*specPath)
		if err != nil {
			return err
		}
		specBytes = b
	}
	spec, err := card.DecodeSpec(bytes.NewReader(specBytes))
	if err != nil {
		return err
	}
	ds, err := parseData(*dataPath)
	if err != nil {
		return err
	}
	model, report, err := build(ds, spec, card.BuildOpts{TrainedAt: at, Seed: *seed, Folds: *folds})
	if err != nil {
		return err
	}
	if err := writeFile(*outPath, model); err != nil {
		return err
	}
	if *reportPath != "" {
		if err := writeFile(*reportPath, report); err != nil {
			return err
		}
	}
	m, err := card.Decode(bytes.NewReader(model))
	if err != nil {
		return err
	}
	v := m.Training.Validation
	fmt.Fprintf(stdout, "model %s: %d features; %d-fold CV (seed %d) AUC %.3f ± %.3f, KS %.3f, cost %.3f; wrote %s\n",
		m.ModelVersion, len(m.Features), v.Folds, v.Seed, v.AUCMean, v.AUCSD, v.KSMean, v.CostMean, *outPath)
	return nil
}

func parseData(path string) (*card.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read only: a failed close loses nothing
	return card.ParseGerman(f)
}

// build returns the model file and the report for ds and spec.
func build(ds *card.Dataset, spec *card.Spec, o card.BuildOpts) (model, report []byte, err error) {
	m, ev, err := card.Build(ds, spec, o)
	if err != nil {
		return nil, nil, err
	}
	var mb, rb bytes.Buffer
	if err := m.Encode(&mb); err != nil {
		return nil, nil, err
	}
	if err := card.WriteReport(&rb, ds, m, ev, spec); err != nil {
		return nil, nil, err
	}
	return mb.Bytes(), rb.Bytes(), nil
}

// writeFile replaces path atomically, so a failed run never leaves half a model.
func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close() // the write error is the one to report
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
