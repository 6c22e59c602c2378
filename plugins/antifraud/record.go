package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/credolabs/credo/plugins/sdk"
)

// application is what the rules read of one record, decoded once per call.
type application struct {
	applicantName string
	// idNumber is trimmed and upper-cased; id and idProblem are its parse when present.
	// idRaw is the ID exactly as stored, for velocity counts.
	idNumber  string
	idRaw     string
	id        residentID
	idProblem idProblem
	// phone is mobile_phone exactly as stored (velocity counts match stored values);
	// phoneNorm is its canonical 11 digits for lists and comparisons.
	phone     string
	phoneNorm string
	birthDate string
	gender    string
	card      string
	deviceID  string
	clientIP  string
	contacts  []contact
}

type contact struct {
	name      string
	relation  string
	phoneNorm string
}

// readApplication decodes the fields the plugin reads. Absent fields stay empty and the
// rules that need them do not run; a field of the wrong type is the record's fault.
func readApplication(rec map[string]any, today time.Time) (*application, error) {
	a := &application{}
	var err error
	str := func(field string) string {
		if err != nil {
			return ""
		}
		var s string
		s, err = stringField(rec, field)
		return s
	}
	a.applicantName = str("applicant_name")
	a.idRaw = str("id_number")
	a.idNumber = strings.ToUpper(strings.TrimSpace(a.idRaw))
	a.phone = str("mobile_phone")
	a.birthDate = str("birth_date")
	a.gender = strings.TrimSpace(str("gender"))
	a.card = normCard(str("disbursement_card"))
	a.deviceID = str("device_id")
	a.clientIP = str("client_ip")
	if err != nil {
		return nil, err
	}
	a.phoneNorm = normPhone(a.phone)
	if a.idNumber != "" {
		a.id, a.idProblem = parseResidentID(a.idNumber, today)
	}
	if a.contacts, err = readContacts(rec["emergency_contacts"]); err != nil {
		return nil, err
	}
	return a, nil
}

func stringField(rec map[string]any, field string) (string, error) {
	switch v := rec[field].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", sdk.BadInput("record field %s is a %T, not a string", field, v)
	}
}

func readContacts(v any) ([]contact, error) {
	if v == nil {
		return nil, nil
	}
	rows, ok := v.([]any)
	if !ok {
		return nil, sdk.BadInput("record field emergency_contacts is a %T, not a list", v)
	}
	out := make([]contact, 0, len(rows))
	for i, r := range rows {
		row, ok := r.(map[string]any)
		if !ok {
			return nil, sdk.BadInput("record field emergency_contacts/%d is a %T, not an object", i, r)
		}
		var c contact
		for _, f := range []struct {
			name string
			dst  *string
		}{{"name", &c.name}, {"relation", &c.relation}, {"phone", &c.phoneNorm}} {
			s, err := stringField(row, f.name)
			if err != nil {
				return nil, fmt.Errorf("emergency_contacts/%d: %w", i, err)
			}
			*f.dst = s
		}
		c.phoneNorm = normPhone(c.phoneNorm)
		out = append(out, c)
	}
	return out, nil
}
