package main

import (
	"fmt"
	"os"
	"time"

	"github.com/credolabs/credo/plugins/sdk"
)

// version is the plugin's semantic version; a rule or default that changes what a
// record is judged to be changes it.
const version = "1.0.0"

func main() {
	switch {
	case len(os.Args) == 1:
		sdk.Serve(serveOpts(time.Now))
	case len(os.Args) == 2 && os.Args[1] == "version":
		fmt.Println(version)
	default:
		fmt.Fprintln(os.Stderr, "usage: credo-antifraud [version]\n\n"+
			"Without arguments it serves the Credo plugin protocol; the Credo host starts it.")
		os.Exit(2)
	}
}

// serveOpts is the plugin as the host sees it; now is the clock ages are reckoned by.
func serveOpts(now func() time.Time) sdk.ServeOpts {
	d := newDetector(builtinRules(), now)
	return sdk.ServeOpts{
		Info: sdk.Info{
			Name:    "credo-antifraud",
			Version: version,
			Description: "Reference anti-fraud rules for lending applications: blacklists, velocity, " +
				"emergency contacts and resident ID checks.",
			ConfigSchema: configSchema,
			Reads:        d.reads(),
		},
		FraudDetector: d,
	}
}
