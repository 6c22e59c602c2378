package form

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAttachmentRefs(t *testing.T) {
	f := mustCompile(t, templateBody(t, "customer"))
	assert.True(t, f.AttachmentField("attachments"))
	assert.False(t, f.AttachmentField("name"), "a text field")
	assert.False(t, f.AttachmentField("nope"))
	assert.False(t, f.AttachmentField("attachments.x"), "an attachment field has no columns")

	refs := f.AttachmentRefs(map[string]any{"name": "王芳", "attachments": []any{"a", "", 7, "b"}})
	assert.Equal(t, []AttachmentRef{{Path: "/attachments/0", Field: "attachments", FileID: "a"},
		{Path: "/attachments/3", Field: "attachments", FileID: "b"}}, refs, "empty and non-text values are the schema's to refuse")

	added, dropped := f.attachmentChanges(map[string]any{"attachments": []any{"a", "b"}}, map[string]any{"attachments": []any{"b", "c"}})
	assert.Equal(t, []AttachmentRef{{Path: "/attachments/1", Field: "attachments", FileID: "c"}}, added)
	assert.Equal(t, []string{"a"}, dropped)
	added, dropped = f.attachmentChanges(map[string]any{"attachments": []any{"a"}}, nil)
	assert.Empty(t, added)
	assert.Equal(t, []string{"a"}, dropped, "a deleted record lets go of every file")
}
