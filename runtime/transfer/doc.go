// Package transfer moves records between forms and spreadsheets: imports of CSV and
// .xlsx files into a form, and the CSV and .xlsx writers of exports.
//
// # Imports
//
// Service.Start saves an upload (at most Options.MaxFileBytes, hashed with SHA-256 on
// the way), tells its format from its first bytes (a zip archive is an .xlsx workbook,
// text is CSV; an .xls, a PDF or an image is refused before it is parsed), reads the
// header row and checks the mapping (Spec) against it and against what the actor may
// write of the form, reporting every problem at once as a *SpecError. The job is then
// stored in the tenant's "import_jobs" collection, audited, and run on a goroutine;
// Options.MaxRunning jobs run at once per node and the others wait queued.
//
// A job reads the file row by row (encoding/csv; excelize's streaming row reader), so
// memory does not grow with the file; empty rows are skipped without allocating. Each
// cell is read by its field's type: numbers as exact decimal text (currency signs and
// thousands separators dropped, a workbook's binary fractions read as the 15 digits a
// spreadsheet shows), whole numbers, yes/no in several languages, dates in the usual
// layouts or as Excel serial days, options by their labels, ID and phone numbers as text
// even when a workbook stored them as numbers (and refused when it lost their digits),
// lists and sub-tables as JSON text. A formula cell is read as the value its workbook
// cached, never evaluated. Rows go in batches through form.Service.CreateMany, which
// validates and computes each exactly as an API create does and writes a batch in one
// transaction; two batches are in flight so validation overlaps the store's writer. The
// job's progress (percentage, rows per second, counts) is written back as it goes, and
// its UpdatedAt is a heartbeat: a job whose node stopped shows as interrupted.
//
// Rows have deterministic record ids, so importing again never writes a row twice: by
// default a hash of the file's content and sheet with the row number (the same file
// again is all duplicates; a file interrupted halfway is finished by importing it again);
// with Spec.Key, a hash of that field's value (a corrected file adds only the rows not
// yet imported). A key that is personal data (an ID number) could be found again from
// the record id by trying every value, so choose a business number (a contract number).
// When no record has an id of the file's rows yet (its first import), the batches skip
// the lookup of their ids before validation (form.BulkOptions.Fresh); a row stored
// meanwhile is still found a duplicate when its batch is written.
//
// # Exports
//
// XLSXWriter and CSVWriter write the records form.Service.Export streams (the actor's
// masks and projection applied, audited there). The workbook is SpreadsheetML written
// directly, its worksheet compressed as the rows come, so the first bytes leave at once
// and memory does not grow with the export; text is always a text cell, never a
// formula, and CSV text a spreadsheet would run gets a leading apostrophe.
//
// The report of rejected rows lives in "import_rejects", one document per problem with
// the row's number, the column's header, the field, a stable code and the reason in
// words (never the cell's value), at most Options.MaxRejects per job.
//
// Hostile files: an upload above the size limit is refused before it is parsed; an
// .xlsx whose parts would expand beyond Options.MaxUnzippedBytes, or whose parts held in
// memory exceed Options.MaxPartBytes, is refused from its zip directory before it is
// inflated (the zip reader refuses parts that inflate beyond their declared size); large
// worksheets are read from a temporary file in Options.Dir; a cell longer than
// Options.MaxCellChars rejects its row.
package transfer
