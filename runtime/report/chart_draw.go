package report

import (
	"io"
	"math"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

// go-chart has no KPI, table or funnel chart: these are drawn with its renderer, so
// they come out in both formats with the same font as the others.

var (
	inkColor   = drawing.ColorFromHex("333333")
	mutedColor = drawing.ColorFromHex("888888")
	ruleColor  = drawing.ColorFromHex("dddddd")
)

// sheet is a renderer with the chart font and a white background.
func (c *canvas) sheet(width, height int) (chart.Renderer, error) {
	r, err := c.rp(width, height)
	if err != nil {
		return nil, err
	}
	r.SetDPI(chart.DefaultDPI)
	fillRect(r, 0, 0, width, height, drawing.ColorWhite)
	r.SetFont(c.font)
	return r, nil
}

func fillRect(r chart.Renderer, x0, y0, x1, y1 int, color drawing.Color) {
	r.SetFillColor(color)
	r.SetStrokeColor(color)
	r.SetStrokeWidth(0)
	r.MoveTo(x0, y0)
	r.LineTo(x1, y0)
	r.LineTo(x1, y1)
	r.LineTo(x0, y1)
	r.Close()
	r.Fill()
	r.ResetStyle()
}

func text(r chart.Renderer, s string, x, y int, size float64, color drawing.Color) {
	r.SetFontSize(size)
	r.SetFontColor(color)
	r.Text(s, x, y)
}

func (c *canvas) drawTitle(r chart.Renderer) {
	text(r, c.data.Title, 20, 32, 14, inkColor)
}

// empty draws the title and a note that there is nothing to show.
func (c *canvas) empty(w io.Writer) error {
	r, err := c.sheet(chartWidth, chartHeight)
	if err != nil {
		return err
	}
	c.drawTitle(r)
	text(r, "—", chartWidth/2, chartHeight/2, 24, mutedColor)
	return r.Save(w)
}

// kpi draws each series' single figure large, under its label.
func (c *canvas) kpi(w io.Writer) error {
	n := max(1, len(c.data.Series))
	width := max(chartWidth, 220*n)
	r, err := c.sheet(width, 200)
	if err != nil {
		return err
	}
	c.drawTitle(r)
	cell := (width - 40) / n
	for i, s := range c.data.Series {
		x := 20 + i*cell
		text(r, s.Label, x, 80, 12, mutedColor)
		figure := "—"
		if len(s.Values) > 0 && s.Values[0] != nil {
			figure = formatValue(*s.Values[0], s.Format)
		}
		text(r, figure, x, 140, 32, inkColor)
	}
	return r.Save(w)
}

// table draws a header of the dimensions and series, then one line per category, as
// many as fit.
func (c *canvas) table(w io.Writer) error {
	const rowHeight, top = 26, 60
	rows := min(len(c.data.Categories), 30)
	height := top + rowHeight*(rows+1) + 20
	cols := len(c.data.Dimensions) + len(c.data.Series)
	colWidth := max(110, (chartWidth-40)/max(1, cols))
	width := max(chartWidth, 40+colWidth*cols)
	r, err := c.sheet(width, height)
	if err != nil {
		return err
	}
	c.drawTitle(r)
	header := append(append([]string(nil), c.data.Dimensions...), seriesLabels(c.data.Series)...)
	for i, h := range header {
		text(r, h, 20+i*colWidth, top+18, 11, mutedColor)
	}
	for ri := 0; ri < rows; ri++ {
		y := top + rowHeight*(ri+1)
		fillRect(r, 20, y, width-20, y+1, ruleColor)
		cat := c.data.Categories[ri]
		col := 0
		for _, l := range cat.Labels {
			text(r, l, 20+col*colWidth, y+18, 11, inkColor)
			col++
		}
		for _, s := range c.data.Series {
			v := "—"
			if s.Values[ri] != nil {
				v = formatValue(*s.Values[ri], s.Format)
			}
			text(r, v, 20+col*colWidth, y+18, 11, inkColor)
			col++
		}
	}
	return r.Save(w)
}

func seriesLabels(ss []Series) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Label
	}
	return out
}

// funnel draws one centred bar per stage, its width the stage's share of the first.
func (c *canvas) funnel(w io.Writer) error {
	n := len(c.data.Categories)
	if n == 0 || len(c.data.Series) == 0 {
		return c.empty(w)
	}
	const top, barHeight, gap, labelWidth = 60, 40, 10, 260
	height := top + n*(barHeight+gap) + 20
	r, err := c.sheet(chartWidth, height)
	if err != nil {
		return err
	}
	c.drawTitle(r)
	counts := c.data.Series[0].Values
	first := 0.0
	if counts[0] != nil {
		first = *counts[0]
	}
	area := chartWidth - labelWidth - 40
	mid := 20 + area/2
	for i, cat := range c.data.Categories {
		y := top + i*(barHeight+gap)
		share := 0.0
		if first > 0 && counts[i] != nil {
			share = math.Min(1, *counts[i]/first)
		}
		half := max(1, int(share*float64(area)/2))
		fillRect(r, mid-half, y, mid+half, y+barHeight, chart.GetDefaultColor(i))
		label := cat.Label
		if counts[i] != nil {
			label += "  " + formatNumber(*counts[i])
		}
		if len(c.data.Series) > 1 && c.data.Series[1].Values[i] != nil {
			label += "  (" + formatValue(*c.data.Series[1].Values[i], "percent") + ")"
		}
		text(r, label, 20+area+20, y+barHeight/2+5, 12, inkColor)
	}
	return r.Save(w)
}
