package report

import (
	"github.com/credolabs/credo/runtime/definition"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// MaxDefinitionSize is the largest dashboard body accepted, in bytes.
const MaxDefinitionSize = form.MaxDefinitionSize

var metaSchema = definition.NewMetaSchema("dashboard", schemas.DashboardSchemaURL, schemas.DashboardMetaSchema)

// checkMeta validates a parsed dashboard against its meta-schema.
func checkMeta(doc any) ([]Problem, error) { return metaSchema.Check(doc) }

// parseJSON decodes a dashboard as strictly as a form definition.
func parseJSON(b []byte) (any, []Problem) { return form.ParseDefinition(b) }
