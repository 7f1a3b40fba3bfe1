package chart

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/locust"
	"github.com/loadgate/loadgate/internal/report"
)

func analyzed(t *testing.T, prefix string) *analyze.Report {
	t.Helper()
	files, err := locust.FindFiles("../../testdata/" + prefix)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analyze.Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestChartsDraw renders every chart of a real run as SVG and PNG, and
// checks the PNG shows more than a blank canvas.
func TestChartsDraw(t *testing.T) {
	charts := ForRun(analyzed(t, "locust-2.12/base-a/load-test"), 3)
	if len(charts) != 6 {
		t.Fatalf("%d charts, want load, users, aggregated latency and 3 endpoints", len(charts))
	}
	for _, c := range charts {
		var svg, img bytes.Buffer
		if err := c.Write(&svg, "svg"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(svg.String(), "<svg") || !strings.Contains(svg.String(), "<path") {
			t.Errorf("%s: SVG without paths", c.File)
		}
		if err := c.Write(&img, "png"); err != nil {
			t.Fatal(err)
		}
		m, err := png.Decode(&img)
		if err != nil {
			t.Fatalf("%s: %v", c.File, err)
		}
		inked := 0
		b := m.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				if r, g, bl, _ := m.At(x, y).RGBA(); r < 0xe000 || g < 0xe000 || bl < 0xe000 {
					inked++
				}
			}
		}
		if inked < 500 {
			t.Errorf("%s: only %d inked pixels", c.File, inked)
		}
	}
	if got := ForRun(analyzed(t, "public/XFJ/example"), 3); got != nil {
		t.Errorf("a run without history gave %d charts", len(got))
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	rep := analyzed(t, "locust-2.12/base-a/load-test")
	var b bytes.Buffer
	p := Page{Title: "t <script>", Summary: rep.SummaryLines(), Charts: ForRun(rep, 2), Tables: rep.Tables(), Notes: rep.Notes}
	if err := p.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	for _, bad := range []string{"<script", "src=\"http", "href=\"http", "@import", "url(http"} {
		if strings.Contains(h, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if strings.Count(h, "<svg") != 5 || !strings.Contains(h, "t &lt;script&gt;") {
		t.Errorf("page has %d charts", strings.Count(h, "<svg"))
	}
}

// TestHTMLEscapesNames: names from the run cannot inject markup.
func TestHTMLEscapesNames(t *testing.T) {
	names := []string{"<script>alert(1)</script>", "\x1b[2J", "</td></tr></table><img src=x onerror=alert(1)>", "a&b\"c'd", "get\xbd\xd3"}
	tb := report.Table{Title: "<b>t</b>", Headers: []string{"Name"}}
	for _, n := range names {
		tb.Rows = append(tb.Rows, []string{n})
	}
	var b bytes.Buffer
	if err := (Page{Title: "x", Tables: []report.Table{tb}, Notes: names}).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	for _, bad := range []string{"<script", "<img", "<b>t", "\x1b"} {
		if strings.Contains(h, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if !utf8.ValidString(h) {
		t.Error("page is not valid UTF-8")
	}
}
