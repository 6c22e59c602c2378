package transfer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/transfer"
)

// benchRows is the size of one imported file.
const benchRows = 20000

// BenchmarkImport imports CSV files of benchRows borrowers into SQLite on disk, every row
// validated, computed, written with its record.created event and audited per batch, and
// reports rows per second from upload to the job's end.
func BenchmarkImport(b *testing.B) {
	fx := newFixture(b, transfer.Options{})
	var rows int64
	var spent time.Duration
	cpu := cpuTime(b)
	peak := heapPeak()
	for i := 0; b.Loop(); i++ {
		file := benchCSV(b, i*benchRows, benchRows)
		start := time.Now()
		job := fx.importFile(b, fx.admin, "bench.csv", file, transfer.Spec{})
		spent += time.Since(start)
		require.Equal(b, transfer.Counts{Accepted: benchRows}, job.Counts, "%+v", job.Error)
		rows += job.Counts.Accepted
	}
	b.ReportMetric(float64(rows)/spent.Seconds(), "rows/s")
	b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/float64(rows), "cpu-µs/row")
	b.ReportMetric(peak(), "peak-heap-MiB")
}

// heapPeak samples the heap until the returned function is called, which answers the
// largest heap seen, in MiB: memory must not grow with the rows.
func heapPeak() func() float64 {
	var m runtime.MemStats
	var top uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		<-stopped
		return float64(top) / (1 << 20)
	}
}

// cpuTime is the CPU time the process has used: a figure per row that does not depend
// on what else the machine runs.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchCSV(b *testing.B, from, n int) []byte {
	b.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(b, w.Write(borrowerHeader))
	for i := from; i < from+n; i++ {
		require.NoError(b, w.Write(borrowerRow(i)))
	}
	w.Flush()
	return buf.Bytes()
}

// exportRows is the size of the exported form: large enough that the stream writer's
// fixed costs (its 16 MiB buffer, the zip) do not hide the cost per row.
const exportRows = 50000

// BenchmarkExportXLSX streams exportRows borrowers through form.Service.Export (masks
// applied, audited) into an .xlsx workbook, and reports rows per second.
func BenchmarkExportXLSX(b *testing.B) {
	benchExport(b, func(w io.Writer, columns []string) (recordWriter, error) { return transfer.NewXLSXWriter(w, columns) })
}

// BenchmarkExportCSV is BenchmarkExportXLSX writing CSV.
func BenchmarkExportCSV(b *testing.B) {
	benchExport(b, func(w io.Writer, columns []string) (recordWriter, error) { return transfer.NewCSVWriter(w, columns) })
}

// recordWriter is an export's file writer.
type recordWriter interface {
	Write(*form.Record) error
	Close() error
}

func benchExport(b *testing.B, newWriter func(io.Writer, []string) (recordWriter, error)) {
	fx := newFixture(b, transfer.Options{})
	ctx := context.Background()
	for start := 0; start < exportRows; start += form.MaxBulkRows {
		batch := make([]form.BulkRow, 0, form.MaxBulkRows)
		for i := start; i < min(start+form.MaxBulkRows, exportRows); i++ {
			batch = append(batch, form.BulkRow{ID: fmt.Sprintf("b-%06d", i), Data: borrowerData(i)})
		}
		_, err := fx.forms.CreateMany(ctx, fx.admin, borrowerForm, batch, form.BulkOptions{})
		require.NoError(b, err)
	}
	m, err := fx.forms.Mask(ctx, fx.clerk, borrowerForm)
	require.NoError(b, err)
	var rows, size int64
	b.ReportAllocs()
	cpu := cpuTime(b)
	peak := heapPeak()
	for b.Loop() {
		out := &countingWriter{}
		w, err := newWriter(out, m.Columns())
		require.NoError(b, err)
		n, err := fx.forms.Export(ctx, fx.clerk, borrowerForm, form.ListQuery{}, w.Write)
		require.NoError(b, err)
		require.NoError(b, w.Close())
		require.Equal(b, exportRows, n)
		rows += int64(n)
		size = out.n
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/float64(rows), "cpu-µs/row")
	b.ReportMetric(peak(), "peak-heap-MiB")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
}

// countingWriter discards what it is given and counts it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
