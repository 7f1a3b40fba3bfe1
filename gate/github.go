package gate

import (
	"fmt"
	"io"
	"strings"

	"github.com/loadgate/loadgate/internal/report"
)

// WriteWorkflowCommands writes GitHub Actions workflow commands: an
// ::error for each failed criterion check and failing regression, a
// ::warning for each warning, so that they show as annotations on the
// run. Text is made safe with report.Clip first (and cut at 2000
// characters), then escaped as the workflow-command format requires, so
// no name can end the command early or start another.
func WriteWorkflowCommands(w io.Writer, r *Result) error {
	var b strings.Builder
	emit := func(level, title, msg string) {
		fmt.Fprintf(&b, "::%s title=%s::%s\n", level, escapeProperty(report.Cell(title)), escapeData(report.Clip(msg, 2000)))
	}
	for _, cr := range r.Criteria {
		for _, c := range cr.Checks {
			level := ""
			switch {
			case c.Verdict == Fail, c.Verdict == Warn && r.Policy.FailOnWarn:
				level = "error"
			case c.Verdict == Warn:
				level = "warning"
			case c.Verdict == NotMeasured && r.Policy.FailOnUnmeasured:
				level = "error"
			default:
				continue
			}
			where := report.Shorten(c.Endpoint)
			if where == "" {
				where = cr.Criterion.Scope.String()
			}
			msg := fmt.Sprintf("%s: %s is %s (target %s, critical %s)", where, cr.Criterion.Metric,
				FormatValue(c.Value, cr.Unit), levelText(cr.Criterion.Target, cr.Unit), levelText(cr.Criterion.Critical, cr.Unit))
			if c.Why != "" {
				msg += "; " + report.Shorten(c.Why)
			}
			emit(level, "loadgate: "+cr.Criterion.Name, msg)
		}
	}
	if rg := r.Regression; rg != nil {
		for _, c := range rg.Comparisons {
			if c.Verdict != Regression {
				continue
			}
			level := "error"
			if c.WarnOnly {
				level = "warning"
			}
			emit(level, fmt.Sprintf("loadgate: regression against %s", rg.Name),
				fmt.Sprintf("%s %s: %s → %s (%s, 95%% CI %s … %s)", report.Shorten(c.Endpoint), c.Metric,
					FormatValue(c.Baseline, c.Unit), FormatValue(c.Current, c.Unit), signedPercent(c.Change),
					signedPercent(c.Lo), signedPercent(c.Hi)))
		}
	}
	if r.NoData != "" {
		emit("error", "loadgate", "cannot judge the run: "+r.NoData)
	}
	if r.BaselineMissing != "" {
		emit("warning", "loadgate", "no saved runs under "+r.BaselineMissing+": nothing was compared with a baseline")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
