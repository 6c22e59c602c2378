package pluginpb

// The go-plugin handshake of protocol version 1. These values NEVER change: a plugin and a
// host agree on them or refuse each other. A new protocol version gets a new constant and
// is served side by side through go-plugin's VersionedPlugins.
const (
	// ProtocolVersion is the version of this protocol (package credo.plugin.v1).
	ProtocolVersion = 1
	// MagicCookieKey and MagicCookieValue tell a plugin executable it was started by a
	// Credo host rather than by hand.
	MagicCookieKey   = "CREDO_PLUGIN"
	MagicCookieValue = "2f6c1d8e-credo-lending-plugin"
	// PluginName is the single entry of the plugin set: one gRPC connection carries the
	// Plugin, Scorer and FraudDetector services, whichever the plugin serves.
	PluginName = "credo"
)
