package gate

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/report"
)

// Headline is the one-line verdict: "FAIL: 1 failed, 2 warned, …". It
// says FAIL whenever the gate fails, policy included.
func (r *Result) Headline() string {
	word := map[Verdict]string{Pass: "PASS", Warn: "WARN", Fail: "FAIL"}[r.Verdict]
	switch {
	case r.NoData != "":
		word = "NO DATA (" + r.NoData + ")"
	case r.Verdict == Fail:
	case r.Policy.FailOnWarn && r.Verdict == Warn:
		word = "FAIL (warnings fail this gate)"
	case r.Policy.FailOnUnmeasured && r.Count[NotMeasured] > 0:
		word = "FAIL (unmeasured criteria fail this gate)"
	}
	parts := []string{}
	for _, v := range []Verdict{Fail, Warn, Pass, NotMeasured} {
		if n := r.Count[v]; n > 0 {
			label := map[Verdict]string{Fail: "failed", Warn: "warned", Pass: "passed", NotMeasured: "not measured"}[v]
			parts = append(parts, fmt.Sprintf("%d %s", n, label))
		}
	}
	return fmt.Sprintf("%s: %s", word, strings.Join(parts, ", "))
}

// symbol marks a verdict in markdown.
func symbol(v Verdict) string {
	return map[Verdict]string{Pass: "✅", Warn: "⚠️", Fail: "❌", NotMeasured: "❔"}[v]
}

// table lays the checks out one per row; their notes become numbered
// footnotes, so the table stays narrow.
func (r *Result) table() (report.Table, []string) {
	t := report.Table{
		Headers: []string{"Criterion", "Scope", "Endpoint", "Value", "Target", "Critical", "Verdict", "Note"},
		Right:   []bool{false, false, false, true, true, true},
	}
	var notes []string
	marker := func(n string) string {
		if n == "" {
			return ""
		}
		for i, m := range notes {
			if m == n {
				return fmt.Sprintf("[%d]", i+1)
			}
		}
		notes = append(notes, n)
		return fmt.Sprintf("[%d]", len(notes))
	}
	for _, cr := range r.Criteria {
		for _, c := range cr.Checks {
			note := c.Why
			if c.NearLimit {
				note = join(note, fmt.Sprintf("within Locust's rounding (±%s ms): the true value may lie on the other side of a level", analyze.Millis(Resolution(c.Value)/2)))
			}
			scope, ep := cr.Criterion.Scope.String(), c.Endpoint
			switch {
			case cr.Unit != "" && r.Config.Metrics[cr.Criterion.Metric] != nil:
				scope, ep = "service", "(external)"
			case ep == "" && isRunScope(cr.Criterion.Scope):
				ep = "(run)"
			case ep == "":
				ep = "(all in scope)"
			}
			t.Rows = append(t.Rows, []string{
				cr.Criterion.Name, scope, ep,
				FormatValue(c.Value, cr.Unit), levelText(cr.Criterion.Target, cr.Unit),
				levelText(cr.Criterion.Critical, cr.Unit), c.Verdict.String(), marker(note),
			})
		}
	}
	return t, notes
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// FormatValue prints a value in its unit.
func FormatValue(v float64, unit string) string {
	if math.IsNaN(v) {
		return "–"
	}
	switch unit {
	case "ms":
		return analyze.Millis(v) + " ms"
	case "ratio":
		return analyze.Percent(v)
	case "rps":
		return analyze.Rate(v) + " rps"
	}
	return fmt.Sprintf("%g", v)
}

func levelText(l Level, unit string) string {
	return l.Op + " " + FormatValue(l.Value, unit)
}

// WriteText prints the verdict and the table; borders for a terminal.
func WriteText(w io.Writer, r *Result, borders bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  (run %s)\n\n", r.Headline(), report.Text(r.Run))
	t, footnotes := r.table()
	if err := report.WriteText(&b, t, borders); err != nil {
		return err
	}
	for i, n := range footnotes {
		fmt.Fprintf(&b, "[%d] %s\n", i+1, report.Text(n))
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the verdict as markdown for a pull request.
func WriteMarkdown(w io.Writer, r *Result) error {
	var b strings.Builder
	v := r.Verdict
	switch {
	case r.NoData != "":
		v = NotMeasured
	case r.Failed():
		v = Fail
	}
	fmt.Fprintf(&b, "## %s loadgate %s\n\nRun: `%s`\n\n", symbol(v), r.Headline(),
		strings.ReplaceAll(report.Text(r.Run), "`", "'"))
	t, footnotes := r.table()
	for i := range t.Rows {
		v := t.Rows[i][6]
		for _, x := range []Verdict{Pass, Warn, Fail, NotMeasured} {
			if x.String() == v {
				t.Rows[i][6] = symbol(x) + " " + v
			}
		}
	}
	if err := report.WriteMarkdown(&b, t); err != nil {
		return err
	}
	if len(footnotes) > 0 {
		b.WriteString("\n")
	}
	for i, n := range footnotes {
		fmt.Fprintf(&b, "\\[%d\\] %s  \n", i+1, report.Markdown(n))
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n**Notes**\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", report.Markdown(n))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
