package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	chart "github.com/wcharczuk/go-chart/v2"
)

func TestEveryWidgetRendersToSVGAndPNG(t *testing.T) {
	fx := newSeededFixture(t, 500)
	types := map[string]bool{}
	for _, locale := range []string{"zh-CN", "en"} {
		for _, id := range fx.cockpit.Widgets() {
			d, err := fx.engine.Render(context.Background(), actor("manager", nil), fx.cockpit, id, Params{Locale: locale})
			require.NoError(t, err)
			types[d.Type] = true
			var svg, raster bytes.Buffer
			require.NoError(t, RenderChart(d, FormatSVG, &svg), id)
			assert.True(t, strings.HasPrefix(svg.String(), "<svg"), id)
			assert.Contains(t, svg.String(), d.Title, id)
			require.NoError(t, RenderChart(d, FormatPNG, &raster), id)
			img, err := png.Decode(&raster)
			require.NoError(t, err, id)
			assert.Greater(t, img.Bounds().Dx(), 100, id)
		}
	}
	assert.Len(t, types, 8, "the cockpit uses every widget type")
	t.Run("empty data", func(t *testing.T) {
		for _, typ := range []string{TypeBar, TypeStackedBar, TypeLine, TypePie, TypeFunnel, TypeTable, TypeDistribution, TypeKPI} {
			var b bytes.Buffer
			require.NoError(t, RenderChart(&WidgetData{ID: "x", Type: typ, Title: "空"}, FormatPNG, &b), typ)
		}
	})
	var b bytes.Buffer
	assert.ErrorIs(t, RenderChart(&WidgetData{Type: TypeKPI}, "gif", &b), ErrFormat)
}

// TestChineseLabelsDrawGlyphs renders a Chinese title with the embedded font and with
// go-chart's default font (which has no Chinese glyphs): ours must have a glyph for each
// character and draw them, and the two images must differ in the title area.
func TestChineseLabelsDrawGlyphs(t *testing.T) {
	const title = "审批通过率与放款金额"
	font, err := chartFont()
	require.NoError(t, err)
	for _, r := range title + "0123456789%," {
		assert.NotZero(t, font.Index(r), "glyph for %q", r)
	}
	fallback, err := chart.GetDefaultFont()
	require.NoError(t, err)
	data := &WidgetData{ID: "k", Type: TypeKPI, Title: title}
	draw := func(c *canvas) image.Image {
		var b bytes.Buffer
		require.NoError(t, c.kpi(&b))
		img, err := png.Decode(&b)
		require.NoError(t, err)
		return img
	}
	ours := draw(&canvas{data: data, font: font, rp: chart.PNG})
	boxes := draw(&canvas{data: data, font: fallback, rp: chart.PNG})
	titleArea := image.Rect(15, 10, 260, 40)
	inked := ink(ours, titleArea)
	assert.Greater(t, inked, 200, "the title draws strokes")
	differ := 0
	for y := titleArea.Min.Y; y < titleArea.Max.Y; y++ {
		for x := titleArea.Min.X; x < titleArea.Max.X; x++ {
			r1, _, _, _ := ours.At(x, y).RGBA()
			r2, _, _, _ := boxes.At(x, y).RGBA()
			if r1 != r2 {
				differ++
			}
		}
	}
	assert.Greater(t, differ, inked/4, "the glyphs are not the fallback font's boxes")
}

// ink counts the pixels of area darker than light grey.
func ink(img image.Image, area image.Rectangle) int {
	n := 0
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if (r+g+b)/3 < 0xc000 {
				n++
			}
		}
	}
	return n
}

// TestChartSVGIsWellFormedXML draws labels with XML's special characters and charts of a
// single category (a line over one day has no x-range of its own): every SVG must parse.
func TestChartSVGIsWellFormedXML(t *testing.T) {
	one := func(v float64) *float64 { return &v }
	label := `< 1,000 & "big" > 'x'`
	cats := []Category{{Key: []any{"a"}, Label: label}}
	for _, typ := range []string{TypeBar, TypeStackedBar, TypeLine, TypePie, TypeFunnel, TypeTable, TypeDistribution, TypeKPI} {
		d := &WidgetData{ID: "w", Type: typ, Title: "T <&> " + typ, Categories: cats,
			Series: []Series{{ID: "n", Measure: "n", Label: label, Values: []*float64{one(3)}}}}
		var b bytes.Buffer
		require.NoError(t, RenderChart(d, FormatSVG, &b), typ)
		dec := xml.NewDecoder(&b)
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, "%s: %s", typ, b.String())
		}
		var raster bytes.Buffer
		require.NoError(t, RenderChart(d, FormatPNG, &raster), typ)
	}
}
