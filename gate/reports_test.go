package gate

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/internal/locust"
)

// results gives gate results of several shapes: passing, failing, with a
// baseline, and without data.
func results(t *testing.T) map[string]*Result {
	t.Helper()
	cfg, err := ParseConfig(mustRead(t, "../examples/loadgate.yaml"), "examples/loadgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ext := map[string]Measurement{"cache_hit_rate": {Value: 0.97, Source: "--metric"}}
	base := []*baselines.Run{runDoc(t, "base-a")}
	out := map[string]*Result{
		"pass":     Evaluate(cfg, Input{Report: analyzeRun(t, "locust-2.12/base-b/load-test"), External: ext}, Policy{}),
		"fail":     Evaluate(cfg, Input{Report: analyzeRun(t, "locust-2.12/errors-5/load-test")}, Policy{FailOnUnmeasured: true}),
		"baseline": Evaluate(cfg, Input{Report: analyzeRun(t, "locust-2.12/slow-25/load-test"), External: ext, Baseline: base, BaselineName: "main"}, Policy{}),
		"old":      Evaluate(Default(), Input{Report: analyzeRun(t, "public/locust/result")}, Policy{}),
	}
	return out
}

// TestJSONMatchesSchema validates the JSON of each result against the
// published schema.
func TestJSONMatchesSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("../docs/schema/gate-v1.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range results(t) {
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(&b)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// And a document the schema must reject.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version": 2}`))
	if sch.Validate(bad) == nil {
		t.Error("schema accepted version 2")
	}
}

func TestJSONContent(t *testing.T) {
	r := results(t)["baseline"]
	var j JSONResult
	var b bytes.Buffer
	WriteJSON(&b, r)
	if err := json.Unmarshal(b.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Verdict != "fail" || j.ExitCode != 1 || j.Regression == nil || j.Regression.Baseline != "main" {
		t.Fatalf("json = %+v", j)
	}
	found := false
	for _, c := range j.Regression.Comparisons {
		if c.Endpoint == "POST /submodels" && c.Metric == "p95" {
			found = c.Verdict == "regression" && *c.Baseline > 60.9 && *c.Current == 73 && c.CI[0] != nil
		}
	}
	if !found {
		t.Error("POST /submodels p95 regression missing from the JSON")
	}
}

// junitDoc mirrors what JUnit readers look at.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Tests int    `xml:"tests,attr"`
		Cases []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	for name, r := range results(t) {
		var b bytes.Buffer
		if err := WriteJUnit(&b, r); err != nil {
			t.Fatal(err)
		}
		var d junitDoc
		if err := xml.Unmarshal(b.Bytes(), &d); err != nil {
			t.Fatalf("%s: not XML: %v", name, err)
		}
		tests, failures, skipped := 0, 0, 0
		for _, s := range d.Suites {
			for _, c := range s.Cases {
				tests++
				if c.Failure != nil {
					failures++
				}
				if c.Skipped != nil {
					skipped++
				}
			}
		}
		if tests != d.Tests || failures != d.Failures || skipped != d.Skipped {
			t.Errorf("%s: totals %d/%d/%d, cases %d/%d/%d", name, d.Tests, d.Failures, d.Skipped, tests, failures, skipped)
		}
		wantFail := r.Failed()
		if (failures > 0) != wantFail {
			t.Errorf("%s: %d failures, gate failed %v", name, failures, wantFail)
		}
	}
}

// hostile is the corpus of endpoint names and errors that must not break
// any report.
var hostile = []string{
	"/a|b|c", "/code`x`", "<script>alert(1)</script>", "@someone please", "#123 fixes",
	"/line\nbreak", "\x1b[31mred\x1b[0m\x1b[2J", "/tab\there", "::error::injected", "100% & more, really: yes",
	"get\xbd\xd3\xbf\xda", "/bidi\u202eevil", "/zero\u200bwidth", strings.Repeat("x", 5000),
	"]]></system-out><x>", "--> <!-- ", "\"quoted\"", "\\back\\slash", "[link](http://example.com)",
}

// hostileRun writes a stats file whose endpoint names and failure texts
// are the hostile corpus.
func hostileRun(t *testing.T) *analyze.Report {
	t.Helper()
	dir := t.TempDir()
	var stats, fails strings.Builder
	stats.WriteString("Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\r\n")
	fails.WriteString("Method,Name,Error,Occurrences\r\n")
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	for _, h := range hostile {
		fmt.Fprintf(&stats, "GET,%s,100,10,20,25.5,1.0,300.0,10.0,5.0,0.5,20,22,24,26,30,40,60,200,300,300,300\r\n", q(h))
		fmt.Fprintf(&fails, "GET,%s,%s,10\r\n", q(h), q("boom: "+h))
	}
	n := len(hostile)
	fmt.Fprintf(&stats, ",Aggregated,%d,%d,20,25.5,1.0,300.0,10.0,%d.0,%d.5,20,22,24,26,30,40,60,200,300,300,300\r\n", n*100, n*10, n*5, n/2)
	prefix := filepath.Join(dir, "h")
	os.WriteFile(prefix+"_stats.csv", []byte(stats.String()), 0o644)
	os.WriteFile(prefix+"_failures.csv", []byte(fails.String()), 0o644)
	files, err := locust.FindFiles(prefix)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analyze.Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Endpoints) != n {
		t.Fatalf("read %d endpoints of %d", len(rep.Endpoints), n)
	}
	return rep
}

// TestHostileNames sends the corpus through every renderer.
func TestHostileNames(t *testing.T) {
	cfg := mustConfig(t, `
criteria:
  - {metric: p99, scope: {types: [GET]}, target: 100ms, critical: 250ms}
  - {metric: error_rate, scope: {types: [GET]}, per: endpoint, target: 1%, critical: 5%}
`)
	rep := hostileRun(t)
	base := baselines.FromReport(rep)
	base.ID = "b"
	r := Evaluate(cfg, Input{Report: rep, Baseline: []*baselines.Run{base}, BaselineName: "main|<b>"}, Policy{})

	var text, md, junit, wf, js bytes.Buffer
	WriteText(&text, r, false)
	WriteMarkdown(&md, r, MarkdownOptions{ID: "x --> <script>"})
	WriteJUnit(&junit, r)
	WriteWorkflowCommands(&wf, r)
	WriteJSON(&js, r)

	for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "junit": junit.String(), "workflow": wf.String()} {
		if strings.ContainsAny(out, "\x1b\r\u202e") || strings.Contains(out, "zero\u200bwidth") {
			t.Errorf("%s: a control, bidi or zero-width character came through", name)
		}
		if !utf8.ValidString(out) {
			t.Errorf("%s: not valid UTF-8", name)
		}
		if strings.Contains(out, strings.Repeat("x", 200)) {
			t.Errorf("%s: a 5000-character name was not cut", name)
		}
	}
	m := md.String()
	for _, bad := range []string{"<script>", "@someone", "#123", "| b |", "-->\n<script"} {
		if strings.Contains(m, bad) {
			t.Errorf("markdown holds %q unescaped", bad)
		}
	}
	if strings.Contains(strings.ReplaceAll(m, `\]`, ""), "](http") {
		t.Error("markdown holds a live link")
	}
	for i, line := range strings.Split(strings.TrimSpace(m), "\n") {
		if strings.HasPrefix(line, "|") && !strings.HasPrefix(line, "|---") {
			if c := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); c != 9 && c != 12 && c != 4 {
				t.Errorf("markdown line %d has %d cell borders: %q", i+1, c, line)
			}
		}
	}
	if err := xml.Unmarshal(junit.Bytes(), new(junitDoc)); err != nil {
		t.Errorf("junit is not XML: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(wf.String()), "\n") {
		if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::warning ") {
			t.Errorf("workflow output line does not start a command: %q", line)
		}
	}
	var j JSONResult
	if err := json.Unmarshal(js.Bytes(), &j); err != nil {
		t.Errorf("json: %v", err)
	}
	// Distinct names stay distinct in the text table.
	if !strings.Contains(text.String(), `get\xbd`) {
		t.Error("the GBK name was not escaped visibly")
	}
}

// TestMarkdownSizeLimit: a thousand endpoints still fit one comment.
func TestMarkdownSizeLimit(t *testing.T) {
	dir := t.TempDir()
	var stats strings.Builder
	stats.WriteString("Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\r\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&stats, "GET,/api/v1/a-rather-long-resource-name-%04d/{id}/with/a/deep/path,1000,%d,20,25.5,1.0,300.0,10.0,5.0,0.5,20,22,24,26,30,40,60,200,300,300,300\r\n", i, i%50)
	}
	stats.WriteString(",Aggregated,1000000,24500,20,25.5,1.0,300.0,10.0,5000.0,122.5,20,22,24,26,30,40,60,200,300,300,300\r\n")
	os.WriteFile(filepath.Join(dir, "big_stats.csv"), []byte(stats.String()), 0o644)
	files, _ := locust.FindFiles(filepath.Join(dir, "big"))
	rep, err := analyze.Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	cfg := mustConfig(t, `
criteria:
  - {metric: p99, scope: {types: [GET]}, target: 100ms, critical: 250ms}
  - {metric: error_rate, scope: {types: [GET]}, per: endpoint, target: 1%, critical: 4%}
`)
	base := baselines.FromReport(rep)
	base.ID = "b"
	r := Evaluate(cfg, Input{Report: rep, Baseline: []*baselines.Run{base}, BaselineName: "main"}, Policy{})
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCount(md.Bytes()); n > MaxComment {
		t.Errorf("%d characters, over the %d limit", n, MaxComment)
	}
	if !strings.Contains(md.String(), "more rows left out") {
		t.Error("the report does not say what it left out")
	}
	if !strings.HasPrefix(md.String(), "<!-- loadgate: gate -->\n## ") {
		t.Errorf("report starts %q", md.String()[:60])
	}
}
