// Package pythonscorer holds python-scorer, an example Credo scoring plugin written in
// Python (plugin.py), and the Go test that launches it through go-plugin with AutoMTLS, as
// the Credo host does. The package has no Go code of its own; README.md explains the
// plugin, its handshake and its mutual TLS.
package pythonscorer
