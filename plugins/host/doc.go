// Package host runs plugins: discovery, checksums, launch, health, restart, deadlines,
// per-tenant binding and hot swap.
package host

import (
	_ "github.com/credolabs/credo/plugins/proto"
	_ "github.com/hashicorp/go-plugin"
)
