package transfer

import (
	"archive/zip"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/credolabs/credo/runtime/form"
)

// xlsxLimits bound what a workbook may expand to.
type xlsxLimits struct {
	// unzipped bounds the workbook's parts together, once decompressed.
	unzipped int64
	// part bounds each part other than worksheets and the shared strings, which are
	// streamed from disk; the others are held in memory while the file is open.
	part int64
	// tmpDir receives the large worksheets while they are read.
	tmpDir string
}

// xlsxSource reads one worksheet with excelize's streaming row reader. Cells are read
// raw: a formula cell gives the value its workbook cached when it was last saved (a
// formula is never evaluated here), a date cell its serial day number, a number the
// digits the workbook stored.
type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	row   int
	total int64
	cells []string
	err   error
}

var rawCells = excelize.Options{RawCellValue: true}

// openXLSX opens the worksheet named sheet (the first when empty) and returns it with
// the sheet's name.
func openXLSX(path, sheet string, lim xlsxLimits) (*xlsxSource, string, error) {
	if err := checkParts(path, lim); err != nil {
		return nil, "", err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: lim.unzipped,
		UnzipXMLSizeLimit: min(lim.part, lim.unzipped), TmpDir: lim.tmpDir})
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s", ErrUnreadableFile, err.Error())
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return nil, "", fmt.Errorf("the archive is not an .xlsx workbook: %w", ErrUnsupportedFile)
	}
	if sheet == "" {
		sheet = sheets[0]
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		_ = f.Close()
		return nil, "", &SpecError{Problems: []form.Problem{{Path: "/sheet", Code: "unknown_sheet",
			Message: "the workbook has no sheet of this name", Params: map[string]any{"sheets": sheets}}}}
	}
	total := lastRow(f, sheet)
	rows, err := f.Rows(sheet)
	if err != nil {
		_ = f.Close()
		return nil, "", fmt.Errorf("%w: %s", ErrUnreadableFile, err.Error())
	}
	return &xlsxSource{f: f, rows: rows, total: total}, sheet, nil
}

// checkParts refuses a workbook whose parts would expand beyond the limits, from the
// sizes its zip directory declares (the zip reader refuses a part that then inflates
// beyond its declared size), before excelize reads any of it into memory.
func checkParts(path string, lim xlsxLimits) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrUnreadableFile, err.Error())
	}
	defer func() { _ = zr.Close() }()
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		name := strings.ToLower(f.Name)
		workbook = workbook || strings.HasPrefix(name, "xl/workbook")
		streamed := strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
		if !streamed && f.UncompressedSize64 > uint64(lim.part) || total > uint64(lim.unzipped) {
			return fmt.Errorf("the workbook expands beyond the import limit: %w", ErrUnreadableFile)
		}
	}
	if !workbook {
		return fmt.Errorf("the archive is not an .xlsx workbook: %w", ErrUnsupportedFile)
	}
	return nil
}

// lastRow reads the last row of the sheet's dimension (A1:J5000), which the workbook
// states before its rows: the progress total. Nothing is trusted of it but that; a
// workbook without one shows no percentage until it is done.
func lastRow(f *excelize.File, sheet string) int64 {
	ref, err := f.GetSheetDimension(sheet)
	if err != nil || ref == "" {
		return 0
	}
	_, last, _ := strings.Cut(ref, ":")
	if last == "" {
		last = ref
	}
	_, row, err := excelize.CellNameToCoordinates(last)
	if err != nil {
		return 0
	}
	return int64(row)
}

func (s *xlsxSource) Next() bool {
	if s.err != nil || !s.rows.Next() {
		if s.err == nil {
			s.err = s.rows.Error()
		}
		return false
	}
	// Rows counts every row, the ones the file leaves out too, one per Next.
	s.row++
	cells, err := s.rows.Columns(rawCells)
	if err != nil {
		s.err = fmt.Errorf("%w: row %d: %s", ErrUnreadableFile, s.row, err.Error())
		return false
	}
	s.cells = cells
	return true
}

func (s *xlsxSource) Row() (int, []string) { return s.row, s.cells }

func (s *xlsxSource) Progress() (int64, int64) { return int64(s.row), s.total }

func (s *xlsxSource) Err() error {
	if s.err != nil && !errors.Is(s.err, ErrUnreadableFile) {
		return fmt.Errorf("%w: %s", ErrUnreadableFile, s.err.Error())
	}
	return s.err
}

func (s *xlsxSource) Close() error {
	err := s.rows.Close()
	return errors.Join(err, s.f.Close())
}
