package sdk

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// ServeOpts configures Serve. Leave a handler nil when the plugin does not offer it.
//
// Since: v0.1.0
type ServeOpts struct {
	Info          Info
	Scorer        Scorer
	FraudDetector FraudDetector
}

// Serve runs the plugin until the host stops it. It never returns normally; started by
// hand rather than by a Credo host, it prints a short explanation and exits.
//
// Since: v0.1.0
func Serve(opts ServeOpts) {
	if os.Getenv(pluginpb.MagicCookieKey) != pluginpb.MagicCookieValue {
		fmt.Fprintf(os.Stderr, "%s %s is a Credo plugin: the Credo host starts it, with its manifest, from CREDO_PLUGIN_DIR.\n",
			opts.Info.Name, opts.Info.Version)
		os.Exit(1)
	}
	goplugin.Serve(ServeConfig(opts))
}

// ServeConfig is the go-plugin configuration Serve uses; exposed for hosts that embed a
// plugin in-process (tests, go-plugin's reattach).
//
// Since: v0.1.0
func ServeConfig(opts ServeOpts) *goplugin.ServeConfig {
	return &goplugin.ServeConfig{
		HandshakeConfig: Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{
			pluginpb.ProtocolVersion: PluginSet(opts),
		},
		GRPCServer: goplugin.DefaultGRPCServer,
		Logger:     hclog.New(&hclog.LoggerOptions{Name: opts.Info.Name, JSONFormat: true, Output: os.Stderr}),
	}
}

// Handshake is the go-plugin handshake for protocol version 1. It never changes.
//
// Since: v0.1.0
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  pluginpb.ProtocolVersion,
	MagicCookieKey:   pluginpb.MagicCookieKey,
	MagicCookieValue: pluginpb.MagicCookieValue,
}

// PluginSet is the go-plugin plugin set serving opts.
//
// Since: v0.1.0
func PluginSet(opts ServeOpts) goplugin.PluginSet {
	return goplugin.PluginSet{pluginpb.PluginName: &grpcPlugin{opts: opts}}
}

// grpcPlugin registers the services the plugin offers; the host's side of the connection
// lives in the host, not here.
type grpcPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	opts ServeOpts
}

func (p *grpcPlugin) GRPCServer(broker *goplugin.GRPCBroker, s *grpc.Server) error {
	hosts := &hostDialer{broker: broker}
	pluginpb.RegisterPluginServer(s, &describeServer{opts: p.opts})
	if p.opts.Scorer != nil {
		pluginpb.RegisterScorerServer(s, &scorerServer{impl: p.opts.Scorer, hosts: hosts})
	}
	if p.opts.FraudDetector != nil {
		pluginpb.RegisterFraudDetectorServer(s, &fraudServer{impl: p.opts.FraudDetector, hosts: hosts})
	}
	return nil
}

func (p *grpcPlugin) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, fmt.Errorf("sdk: the plugin side has no client")
}
