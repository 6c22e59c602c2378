package schemas_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/schemas"
)

func TestRuleMetaSchema(t *testing.T) {
	body := schemas.RuleMetaSchema()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	assert.Equal(t, schemas.RuleSchemaURL, doc["$id"])
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"])

	body[0] = 'X'
	assert.Equal(t, byte('{'), schemas.RuleMetaSchema()[0], "callers get a copy")
}
