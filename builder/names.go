package builder

import (
	"encoding/json"

	"github.com/credolabs/credo/runtime/form"
)

// titleMembers names the member that names a definition of each kind; a kind not listed
// (rule sets) has none.
var titleMembers = map[string]string{KindForm: "title", KindFlow: "name", KindDashboard: "name"}

// kindNamesForm reports whether definitions of kind name the form they run on.
func kindNamesForm(kind string) bool { return kind == KindFlow || kind == KindRule }

// namesOf reads a definition body's name per locale and the form it runs on, as far as
// the body says them: a draft may be half done, so anything missing or malformed is
// left out rather than refused.
func namesOf(kind string, body []byte) (form.Localized, string) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return nil, ""
	}
	var title form.Localized
	if member, ok := titleMembers[kind]; ok {
		var texts map[string]any
		if json.Unmarshal(doc[member], &texts) == nil {
			for locale, v := range texts {
				if s, ok := v.(string); ok && s != "" {
					if title == nil {
						title = form.Localized{}
					}
					title[locale] = s
				}
			}
		}
	}
	var formKey string
	if kindNamesForm(kind) {
		_ = json.Unmarshal(doc["form"], &formKey)
	}
	return title, formKey
}
