package chart

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/loadgate/loadgate/internal/report"
)

// Page is a self-contained HTML report: no scripts, no fonts or images
// from the network; the charts are inline SVG.
type Page struct {
	Title   string
	Summary []string // lines under the title
	Charts  []Chart
	Tables  []report.Table
	Notes   []string
}

// WriteHTML renders the page. Every text from the run is escaped.
func (p Page) WriteHTML(w io.Writer) error {
	var b strings.Builder
	esc := func(s string) string { return html.EscapeString(report.Text(s)) }
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:90%%}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
td.n{text-align:right}
figure{margin:1em 0}
svg{max-width:100%%;height:auto}
</style></head><body>
<h1>%s</h1>
`, esc(p.Title), esc(p.Title))
	for _, s := range p.Summary {
		fmt.Fprintf(&b, "<p>%s</p>\n", esc(s))
	}
	for _, c := range p.Charts {
		var svg bytes.Buffer
		if err := c.Write(&svg, "svg"); err != nil {
			return err
		}
		fmt.Fprintf(&b, "<figure id=\"%s\">\n%s\n</figure>\n", esc(c.File), stripXMLHeader(svg.String()))
	}
	for _, t := range p.Tables {
		if t.Title != "" {
			fmt.Fprintf(&b, "<h2>%s</h2>\n", esc(strings.TrimSpace(t.Title)))
		}
		b.WriteString("<table>\n<tr>")
		for _, h := range t.Headers {
			fmt.Fprintf(&b, "<th>%s</th>", esc(h))
		}
		b.WriteString("</tr>\n")
		for _, r := range t.Rows {
			b.WriteString("<tr>")
			for i, c := range r {
				class := ""
				if i < len(t.Right) && t.Right[i] {
					class = ` class="n"`
				}
				fmt.Fprintf(&b, "<td%s>%s</td>", class, html.EscapeString(report.Cell(c)))
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</table>\n")
	}
	if len(p.Notes) > 0 {
		b.WriteString("<h2>Notes</h2>\n<ul>\n")
		for _, n := range p.Notes {
			fmt.Fprintf(&b, "<li>%s</li>\n", esc(n))
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func stripXMLHeader(svg string) string {
	if i := strings.Index(svg, "<svg"); i >= 0 {
		return svg[i:]
	}
	return svg
}

// WriteFiles writes every chart as DIR/FILE.svg and DIR/FILE.png.
func WriteFiles(dir string, charts []Chart) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range charts {
		for _, format := range []string{"svg", "png"} {
			var b bytes.Buffer
			if err := c.Write(&b, format); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, c.File+"."+format), b.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
