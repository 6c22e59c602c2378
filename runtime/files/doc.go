// Package files keeps the documents staff upload to records — ID card scans, payslips,
// bank statements, signed contracts — and the rules around them.
//
// # Life of a file
//
// A file is uploaded to one attachment field of one form (Service.Upload): the caller
// needs the right to create or change records of the form and to write that field. Its
// size is bounded (Options.MaxSize) and its type is read from its first bytes
// (http.DetectContentType), never from the name or the declared type: images (JPEG,
// PNG, WebP, GIF), PDF and plain text by default (Options.Types). It is stored in the
// tenant's scope as one metadata document in collection "files" (Meta) and its content
// in "file_chunks", ChunkSize bytes per document (base64), so no document nears
// MongoDB's 16 MB limit; both and the upload's audit entry commit together.
//
// The file is then unattached. A record write that puts its id into that field attaches
// it (Attacher, which the record service calls inside the write's transaction): the id
// must name a file of the same tenant, form and field that no other record holds, or the
// write is refused with a problem at the value's JSON pointer. A write that drops the id,
// or deletes the record, releases the file. Files unattached for Options.OrphanAge
// (24 h by default) are deleted by PurgeOrphans, which housekeeping runs.
//
// A file is read through its record (Service.Open): the caller must be able to read the
// record (record right and row scope), the record must hold the file in the field it was
// uploaded to, and the caller must read that field in full — a hidden field's files are
// not found, a masked field's are refused. Every download is audited as a view, naming
// a sensitive field shown in full.
package files
