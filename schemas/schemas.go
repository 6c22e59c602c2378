package schemas

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
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
func Kinds() []string { return []string{KindForm, KindRule, KindFlow} }

// MetaSchema returns a copy of the meta-schema of kind and its $id, or ErrUnknownKind.
func MetaSchema(kind string) (url string, body []byte, err error) {
	switch kind {
	case KindForm:
		return FormSchemaURL, FormMetaSchema(), nil
	case KindRule:
		return RuleSchemaURL, RuleMetaSchema(), nil
	case KindFlow:
		return FlowSchemaURL, FlowMetaSchema(), nil
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

// templateDirs are where a pack keeps each kind, in install order: a form before the
// flows and rules that read it, dashboards last. Forms sit at the pack's top level.
var templateDirs = []struct{ kind, dir string }{
	{KindForm, ""}, {KindFlow, "flows"}, {KindRule, "rules"}, {KindDashboard, "dashboards"},
}

// Templates returns every template of pack in install order (forms, flows, rules,
// dashboards; by key within a kind), or ErrTemplateNotFound.
func Templates(pack string) ([]Template, error) {
	if _, err := fs.ReadDir(templates, path.Join("templates", pack)); err != nil || !validName(pack) {
		return nil, fmt.Errorf("template pack %q: %w", pack, ErrTemplateNotFound)
	}
	var out []Template
	for _, d := range templateDirs {
		entries, _ := fs.ReadDir(templates, path.Join("templates", pack, d.dir)) // a pack may lack a kind
		var kind []Template
		for _, e := range entries {
			key, ok := strings.CutSuffix(e.Name(), ".json")
			if e.IsDir() || !ok {
				continue
			}
			t, err := TemplateOfKind(pack, d.kind, key)
			if err != nil {
				return nil, err
			}
			kind = append(kind, *t)
		}
		sort.Slice(kind, func(i, j int) bool { return kind[i].Key < kind[j].Key })
		out = append(out, kind...)
	}
	return out, nil
}

// TemplateOf returns one form template of pack, or ErrTemplateNotFound.
func TemplateOf(pack, key string) (*Template, error) { return TemplateOfKind(pack, KindForm, key) }

// TemplateOfKind returns one template of pack of the given kind, or ErrTemplateNotFound.
func TemplateOfKind(pack, kind, key string) (*Template, error) {
	i := slices.IndexFunc(templateDirs, func(d struct{ kind, dir string }) bool { return d.kind == kind })
	if !validName(pack) || !validName(key) || i < 0 {
		return nil, fmt.Errorf("template %s/%s/%s: %w", pack, kind, key, ErrTemplateNotFound)
	}
	b, err := templates.ReadFile(path.Join("templates", pack, templateDirs[i].dir, key+".json"))
	if err != nil {
		return nil, fmt.Errorf("template %s/%s/%s: %w", pack, kind, key, ErrTemplateNotFound)
	}
	return &Template{Pack: pack, Kind: kind, Key: key, Body: b}, nil
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
