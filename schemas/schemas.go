package schemas

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// KindForm is the definition kind of forms.
const KindForm = "form"

// FormSchemaURL is the $id of the form meta-schema.
const FormSchemaURL = "https://credo.dev/schemas/form.schema.json"

var (
	// ErrUnknownKind means no meta-schema exists for the requested definition kind.
	ErrUnknownKind = errors.New("schemas: unknown definition kind")
	// ErrTemplateNotFound means the requested template pack or template does not exist.
	ErrTemplateNotFound = errors.New("schemas: template not found")
)

//go:embed form.schema.json
var formSchema []byte

//go:embed templates
var templates embed.FS

// FormMetaSchema returns a copy of the form meta-schema (JSON Schema 2020-12).
func FormMetaSchema() []byte { return clone(formSchema) }

// Kinds lists the definition kinds that have a meta-schema.
func Kinds() []string { return []string{KindForm, KindRule} }

// MetaSchema returns a copy of the meta-schema of kind and its $id, or ErrUnknownKind.
func MetaSchema(kind string) (url string, body []byte, err error) {
	switch kind {
	case KindForm:
		return FormSchemaURL, FormMetaSchema(), nil
	case KindRule:
		return RuleSchemaURL, RuleMetaSchema(), nil
	}
	return "", nil, fmt.Errorf("meta-schema of %q: %w", kind, ErrUnknownKind)
}

// Template is one starter definition.
type Template struct {
	// Pack is the template pack ("lending").
	Pack string
	// Kind is the definition kind ("form").
	Kind string
	// Key is the definition key, equal to the file name without ".json".
	Key string
	// Body is the definition JSON.
	Body []byte
}

// TemplatePacks lists the template packs, sorted.
func TemplatePacks() []string {
	entries, _ := fs.ReadDir(templates, "templates") // the directory is embedded, so it exists
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// Templates returns every template of pack, sorted by key, or ErrTemplateNotFound.
func Templates(pack string) ([]Template, error) {
	entries, err := fs.ReadDir(templates, path.Join("templates", pack))
	if err != nil || !validName(pack) {
		return nil, fmt.Errorf("template pack %q: %w", pack, ErrTemplateNotFound)
	}
	var out []Template
	for _, e := range entries {
		key, ok := strings.CutSuffix(e.Name(), ".json")
		if e.IsDir() || !ok {
			continue
		}
		t, err := TemplateOf(pack, key)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// TemplateOf returns one template of pack, or ErrTemplateNotFound.
func TemplateOf(pack, key string) (*Template, error) {
	if !validName(pack) || !validName(key) {
		return nil, fmt.Errorf("template %s/%s: %w", pack, key, ErrTemplateNotFound)
	}
	b, err := templates.ReadFile(path.Join("templates", pack, key+".json"))
	if err != nil {
		return nil, fmt.Errorf("template %s/%s: %w", pack, key, ErrTemplateNotFound)
	}
	return &Template{Pack: pack, Kind: KindForm, Key: key, Body: b}, nil
}

// validName keeps callers' names from walking the embedded tree ("../x", "a/b").
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
