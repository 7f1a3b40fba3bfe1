package analyze

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/loadgate/loadgate/internal/report"
)

// Format is an output format of the analysis.
type Format string

// The formats Write knows.
const (
	FormatTable    Format = "table"
	FormatMarkdown Format = "markdown"
	FormatJSON     Format = "json"
)

// TopN is how many failures and exceptions the report lists.
const TopN = 10

// Write renders the report. borders draws table lines (for a terminal).
func Write(w io.Writer, r *Report, f Format, borders bool) error {
	switch f {
	case FormatTable:
		return writeText(w, r, borders)
	case FormatMarkdown:
		return writeMarkdown(w, r)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r.JSON())
	}
	return fmt.Errorf("unknown format %q: want table, markdown or json", f)
}

// SummaryLines is the run at a glance, a line per item.
func (r *Report) SummaryLines() []string {
	var out []string
	for _, kv := range r.summary() {
		out = append(out, kv[0]+": "+kv[1])
	}
	return out
}

// Tables are the endpoint, failure and exception tables (the last two
// when the run has rows for them).
func (r *Report) Tables() []report.Table {
	out := []report.Table{r.endpointTable()}
	for _, t := range []report.Table{r.failureTable(), r.exceptionTable()} {
		if len(t.Rows) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// summary lists the run at a glance as label/value pairs.
func (r *Report) summary() [][2]string {
	var kv [][2]string
	add := func(k, format string, args ...any) { kv = append(kv, [2]string{k, fmt.Sprintf(format, args...)}) }
	add("Locust", "%s (%s)", r.Version, strings.Join(r.VersionWhy, "; "))
	if !r.Start.IsZero() {
		add("start", "%s", r.Start.Format(time.DateTime+" MST"))
		add("end", "%s", r.End.Format(time.DateTime+" MST"))
	}
	if !math.IsNaN(r.Duration) {
		add("duration", "%s", Seconds(r.Duration))
	}
	if r.PeakUsers >= 0 {
		add("peak users", "%d", r.PeakUsers)
	}
	add("requests", "%d", r.Requests)
	add("failures", "%d (error rate %s)", r.Failures, Percent(r.ErrorRate))
	add("throughput", "%s req/s over the whole run", Rate(r.RPS))
	if p := r.RampUp; p != nil && p.Seconds > 0 {
		add("ramp-up", "%s to %d users (%s req/s)", Seconds(p.Seconds), p.Users, Rate(p.RPS))
	} else if p != nil {
		add("ramp-up", "none: all %d users started within the first second", p.Users)
	}
	if p := r.WarmUp; p != nil {
		add("warm-up", "%s until throughput settled (%s req/s)", Seconds(p.Seconds), Rate(p.RPS))
	} else if r.Steady != nil {
		add("warm-up", "none: throughput was steady from the peak on")
	}
	if p := r.Steady; p != nil {
		add("steady state", "%s at %d users: %s req/s, error rate %s (%s to %s)",
			Seconds(p.Seconds), p.Users, Rate(p.RPS), Percent(ratio(p.Failures, p.Requests)),
			p.Start.Format(time.TimeOnly), p.End.Format(time.TimeOnly))
	}
	return kv
}

// endpointTable is the per-endpoint table, the Aggregated row last.
func (r *Report) endpointTable() report.Table {
	t := report.Table{
		Title: "Endpoints (times in ms)",
		Headers: []string{"Type", "Name", "Requests", "Failures", "Error %",
			"Median", "p95", "p99", "Max", "Req/s", "Steady req/s"},
		Right: []bool{false, false, true, true, true, true, true, true, true, true, true},
	}
	row := func(e *Endpoint) []string {
		p95, _ := r.Percentile(e, 0.95)
		p99, _ := r.Percentile(e, 0.99)
		return []string{e.Type, e.Name,
			fmt.Sprint(e.Requests), fmt.Sprint(e.Failures), Percent(e.ErrorRate),
			Millis(e.Median), Millis(p95), Millis(p99), Millis(e.Max),
			Rate(e.RPS), Rate(e.SteadyRPS)}
	}
	for i := range r.Endpoints {
		t.Rows = append(t.Rows, row(&r.Endpoints[i]))
	}
	t.Rows = append(t.Rows, row(&r.Total))
	return t
}

func (r *Report) failureTable() report.Table {
	t := report.Table{Title: "Top failures", Headers: []string{"Occurrences", "Type", "Name", "Error"},
		Right: []bool{true}}
	for i, f := range r.TopFailures {
		if i == TopN {
			break
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(f.Occurrences), f.Method,
			f.Name, f.Error})
	}
	return t
}

func (r *Report) exceptionTable() report.Table {
	t := report.Table{Title: "Top exceptions", Headers: []string{"Count", "Message", "Where"},
		Right: []bool{true}}
	for i, e := range r.Exceptions {
		if i == TopN {
			break
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(e.Count), e.Message,
			lastFrame(e.Traceback)})
	}
	return t
}

// lastFrame picks the innermost "File …, line …, in f" of a traceback,
// shortening the path from the left so the function name stays.
func lastFrame(tb string) string {
	lines := strings.Split(tb, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); strings.HasPrefix(l, "File ") {
			if r := []rune(l); len(r) > 80 {
				return "…" + string(r[len(r)-79:])
			}
			return l
		}
	}
	return ""
}

func writeText(w io.Writer, r *Report, borders bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Run %s\n", report.Text(r.Files.Stats))
	for _, kv := range r.summary() {
		fmt.Fprintf(&b, "  %-13s %s\n", kv[0], kv[1])
	}
	b.WriteString("\n")
	if err := report.WriteText(&b, r.endpointTable(), borders); err != nil {
		return err
	}
	for _, t := range []report.Table{r.failureTable(), r.exceptionTable()} {
		if len(t.Rows) == 0 {
			continue
		}
		b.WriteString("\n")
		if err := report.WriteText(&b, t, borders); err != nil {
			return err
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

func writeMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Locust run `%s`\n\n", strings.ReplaceAll(report.Text(r.Files.Stats), "`", "'"))
	for _, kv := range r.summary() {
		fmt.Fprintf(&b, "- **%s**: %s\n", kv[0], report.Markdown(kv[1]))
	}
	b.WriteString("\n")
	for _, t := range []report.Table{r.endpointTable(), r.failureTable(), r.exceptionTable()} {
		if len(t.Rows) == 0 {
			continue
		}
		if err := report.WriteMarkdown(&b, t); err != nil {
			return err
		}
		b.WriteString("\n")
	}
	if len(r.Notes) > 0 {
		b.WriteString("**Notes**\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", report.Markdown(n))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Millis formats a time in milliseconds: whole numbers as they are
// (Locust's buckets), other values to 0.1 ms below 100 ms.
func Millis(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.Abs(v-math.Round(v)) < 1e-9 || v >= 100:
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// Rate formats a per-second rate.
func Rate(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", v)
}

// Percent formats a fraction as a percentage with enough digits for
// small error rates.
func Percent(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v == 0:
		return "0%"
	case v < 0.01:
		return fmt.Sprintf("%.3f%%", v*100)
	}
	return fmt.Sprintf("%.2f%%", v*100)
}

// Seconds formats a duration in seconds.
func Seconds(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return time.Duration(math.Round(v*10) * float64(time.Second/10)).String()
}
