package host

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	latency  *prometheus.HistogramVec
	errors   *prometheus.CounterVec
	restarts *prometheus.CounterVec
	up       *prometheus.GaugeVec
}

func newMetrics() *metrics {
	return &metrics{
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "credo_plugin_call_duration_seconds",
			Help:    "Plugin call latency, by plugin, version and kind.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}, []string{"plugin", "version", "kind"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "credo_plugin_call_errors_total",
			Help: "Failed plugin calls, by plugin, version, kind and cause.",
		}, []string{"plugin", "version", "kind", "cause"}),
		restarts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "credo_plugin_restarts_total",
			Help: "Plugin processes found dead and replaced.",
		}, []string{"plugin", "version"}),
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "credo_plugin_up",
			Help: "1 while a plugin process is running.",
		}, []string{"plugin", "version"}),
	}
}

// Collectors are the host's Prometheus metrics, for the server's registry.
func (h *Host) Collectors() []prometheus.Collector {
	return []prometheus.Collector{h.metrics.latency, h.metrics.errors, h.metrics.restarts, h.metrics.up}
}

func (m *metrics) observe(p *Manifest, kind string, took time.Duration, err error) {
	m.latency.WithLabelValues(p.Name, p.Version, kind).Observe(took.Seconds())
	if err != nil {
		m.errors.WithLabelValues(p.Name, p.Version, kind, cause(err)).Inc()
	}
}

func cause(err error) string {
	switch {
	case errors.Is(err, ErrPluginTimeout):
		return "timeout"
	case errors.Is(err, ErrPluginUnavailable):
		return "unavailable"
	case errors.Is(err, ErrBadInput):
		return "bad_input"
	}
	return "failed"
}
