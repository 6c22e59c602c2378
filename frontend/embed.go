// Package frontend carries the browser app's production build (frontend/dist, made by
// `make frontend`) into the Go binary.
//
// Only builds tagged embedui carry it (dist_embed.go): frontend/dist is build output and
// not in git, so an untagged build needs no Node and works on a fresh clone — go build,
// go vet and go test ./... included. `make build` builds the UI first and sets the tag.
// A binary without the build serves a short page saying how to build the UI instead.
package frontend

import "io/fs"

// dist is set by dist_embed.go in builds tagged embedui.
var dist fs.FS

// Dist returns the built app, with index.html at its root, or nil when this binary
// was built without it.
func Dist() fs.FS { return dist }
