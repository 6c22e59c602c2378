// Command credo-scorecard is Credo's reference scoring plugin: a weight-of-evidence
// logistic-regression scorecard trained on the UCI German credit data, scoring records
// of the lending template's loan application.
//
//	credo-scorecard                 serve as a plugin (the Credo host starts it)
//	credo-scorecard train -data german.data -out model.json [-report report.md]
//	credo-scorecard version
//
// The model it serves, model/german.json, is embedded; the trainer writes it from the
// data and model/spec.json (options, the bridge from the loan application, the default
// credit-limit policy).
package main

import (
	_ "embed"
	"fmt"
	"io"
	"os"

	"github.com/credolabs/credo/plugins/sdk"
)

//go:embed model/german.json
var modelJSON []byte

//go:embed model/spec.json
var specJSON []byte

func main() {
	if len(os.Args) == 1 {
		p, err := newPlugin(modelJSON)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: embedded model: %v\n", Name, err)
			os.Exit(1)
		}
		sdk.Serve(p.serveOpts())
		return
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run carries out a subcommand and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	switch args[0] {
	case "train":
		if err := runTrain(args[1:], stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "%s train: %v\n", Name, err)
			return 1
		}
		return 0
	case "version":
		p, err := newPlugin(modelJSON)
		if err != nil {
			fmt.Fprintf(stdout, "%s %s (embedded model invalid: %v)\n", Name, Version, err)
			return 1
		}
		m := p.card.Model()
		fmt.Fprintf(stdout, "%s %s model %s trained %s on data sha256 %s\n", Name, Version, m.ModelVersion,
			m.TrainedAt.Format("2006-01-02"), m.Data.SHA256)
		return 0
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "%s: unknown command %q\n", Name, args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `usage:
  %[1]s            serve as a Credo plugin (started by the Credo host)
  %[1]s train -data <german.data> -out <model.json> [-report <report.md>] [-spec <spec.json>] [-trained-at <RFC 3339>]
  %[1]s version
`, Name)
}
