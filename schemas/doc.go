// Package schemas holds the meta-schemas of Credo's definition kinds and the starter
// templates tenants begin from. It imports the standard library only, so every layer
// (builder, runtime, server, the frontend build) can read the same bytes.
//
// # Form definitions
//
// A form definition is one JSON object, validated by form.schema.json (JSON Schema
// draft 2020-12, see FormMetaSchema):
//
//	{
//	  "key": "loan_application",
//	  "title": {"zh-CN": "贷款申请", "en": "Loan application"},
//	  "description": {"zh-CN": "…", "en": "…"},
//	  "schema": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
//	             "required": ["amount"], "additionalProperties": false,
//	             "properties": {"amount": {"type": "number", "minimum": 1000}, …}},
//	  "fields": {"amount": {"label": {"zh-CN": "申请金额", "en": "Amount"}, "widget": "money", "indexed": true}, …},
//	  "layout": {"sections": [{"key": "loan", "title": {…}, "columns": 2, "fields": ["amount", …]}]},
//	  "computed": {"annual_income": {"expr": "(record.monthly_income + record.other_income) * 12.0"}}
//	}
//
// key names the form (^[a-z][a-z0-9_]{0,62}$); its records live in the store collection
// "records:<key>". title and description are text per locale ("zh-CN", "en", …).
//
// schema is the JSON Schema of one record. It must be an object schema whose properties
// are the form's fields; field names match ^[a-z][a-z0-9_]{0,63}$. A sub-table (emergency
// contacts, a repayment schedule) is a property of type array whose items are an object
// schema with its own properties. Remote $ref is refused: a definition is self-contained.
//
// fields holds the metadata of every property, and nothing else: each property has an
// entry and each entry names a property. An entry has:
//
//   - label (required) and optional help and placeholder, per locale;
//   - widget (required): text, textarea, number, money, date, select, radio, checkbox,
//     id_number, phone, bank_card, email, region, attachment or subtable. The widget must
//     suit the property's type: number and money need number or integer; checkbox needs
//     boolean or an array of strings; attachment a string or an array of strings;
//     subtable an array of objects; select and radio a string, integer or boolean; the
//     others a string;
//   - sensitive: the value is personal data. Readers with only the read_masked right see
//     it through its mask, and reading it in full is recorded in the audit log;
//   - mask: how a masked reader sees the value: "id_number" (first 3 and last 4 kept:
//     110***********1234), "phone" (138****5678), "bank_card" (**** **** **** 1234),
//     "name" (first character kept: 张*, J*** Smith), "email" (z***@example.com), "full"
//     (***), or {"keep_start": n, "keep_end": m} to keep n leading and m trailing
//     characters. A sensitive field without a mask is masked "full";
//   - indexed: the store indexes the field when the form is published (scalar, top-level
//     fields only);
//   - options: labels of the allowed values of a select, radio or checkbox field; when the
//     property has an enum, the option values must be exactly that enum;
//   - fields: for a subtable, the metadata of the item object's properties, by the same
//     rules.
//
// layout lists sections (key, title, columns 1–4, fields) in display order; each field
// appears in at most one section and must exist.
//
// computed maps a field of the schema to a CEL expression over record, whose type is
// built from the schema (record.amount is a double, record.term_months an int, a typo is
// a compile error). The value is written into the record on every create and update;
// clients may not write it, and a computed expression may not read another computed
// field. An absent optional field reads as its zero value (0.0, 0, "", false, []), and
// has(record.x) tells whether it was given.
//
// # Templates
//
// templates/<pack>/<key>.json are form definitions a tenant can start from; the "lending"
// pack holds customer and loan_application. Templates returns them.
package schemas
