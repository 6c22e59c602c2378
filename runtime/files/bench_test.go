package files_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/files"
)

// BenchmarkUpload10MiB stores a file of the default size limit: sniffing, hashing, 41
// chunk documents and the audit entry in one transaction.
func BenchmarkUpload10MiB(b *testing.B) {
	fx := newFixture(b, files.Options{})
	content := pdf(files.DefaultMaxSize)
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		fx.upload(b, fx.clerk, "documents", "big.pdf", content)
	}
}

// BenchmarkDownload10MiB reads such a file back through its record: rights, the audited
// view and the chunks.
func BenchmarkDownload10MiB(b *testing.B) {
	fx := newFixture(b, files.Options{})
	ctx := context.Background()
	content := pdf(files.DefaultMaxSize)
	m := fx.upload(b, fx.clerk, "documents", "big.pdf", content)
	rec, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "王芳", "documents": []any{m.ID}})
	require.NoError(b, err)
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		_, body, err := fx.svc.Open(ctx, fx.clerk, kycForm, rec.ID, m.ID)
		require.NoError(b, err)
		n, err := io.Copy(io.Discard, body)
		require.NoError(b, err)
		require.NoError(b, body.Close())
		require.EqualValues(b, len(content), n)
	}
	_, body, err := fx.svc.Open(ctx, fx.clerk, kycForm, rec.ID, m.ID)
	require.NoError(b, err)
	got, err := io.ReadAll(body)
	require.NoError(b, err)
	require.True(b, bytes.Equal(content, got))
}
