// Command credo-antifraud is the reference anti-fraud plugin (placeholder until built).
package main

import (
	_ "github.com/credolabs/credo/plugins/sdk"
)

func main() {}
