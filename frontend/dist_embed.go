//go:build embedui

package frontend

import (
	"embed"
	"io/fs"
)

// all: keeps files whose names start with "_" or ".", which Rollup may give chunks.
//
//go:embed all:dist
var embedded embed.FS

func init() {
	sub, err := fs.Sub(embedded, "dist")
	if err != nil {
		panic("frontend: " + err.Error()) // unreachable: "dist" is a valid path
	}
	dist = sub
}
