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
	if rg := r.Regression; rg != nil {
		failing, warning := rg.Regressions()
		switch n := failing + warning; {
		case n == 0 && rg.Count[Inconclusive] == len(rg.Comparisons):
			parts = append(parts, "comparison with "+rg.Name+" inconclusive")
		case n == 0:
			parts = append(parts, "no regression against "+rg.Name)
		case n == 1:
			parts = append(parts, "1 regression against "+rg.Name)
		default:
			parts = append(parts, fmt.Sprintf("%d regressions against %s", n, rg.Name))
		}
	}
	if r.BaselineMissing != "" {
		parts = append(parts, "no saved runs under "+r.BaselineMissing)
	}
	return fmt.Sprintf("%s: %s", word, strings.Join(parts, ", "))
}

// Tables are the criteria table and, with a baseline, the comparison
// table, their notes folded into the Note column's text.
func (r *Result) Tables() []report.Table {
	var out []report.Table
	t, notes := r.table()
	if len(t.Rows) > 0 {
		t.Title = "Criteria"
		out = append(out, expandNotes(t, notes))
	}
	if r.Regression != nil {
		var rn footnotes
		out = append(out, expandNotes(r.comparisonTable(&rn), rn))
	}
	return out
}

// expandNotes replaces footnote marks with their text.
func expandNotes(t report.Table, notes []string) report.Table {
	for i, row := range t.Rows {
		last := row[len(row)-1]
		var n int
		if _, err := fmt.Sscanf(last, "[%d]", &n); err == nil && n >= 1 && n <= len(notes) {
			row = append([]string{}, row...)
			row[len(row)-1] = notes[n-1]
			t.Rows[i] = row
		}
	}
	return t
}

// footnotes numbers notes, giving equal texts one number.
type footnotes []string

func (f *footnotes) mark(n string) string {
	if n == "" {
		return ""
	}
	for i, m := range *f {
		if m == n {
			return fmt.Sprintf("[%d]", i+1)
		}
	}
	*f = append(*f, n)
	return fmt.Sprintf("[%d]", len(*f))
}

// comparisonTable lays out the comparison with the baseline.
func (r *Result) comparisonTable(notes *footnotes) report.Table {
	rg := r.Regression
	t := report.Table{
		Title: fmt.Sprintf("Against baseline %s (%d run%s)", rg.Name, len(rg.Runs), plural(len(rg.Runs))),
		Headers: []string{"Endpoint", "Metric", "Baseline", "Current", "Change", "95% CI",
			"p (adjusted)", "Test", "Requests", "Verdict", "Note"},
		Right: []bool{false, false, true, true, true, true, true},
	}
	for _, c := range rg.Comparisons {
		ci, p := "", ""
		if !math.IsNaN(c.Lo) {
			ci = fmt.Sprintf("%s … %s", signedPercent(c.Lo), signedPercent(c.Hi))
		}
		if !math.IsNaN(c.P) {
			p = fmt.Sprintf("%.3g (%.3g)", c.P, c.PAdj)
		}
		change := ""
		if !math.IsNaN(c.Change) {
			change = signedPercent(c.Change)
		}
		verdict := c.Verdict.String()
		if c.Verdict == Regression && c.WarnOnly {
			verdict += " (warns)"
		}
		t.Rows = append(t.Rows, []string{c.Endpoint, c.Metric, FormatValue(c.Baseline, c.Unit),
			FormatValue(c.Current, c.Unit), change, ci, p, c.Test, c.N, verdict, notes.mark(c.Why)})
	}
	return t
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// signedPercent formats a relative change.
func signedPercent(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+∞"
	case math.IsNaN(v):
		return "–"
	}
	return fmt.Sprintf("%+.1f%%", v*100)
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
	var notes footnotes
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
				levelText(cr.Criterion.Critical, cr.Unit), c.Verdict.String(), notes.mark(note),
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
	t, crit := r.table()
	if len(t.Rows) > 0 {
		if err := report.WriteText(&b, t, borders); err != nil {
			return err
		}
		for i, n := range crit {
			fmt.Fprintf(&b, "[%d] %s\n", i+1, report.Text(n))
		}
	}
	if r.Regression != nil {
		var notes footnotes
		b.WriteString("\n")
		if err := report.WriteText(&b, r.comparisonTable(&notes), borders); err != nil {
			return err
		}
		for i, n := range notes {
			fmt.Fprintf(&b, "[%d] %s\n", i+1, report.Text(n))
		}
		for _, n := range r.Regression.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
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
