package automation

import "github.com/credolabs/credo/runtime/events"

// RecordRules is the engine's handler of record events, for the tests.
func RecordRules(e *Engine) events.Sifter { return recordRules{e} }
