package report

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/golang/freetype/truetype"
)

// The chart font is AR PL SungtiL GB (Arphic Public License, fonts/LICENSE-gbsn00lp.txt):
// a plain TrueType font, which is what go-chart's freetype reads, with both Chinese
// and Latin glyphs, so labels in either locale draw as text rather than boxes.
//
//go:embed fonts/gbsn00lp.ttf
var fontTTF []byte

// chartFont parses the embedded font once.
var chartFont = sync.OnceValues(func() (*truetype.Font, error) {
	f, err := truetype.Parse(fontTTF)
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	return f, nil
})
