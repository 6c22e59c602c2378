package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/credolabs/credo/runtime/report"
	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/store"
)

// BenchmarkImportLoanApplications measures an import as a running node makes it: a CSV
// file of b.N starter-app loan applications through the import service into the demo
// tenant on SQLite on disk, whose cockpit's 13 rollups are built and kept in each batch's
// transaction and whose rules judge every row (without plugins none matches a new
// application, so no row writes an event). Reports rows/s from the upload to the job's
// end and cpu-µs/row, this process's CPU time a row. The garbage collector is tuned as
// `credo serve` tunes it.
func BenchmarkImportLoanApplications(b *testing.B) {
	ctx := context.Background()
	a, actor, sc := benchNode(b, nil, "admin@demo.credo")
	waitRollups(b, sc)
	file := applicationsCSV(b, b.N)
	cpuBefore := processCPU(b)
	b.ResetTimer()
	job, err := a.imports.Start(ctx, actor, "loan_application", transfer.Upload{Name: "applications.csv", Body: bytes.NewReader(file)})
	if err != nil {
		b.Fatal(err)
	}
	for job.Status == transfer.StatusQueued || job.Status == transfer.StatusRunning {
		time.Sleep(10 * time.Millisecond)
		if job, err = a.imports.Job(ctx, actor, "loan_application", job.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if job.Counts.Accepted != int64(b.N) {
		b.Fatalf("imported %+v of %d rows: %v", job.Counts, b.N, job.Error)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64((processCPU(b)-cpuBefore).Microseconds())/float64(b.N), "cpu-µs/row")
}

// applicationsCSV is a CSV file of n sample applications, a column per field (sub-tables
// as JSON text, as the import reads them).
func applicationsCSV(tb testing.TB, n int) []byte {
	tb.Helper()
	r := rand.New(rand.NewPCG(9, 4))
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	var header []string
	for i := range n {
		app := sampleApplication(r, 100_000+i)
		if header == nil {
			for k := range app {
				header = append(header, k)
			}
			slices.Sort(header)
			if err := w.Write(header); err != nil {
				tb.Fatal(err)
			}
		}
		row := make([]string, len(header))
		for j, k := range header {
			row[j] = cellOf(tb, app[k])
		}
		if err := w.Write(row); err != nil {
			tb.Fatal(err)
		}
	}
	w.Flush()
	return buf.Bytes()
}

// cellOf writes a value as a spreadsheet user would type it.
func cellOf(tb testing.TB, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, err := json.Marshal(x)
		if err != nil {
			tb.Fatal(err)
		}
		return string(b)
	}
}

// waitRollups waits until the cockpit's rollups are built, as a running server has long
// built them (registered a moment after the dashboard is installed, then built), and a
// second more for every cache to see it.
func waitRollups(b *testing.B, sc store.Scope) {
	b.Helper()
	ctx := context.Background()
	for {
		building, err := report.Building(ctx, sc)
		if err != nil {
			b.Fatal(err)
		}
		ready, err := report.Ready(ctx, sc)
		if err != nil {
			b.Fatal(err)
		}
		if building == 0 && ready > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
}
