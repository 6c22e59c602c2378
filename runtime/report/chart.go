package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
)

// Chart formats.
const (
	FormatSVG = "svg"
	FormatPNG = "png"
)

// Chart sizes in pixels.
const (
	chartWidth  = 800
	chartHeight = 450
)

// RenderChart draws a rendered widget as an SVG or PNG image (FormatSVG, FormatPNG):
// kpi as figures, bar and distribution as bars from zero, stacked_bar as 100% stacked
// bars (each series' share), line as lines, pie as a pie, funnel as centred bars
// narrowing by stage, table as a grid. Bar, line and pie charts draw the first series.
func RenderChart(data *WidgetData, format string, w io.Writer) error {
	rp, err := provider(format)
	if err != nil {
		return err
	}
	font, err := chartFont()
	if err != nil {
		return err
	}
	c := &canvas{data: data, font: font, rp: rp}
	switch data.Type {
	case TypeBar, TypeDistribution:
		err = c.bar(w)
	case TypeStackedBar:
		err = c.stacked(w)
	case TypeLine:
		err = c.line(w)
	case TypePie:
		err = c.pie(w)
	case TypeFunnel:
		err = c.funnel(w)
	case TypeTable:
		err = c.table(w)
	default:
		err = c.kpi(w)
	}
	if err != nil {
		return fmt.Errorf("chart %s (%s): %w", data.ID, data.Type, err)
	}
	return nil
}

func provider(format string) (chart.RendererProvider, error) {
	switch format {
	case FormatSVG:
		return escapedSVG, nil
	case FormatPNG:
		return chart.PNG, nil
	}
	return nil, fmt.Errorf("format %q: %w", format, ErrFormat)
}

// escapedSVG is go-chart's SVG renderer with text escaped for XML: go-chart writes
// labels into <text> verbatim, so a bucket named "< 1,000" would break the document.
func escapedSVG(width, height int) (chart.Renderer, error) {
	r, err := chart.SVG(width, height)
	if err != nil {
		return nil, err
	}
	return xmlText{r}, nil
}

type xmlText struct{ chart.Renderer }

func (r xmlText) Text(body string, x, y int) {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(body)) // a strings.Builder does not fail
	r.Renderer.Text(b.String(), x, y)
}

// canvas carries what every chart kind needs.
type canvas struct {
	data *WidgetData
	font *truetype.Font
	rp   chart.RendererProvider
}

func (c *canvas) titleStyle() chart.Style {
	return chart.Style{FontSize: 14, Padding: chart.Box{Top: 10, Bottom: 10}}
}

func (c *canvas) background() chart.Style {
	return chart.Style{Padding: chart.Box{Top: 50, Left: 20, Right: 20, Bottom: 20}}
}

// values is the first series as numbers (undefined figures as 0) and their maximum.
func (c *canvas) values() ([]float64, float64) {
	out := make([]float64, len(c.data.Categories))
	top := 0.0
	if len(c.data.Series) == 0 {
		return out, top
	}
	for i, v := range c.data.Series[0].Values {
		if v != nil && !math.IsNaN(*v) {
			out[i] = *v
			top = math.Max(top, *v)
		}
	}
	return out, top
}

// zeroRange starts the value axis at 0: go-chart would start it at the smallest value,
// drawing the smallest bar with no height.
func zeroRange(top float64) *chart.ContinuousRange {
	if top <= 0 {
		top = 1
	}
	return &chart.ContinuousRange{Min: 0, Max: top * 1.1}
}

func (c *canvas) bar(w io.Writer) error {
	vals, top := c.values()
	if len(vals) == 0 {
		return c.empty(w)
	}
	bc := chart.BarChart{
		Title: c.data.Title, TitleStyle: c.titleStyle(), Font: c.font,
		Width: chartWidth, Height: chartHeight, Background: c.background(),
		BarWidth: 60,
		YAxis:    chart.YAxis{Range: zeroRange(top), ValueFormatter: c.formatter(0)},
	}
	for i, cat := range c.data.Categories {
		bc.Bars = append(bc.Bars, chart.Value{Label: cat.Label, Value: vals[i]})
	}
	return bc.Render(c.rp, w)
}

func (c *canvas) stacked(w io.Writer) error {
	sbc := chart.StackedBarChart{
		Title: c.data.Title, TitleStyle: c.titleStyle(), Font: c.font,
		Width: chartWidth, Height: chartHeight, Background: c.background(),
	}
	for ci, cat := range c.data.Categories {
		bar := chart.StackedBar{Name: cat.Label}
		total := 0.0
		for si, s := range c.data.Series {
			v := 0.0
			if s.Values[ci] != nil {
				v = math.Max(*s.Values[ci], 0)
			}
			total += v
			bar.Values = append(bar.Values, chart.Value{Label: s.Label, Value: v,
				Style: chart.Style{FillColor: chart.GetDefaultColor(si), StrokeColor: chart.GetDefaultColor(si)}})
		}
		if total > 0 { // a 100% bar of nothing has no shares to draw
			sbc.Bars = append(sbc.Bars, bar)
		}
	}
	if len(sbc.Bars) == 0 {
		return c.empty(w)
	}
	return sbc.Render(c.rp, w)
}

func (c *canvas) line(w io.Writer) error {
	n := len(c.data.Categories)
	if n == 0 || len(c.data.Series) == 0 {
		return c.empty(w)
	}
	if n == 1 { // one day, week or month: no line to draw, each series' figure as a bar
		return c.seriesBars(w)
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	step := max(1, n/10) // at most about ten tick labels
	var ticks []chart.Tick
	for i := 0; i < n; i += step {
		ticks = append(ticks, chart.Tick{Value: float64(i), Label: c.data.Categories[i].Label})
	}
	top := 0.0
	graph := chart.Chart{
		Title: c.data.Title, TitleStyle: c.titleStyle(), Font: c.font,
		Width: chartWidth, Height: chartHeight, Background: c.background(),
		XAxis: chart.XAxis{Ticks: ticks, Range: &chart.ContinuousRange{Min: 0, Max: math.Max(1, float64(n-1))}},
	}
	for si, s := range c.data.Series {
		ys := make([]float64, n)
		for i, v := range s.Values {
			if v != nil {
				ys[i] = *v
				top = math.Max(top, *v)
			}
		}
		graph.Series = append(graph.Series, chart.ContinuousSeries{Name: s.Label, XValues: xs, YValues: ys,
			Style: chart.Style{StrokeColor: chart.GetDefaultColor(si), StrokeWidth: 2}})
	}
	graph.YAxis = chart.YAxis{Range: zeroRange(top), ValueFormatter: c.formatter(0)}
	if len(graph.Series) > 1 {
		graph.Elements = []chart.Renderable{chart.Legend(&graph)}
	}
	return graph.Render(c.rp, w)
}

// seriesBars draws the first category's figure of every series as a bar, labelled by the
// series (or by the category when there is one series).
func (c *canvas) seriesBars(w io.Writer) error {
	bc := chart.BarChart{
		Title: c.data.Title, TitleStyle: c.titleStyle(), Font: c.font,
		Width: chartWidth, Height: chartHeight, Background: c.background(),
		BarWidth: 60,
	}
	top := 0.0
	for _, s := range c.data.Series {
		v := 0.0
		if len(s.Values) > 0 && s.Values[0] != nil && !math.IsNaN(*s.Values[0]) {
			v = *s.Values[0]
		}
		top = math.Max(top, v)
		label := s.Label
		if len(c.data.Series) == 1 {
			label = c.data.Categories[0].Label
		}
		bc.Bars = append(bc.Bars, chart.Value{Label: label, Value: v})
	}
	bc.YAxis = chart.YAxis{Range: zeroRange(top), ValueFormatter: c.formatter(0)}
	return bc.Render(c.rp, w)
}

func (c *canvas) pie(w io.Writer) error {
	vals, _ := c.values()
	pc := chart.PieChart{Title: c.data.Title, TitleStyle: c.titleStyle(), Font: c.font,
		Width: chartWidth, Height: chartHeight, Background: c.background()}
	for i, cat := range c.data.Categories {
		if vals[i] > 0 {
			pc.Values = append(pc.Values, chart.Value{Label: cat.Label, Value: vals[i]})
		}
	}
	if len(pc.Values) == 0 {
		return c.empty(w)
	}
	return pc.Render(c.rp, w)
}

// formatter formats axis values in series si's format.
func (c *canvas) formatter(si int) chart.ValueFormatter {
	format := ""
	if si < len(c.data.Series) {
		format = c.data.Series[si].Format
	}
	return func(v any) string {
		f, _ := v.(float64)
		return formatValue(f, format)
	}
}

// formatValue writes a figure as the UI shows it.
func formatValue(v float64, format string) string {
	if format == "percent" {
		return formatNumber(math.Round(v*1000)/10) + "%"
	}
	return formatNumber(v)
}
