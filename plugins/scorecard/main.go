// Command credo-scorecard is the reference scoring plugin (placeholder until built).
package main

import (
	_ "github.com/credolabs/credo/plugins/sdk"
	_ "gonum.org/v1/gonum/mat"
	_ "gonum.org/v1/gonum/optimize"
)

func main() {}
