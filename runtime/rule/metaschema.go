package rule

import (
	"github.com/credolabs/credo/runtime/definition"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// MaxDefinitionSize is the largest rule set body accepted, in bytes.
const MaxDefinitionSize = form.MaxDefinitionSize

var metaSchema = definition.NewMetaSchema("rule set", schemas.RuleSchemaURL, schemas.RuleMetaSchema)

// checkMeta validates a parsed rule set against its meta-schema.
func checkMeta(doc any) ([]Problem, error) { return metaSchema.Check(doc) }

// parseJSON decodes a rule set as strictly as a form definition.
func parseJSON(b []byte) (any, []Problem) { return form.ParseDefinition(b) }
