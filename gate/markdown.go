package gate

import (
	"fmt"
	"io"
	"strings"

	"github.com/loadgate/loadgate/internal/report"
)

// MaxComment is GitHub's limit on the length of a comment, in
// characters.
const MaxComment = 65536

// MarkdownOptions shape the markdown report.
type MarkdownOptions struct {
	// ID goes into the hidden marker <!-- loadgate: ID --> by which a CI
	// step finds and updates its own earlier comment. Default "gate".
	ID string
	// Limit is the longest report in characters (default MaxComment).
	Limit int
}

// WriteMarkdown writes the verdict as markdown for a pull-request
// comment or a step summary: the verdict first, then what failed or
// warned, the regressions and the top failures, the caveats, and the full
// tables folded in <details>. It always fits opts.Limit: with hundreds of
// endpoints the full tables lose rows, and say how many.
func WriteMarkdown(w io.Writer, r *Result, opts MarkdownOptions) error {
	if opts.ID == "" {
		opts.ID = "gate"
	}
	if opts.Limit <= 0 {
		opts.Limit = MaxComment
	}
	detailRows := -1 // all
	for {
		text := r.markdownHead(opts.ID, detailRows) + r.markdownDetails(detailRows)
		if len([]rune(text)) <= opts.Limit {
			_, err := io.WriteString(w, text)
			return err
		}
		total := r.detailRowCount()
		switch {
		case detailRows < 0:
			detailRows = total
		case detailRows == 0:
			// Even the summary is too long: cut it, and say so.
			cut := []rune(text)[:opts.Limit-200]
			_, err := fmt.Fprintf(w, "%s\n\n*(report cut at %d characters; the JSON and JUnit reports hold everything)*\n", string(cut), opts.Limit-200)
			return err
		}
		detailRows = detailRows * 3 / 4
	}
}

// markdownHead is everything but the folded full tables; rows ≥ 0 cuts
// its tables to that many rows.
func (r *Result) markdownHead(id string, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- loadgate: %s -->\n", strings.NewReplacer("--", "- -", ">", "").Replace(report.Text(id)))
	v := r.Verdict
	switch {
	case r.NoData != "":
		v = NotMeasured
	case r.Failed():
		v = Fail
	}
	fmt.Fprintf(&b, "## %s loadgate %s\n\n", symbol(v), report.Markdown(r.Headline()))
	fmt.Fprintf(&b, "Run `%s`", codeSpan(r.Run))
	if rg := r.Regression; rg != nil {
		fmt.Fprintf(&b, " against baseline `%s` (%d run%s)", codeSpan(rg.Name), len(rg.Runs), plural(len(rg.Runs)))
	}
	b.WriteString("\n\n")

	// What failed or warned.
	t, notes := r.table()
	var bad [][]string
	for _, row := range t.Rows {
		if row[6] == Fail.String() || row[6] == Warn.String() {
			bad = append(bad, withSymbol(row, 6))
		}
	}
	if len(bad) > 0 {
		b.WriteString("### Criteria that failed or warned\n\n")
		t.Rows = bad
		writeCut(&b, t, notes, rows)
	}

	if rg := r.Regression; rg != nil {
		var rnotes footnotes
		ct := markChanges(r.comparisonTable(&rnotes))
		var regs [][]string
		for i, c := range rg.Comparisons {
			if c.Verdict == Regression {
				regs = append(regs, ct.Rows[i])
			}
		}
		if len(regs) > 0 {
			b.WriteString("### Regressions\n\n")
			ct.Title, ct.Rows = "", regs
			writeCut(&b, ct, rnotes, rows)
		}
	}

	if rep := r.Report; rep != nil && len(rep.TopFailures) > 0 {
		b.WriteString("### Top failures\n\n")
		ft := report.Table{Headers: []string{"Occurrences", "Endpoint", "Error"}, Right: []bool{true}}
		for i, f := range rep.TopFailures {
			if i == 5 {
				break
			}
			ft.Rows = append(ft.Rows, []string{fmt.Sprint(f.Occurrences), f.Label(), f.Error})
		}
		report.WriteMarkdown(&b, ft)
		if n := len(rep.TopFailures); n > 5 {
			fmt.Fprintf(&b, "\n%d more kinds of failure in the run's _failures.csv.\n", n-5)
		}
		b.WriteString("\n")
	}

	var caveats []string
	if r.Regression != nil {
		caveats = append(caveats, r.Regression.Notes...)
	}
	caveats = append(caveats, r.Notes...)
	if len(caveats) > 0 {
		b.WriteString("### Caveats\n\n")
		for _, n := range caveats {
			fmt.Fprintf(&b, "- %s\n", report.Markdown(n))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// markdownDetails folds the full tables, each cut to rows rows when rows
// ≥ 0.
func (r *Result) markdownDetails(rows int) string {
	var b strings.Builder
	section := func(title string, t report.Table, notes []string) {
		fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", title)
		writeCut(&b, t, notes, rows)
		b.WriteString("\n</details>\n\n")
	}
	t, notes := r.table()
	if len(t.Rows) > 0 {
		for i := range t.Rows {
			t.Rows[i] = withSymbol(t.Rows[i], 6)
		}
		section(fmt.Sprintf("All criteria (%d checks)", len(t.Rows)), t, notes)
	}
	if rg := r.Regression; rg != nil {
		var rnotes footnotes
		ct := markChanges(r.comparisonTable(&rnotes))
		ct.Title = ""
		section(fmt.Sprintf("All comparisons with %s (%d)", report.Markdown(rg.Name), len(ct.Rows)), ct, rnotes)
	}
	return b.String()
}

func (r *Result) detailRowCount() int {
	t, _ := r.table()
	n := len(t.Rows)
	if r.Regression != nil && len(r.Regression.Comparisons) > n {
		n = len(r.Regression.Comparisons)
	}
	return n
}

// writeCut writes t with at most rows rows (all when rows < 0), its
// footnotes, and how many rows it left out.
func writeCut(b *strings.Builder, t report.Table, notes []string, rows int) {
	left := 0
	if rows >= 0 && len(t.Rows) > rows {
		left = len(t.Rows) - rows
		t.Rows = t.Rows[:rows]
	}
	report.WriteMarkdown(b, t)
	writeFootnotes(b, notes, t.Rows)
	if left > 0 {
		fmt.Fprintf(b, "*%d more rows left out to fit the comment; the JSON and JUnit reports hold every row.*\n\n", left)
	}
}

// writeFootnotes lists the notes the rows refer to.
func writeFootnotes(b *strings.Builder, notes []string, rows [][]string) {
	used := false
	for i, n := range notes {
		mark := fmt.Sprintf("[%d]", i+1)
		for _, row := range rows {
			if row[len(row)-1] == mark {
				if !used {
					b.WriteString("\n")
					used = true
				}
				fmt.Fprintf(b, "\\[%d\\] %s  \n", i+1, report.Markdown(n))
				break
			}
		}
	}
	b.WriteString("\n")
}

// withSymbol prefixes the verdict in column i with its symbol.
func withSymbol(row []string, i int) []string {
	out := append([]string{}, row...)
	for _, v := range []Verdict{Pass, Warn, Fail, NotMeasured} {
		if out[i] == v.String() {
			out[i] = symbol(v) + " " + out[i]
		}
	}
	return out
}

// codeSpan makes text safe inside a markdown code span.
func codeSpan(s string) string {
	return strings.ReplaceAll(report.Cell(s), "`", "'")
}

// markChanges puts a symbol before the comparison verdicts that matter.
func markChanges(t report.Table) report.Table {
	col := len(t.Headers) - 2 // Verdict, before Note
	for i, row := range t.Rows {
		row = append([]string{}, row...)
		switch row[col] {
		case Regression.String():
			row[col] = "❌ " + row[col]
		case Regression.String() + " (warns)":
			row[col] = "⚠️ " + row[col]
		case Improvement.String():
			row[col] = "✅ " + row[col]
		}
		t.Rows[i] = row
	}
	return t
}
