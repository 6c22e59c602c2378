package flow

import (
	"github.com/credolabs/credo/runtime/definition"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// MaxDefinitionSize is the largest flow body accepted, in bytes.
const MaxDefinitionSize = form.MaxDefinitionSize

var metaSchema = definition.NewMetaSchema("flow", schemas.FlowSchemaURL, schemas.FlowMetaSchema)

// checkMeta validates a parsed flow against its meta-schema.
func checkMeta(doc any) ([]Problem, error) { return metaSchema.Check(doc) }

// parseJSON decodes a flow as strictly as a form definition.
func parseJSON(b []byte) (any, []Problem) { return form.ParseDefinition(b) }
