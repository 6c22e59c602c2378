package files

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/credolabs/credo/store"
)

// Collections of a tenant's files.
const (
	// Collection holds one metadata document per file (Meta).
	Collection = "files"
	// ChunksCollection holds the content, ChunkSize bytes per document.
	ChunksCollection = "file_chunks"
)

// ChunkSize is how many bytes of a file one chunk document holds: far below MongoDB's
// 16 MB document limit even base64-encoded, and small enough that a download holds
// one chunk in memory at a time.
const ChunkSize = 255 << 10

// Keys of a metadata document's Data.
const (
	keyForm        = "form"
	keyField       = "field"
	keyName        = "name"
	keySize        = "size"
	keyType        = "content_type"
	keySHA256      = "sha256"
	keyUploadedBy  = "uploaded_by"
	keyUploadedAt  = "uploaded_at"
	keyChunks      = "chunks"
	keyRecord      = "record"
	keyAttachedAt  = "attached_at"
	keyUnattached  = "unattached_since" // Unix milliseconds, present while no record holds the file
	keyChunkFile   = "file"
	keyChunkNumber = "n"
	keyChunkData   = "data"
)

// Meta describes one stored file.
type Meta struct {
	ID string `json:"id"`
	// Form and Field are where the file was uploaded to: it can be attached to a record
	// of that form, in that field only ("documents", or "contacts.photo" for a column).
	Form  string `json:"form"`
	Field string `json:"field"`
	// Name is the file's name as uploaded, cleaned of any path, control and format
	// characters; it is never used to find or type the file.
	Name string `json:"name"`
	Size int64  `json:"size"`
	// ContentType is what the content was sniffed to be ("application/pdf").
	ContentType string    `json:"content_type"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
	// Record is the record holding the file; empty while it is unattached.
	Record     string     `json:"record,omitempty"`
	AttachedAt *time.Time `json:"attached_at,omitempty"`

	chunks int
}

// idRe is the shape of the ids Upload gives (store.NewID): anything else names no file
// and is not looked up.
var idRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// ValidID reports whether id has the shape of a file id.
func ValidID(id string) bool { return idRe.MatchString(id) }

// chunkID is the id of chunk n of a file: chunks are read by id, needing no index.
func chunkID(file string, n int) string { return fmt.Sprintf("%s.%05d", file, n) }

func chunkCount(size int64) int { return int((size + ChunkSize - 1) / ChunkSize) }

// data is the stored form of a new file's metadata.
func (m *Meta) data() map[string]any {
	return map[string]any{
		keyForm: m.Form, keyField: m.Field, keyName: m.Name, keySize: m.Size, keyType: m.ContentType,
		keySHA256: m.SHA256, keyUploadedBy: m.UploadedBy, keyUploadedAt: m.UploadedAt.UTC().Format(time.RFC3339Nano),
		keyChunks: m.chunks, keyUnattached: m.UploadedAt.UnixMilli(),
	}
}

// metaOf reads a metadata document.
func metaOf(d *store.Doc) (*Meta, error) {
	str := func(k string) string { s, _ := d.Data[k].(string); return s }
	m := &Meta{ID: d.ID, Form: str(keyForm), Field: str(keyField), Name: str(keyName), ContentType: str(keyType),
		SHA256: str(keySHA256), UploadedBy: str(keyUploadedBy), Record: str(keyRecord)}
	var err error
	if m.Size, err = intOf(d.Data[keySize]); err != nil {
		return nil, fmt.Errorf("file %s: size: %w", d.ID, err)
	}
	n, err := intOf(d.Data[keyChunks])
	if err != nil {
		return nil, fmt.Errorf("file %s: chunks: %w", d.ID, err)
	}
	m.chunks = int(n)
	if m.UploadedAt, err = time.Parse(time.RFC3339Nano, str(keyUploadedAt)); err != nil {
		return nil, fmt.Errorf("file %s: uploaded_at: %w", d.ID, err)
	}
	if at := str(keyAttachedAt); at != "" {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return nil, fmt.Errorf("file %s: attached_at: %w", d.ID, err)
		}
		m.AttachedAt = &t
	}
	return m, nil
}

// intOf reads a stored integer (json.Number from the engines, or a Go integer).
func intOf(v any) (int64, error) {
	switch x := v.(type) {
	case json.Number:
		return x.Int64()
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case float64:
		return int64(x), nil
	case string:
		return strconv.ParseInt(x, 10, 64)
	}
	return 0, fmt.Errorf("not a number: %T", v)
}
