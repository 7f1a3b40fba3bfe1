// Package report renders loadgate's results for people and machines:
// aligned text tables for terminals and logs, and markdown for pull
// request comments. Every cell that comes from a run (endpoint names,
// error messages) goes through Text or MarkdownCell first, so that no
// name can move a terminal's cursor or break a table.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Table is a titled grid of cells, already formatted as text.
type Table struct {
	Title   string
	Headers []string
	Rows    [][]string
	// Right marks the columns to align right (numbers).
	Right []bool
}

// WriteText renders t as an aligned text table, each cell made safe with
// Cell. With borders it draws ASCII box lines, for terminals; without,
// columns separated by spaces, for logs and golden files.
func WriteText(w io.Writer, t Table, borders bool) error {
	var buf strings.Builder
	if err := writeText(&buf, t, borders); err != nil {
		return err
	}
	// Padding at the ends of lines is noise in CI logs.
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

func writeText(w io.Writer, t Table, borders bool) error {
	if t.Title != "" {
		if _, err := fmt.Fprintf(w, "%s\n", t.Title); err != nil {
			return err
		}
	}
	rendition := tw.Rendition{
		Symbols: tw.NewSymbols(tw.StyleASCII),
	}
	if !borders {
		rendition.Borders = tw.BorderNone
		rendition.Settings = tw.Settings{
			Separators: tw.Separators{BetweenColumns: tw.Off, ShowHeader: tw.Off, BetweenRows: tw.Off},
			Lines:      tw.Lines{ShowHeaderLine: tw.On},
		}
	}
	align := make([]tw.Align, len(t.Headers))
	for i := range align {
		align[i] = tw.AlignLeft
		if i < len(t.Right) && t.Right[i] {
			align[i] = tw.AlignRight
		}
	}
	tab := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(rendition)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)
	tab.Header(t.Headers)
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = Cell(c)
		}
		if err := tab.Append(cells); err != nil {
			return err
		}
	}
	return tab.Render()
}

// WriteMarkdown renders t as a GitHub-flavoured markdown table. Cells are
// escaped with MarkdownCell.
func WriteMarkdown(w io.Writer, t Table) error {
	var b strings.Builder
	if t.Title != "" {
		fmt.Fprintf(&b, "**%s**\n\n", MarkdownCell(t.Title))
	}
	b.WriteString("|")
	for _, h := range t.Headers {
		b.WriteString(" " + MarkdownCell(h) + " |")
	}
	b.WriteString("\n|")
	for i := range t.Headers {
		if i < len(t.Right) && t.Right[i] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		b.WriteString("|")
		for _, c := range r {
			b.WriteString(" " + MarkdownCell(c) + " |")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
