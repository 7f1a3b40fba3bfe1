package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/locusttest"
)

// TestLocustIntegration drives the whole command line over CSV files
// that real Locust wrote. One run (about ten seconds) is shared by every
// subtest, so the subtests must not run in parallel with each other or
// with other Locust runs.
func TestLocustIntegration(t *testing.T) {
	res := locusttest.Run(t, locusttest.Options{})
	for _, name := range locusttest.Endpoints() {
		c := res.Counts[name]
		t.Logf("server: %-26s %6d requests %4d failures", name, c.Requests, c.Failures)
	}

	t.Run("analyze json", func(t *testing.T) { testAnalyzeJSON(t, res) })
	t.Run("analyze table", func(t *testing.T) { testAnalyzeTable(t, res) })
	t.Run("gate pass", func(t *testing.T) { testGatePass(t, res) })
	t.Run("gate fail with report", func(t *testing.T) { testGateFail(t, res) })
	t.Run("gate external metric", func(t *testing.T) { testGateExternal(t, res) })
	t.Run("missing prefix", testMissingPrefix)
}

// cliResult is what one call of run left behind.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI calls the command's entry point with args and no stdin.
func runCLI(t *testing.T, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	return cliResult{code, stdout.String(), stderr.String()}
}

// wantCode fails the test unless the call ended with want, showing both
// streams when it did not.
func (r cliResult) wantCode(t *testing.T, want ExitCode) {
	t.Helper()
	if r.code != int(want) {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
}

// writeConfig writes a loadgate.yaml into a fresh directory and returns
// its path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "loadgate.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// hasField reports whether word is one of the space-separated fields of
// line, as a verdict is in a row of the text table.
func hasField(line, word string) bool {
	return slices.Contains(strings.Fields(line), word)
}

// lineWith returns the first line of text that contains sub, or "".
func lineWith(text, sub string) string {
	for line := range strings.Lines(text) {
		if strings.Contains(line, sub) {
			return strings.TrimRight(line, "\n")
		}
	}
	return ""
}

func testAnalyzeJSON(t *testing.T, res locusttest.Result) {
	out := runCLI(t, "analyze", "--csv", res.CSVPrefix, "--format", "json")
	out.wantCode(t, ExitPass)
	var rep analyze.JSONReport
	if err := json.Unmarshal([]byte(out.stdout), &rep); err != nil {
		t.Fatalf("analyze --format json: %v\n%s", err, out.stdout)
	}

	// Every endpoint is there once, with its type and plausible counts.
	byName := map[string]analyze.JSONEndpoint{}
	for _, e := range rep.Endpoints {
		if _, dup := byName[e.Name]; dup {
			t.Errorf("endpoint %q listed twice", e.Name)
		}
		byName[e.Name] = e
	}
	if len(rep.Endpoints) != len(locusttest.Endpoints()) {
		t.Errorf("%d endpoints, want %d: %v", len(rep.Endpoints), len(locusttest.Endpoints()), byName)
	}
	var sumRequests, sumFailures int64
	for _, name := range locusttest.Endpoints() {
		e, ok := byName[name]
		if !ok {
			t.Errorf("endpoint %q missing", name)
			continue
		}
		sumRequests += e.Requests
		sumFailures += e.Failures
		checkEndpoint(t, e, res.Counts[name])
	}

	// The Aggregated row and the run totals add up.
	if rep.Total.Requests != sumRequests || rep.Total.Failures != sumFailures {
		t.Errorf("aggregated: %d requests, %d failures; endpoints sum to %d, %d",
			rep.Total.Requests, rep.Total.Failures, sumRequests, sumFailures)
	}
	if rep.Requests != rep.Total.Requests || rep.Failures != rep.Total.Failures {
		t.Errorf("run: %d requests, %d failures; aggregated row has %d, %d",
			rep.Requests, rep.Failures, rep.Total.Requests, rep.Total.Failures)
	}

	// The history was read.
	if rep.Start == nil || rep.End == nil {
		t.Errorf("start %v, end %v: want both from the history", rep.Start, rep.End)
	} else if !rep.End.After(*rep.Start) {
		t.Errorf("end %v is not after start %v", rep.End, rep.Start)
	}
	if rep.PeakUsers == nil || *rep.PeakUsers != locusttest.DefaultUsers {
		t.Errorf("peak_users %v, want %d", ptrText(rep.PeakUsers), locusttest.DefaultUsers)
	}
	if rep.RampUp == nil {
		t.Errorf("ramp_up is null, want a phase; notes: %q", rep.Notes)
	}
	if _, ok := rep.Files["history"]; !ok {
		t.Errorf("files %v: want a history entry", rep.Files)
	}

	if !strings.HasPrefix(rep.Locust, "2.") {
		t.Errorf("locust_version %q, want 2.x (evidence %q)", rep.Locust, rep.LocustWhy)
	}
	t.Logf("locust_version %q, evidence %q", rep.Locust, rep.LocustWhy)
}

// checkEndpoint compares one endpoint of the analysis with what the
// server counted. Locust's CSV misses up to the last second of a ten
// second run, so the CSV may fall short of the server by a tenth; 80% is
// a floor with room to spare.
func checkEndpoint(t *testing.T, e analyze.JSONEndpoint, server locusttest.EndpointCount) {
	t.Helper()
	method, _, _ := strings.Cut(e.Name, " ")
	if e.Type != method {
		t.Errorf("%s: type %q, want %q", e.Name, e.Type, method)
	}
	switch {
	case e.Requests <= 0:
		t.Errorf("%s: %d requests, want some", e.Name, e.Requests)
	case e.Requests > server.Requests:
		t.Errorf("%s: %d requests, more than the server's %d", e.Name, e.Requests, server.Requests)
	case e.Requests*10 < server.Requests*8:
		t.Errorf("%s: %d requests, under 80%% of the server's %d", e.Name, e.Requests, server.Requests)
	}

	if e.Name != locusttest.CreateSubmodel {
		if e.Failures != 0 {
			t.Errorf("%s: %d failures, want 0", e.Name, e.Failures)
		}
		return
	}
	// Every FailEvery-th response fails; the CSV's cut-off may land
	// between a failure and the requests around it, hence the slack.
	const slack = 2
	lo := e.Requests/locusttest.FailEvery - slack
	hi := (e.Requests+locusttest.FailEvery-1)/locusttest.FailEvery + slack
	if e.Failures < lo || e.Failures > hi {
		t.Errorf("%s: %d failures in %d requests, want %d to %d", e.Name, e.Failures, e.Requests, lo, hi)
	}
	if e.Failures > server.Failures {
		t.Errorf("%s: %d failures, more than the server's %d", e.Name, e.Failures, server.Failures)
	}
}

// ptrText prints a number that JSON may leave null.
func ptrText(p *int64) string {
	if p == nil {
		return "null"
	}
	return strconv.FormatInt(*p, 10)
}

func testAnalyzeTable(t *testing.T, res locusttest.Result) {
	out := runCLI(t, "analyze", "--csv", res.CSVPrefix)
	out.wantCode(t, ExitPass)
	for _, name := range locusttest.Endpoints() {
		if !strings.Contains(out.stdout, name) {
			t.Errorf("table does not mention %q:\n%s", name, out.stdout)
		}
	}
}

// passingConfig is met by any healthy run of the locusttest traffic:
// 5% of one endpoint's requests fail, the cached read takes a
// millisecond and reads run at dozens of requests a second.
const passingConfig = `version: 1
classes:
  read:
    types: [GET]
  cached-read:
    types: [GET]
    names: ["*(cached)"]
criteria:
  - name: Error rate
    metric: error_rate
    scope: run
    target: 10%
    critical: 20%
  - name: p99 latency (cached read)
    metric: p99
    scope: cached-read
    target: 1000ms
    critical: 2000ms
  - name: Throughput (reads)
    metric: rps
    scope: read
    target: 1rps
    critical: 0.5rps
`

func testGatePass(t *testing.T, res locusttest.Result) {
	cfg := writeConfig(t, passingConfig)
	out := runCLI(t, "gate", "--csv", res.CSVPrefix, "--config", cfg)
	out.wantCode(t, ExitPass)
	if !strings.HasPrefix(out.stdout, "PASS: 3 passed") {
		t.Errorf("stdout does not start with %q:\n%s", "PASS: 3 passed", out.stdout)
	}
	if line := lineWith(out.stdout, "p99 latency (cached read)"); !strings.Contains(line, locusttest.ReadCached) {
		t.Errorf("cached-read criterion does not judge %q: %q", locusttest.ReadCached, line)
	}
	if out.stderr != "" {
		t.Errorf("stderr is not empty:\n%s", out.stderr)
	}
}

// failingConfig allows POST /submodels 1% of failures, where it has 5%.
const failingConfig = `version: 1
criteria:
  - name: Submodel create errors
    metric: error_rate
    scope: {names: ["POST /submodels"]}
    target: 0.5%
    critical: 1%
  - name: Error rate
    metric: error_rate
    scope: run
    target: 10%
    critical: 20%
`

func testGateFail(t *testing.T, res locusttest.Result) {
	cfg := writeConfig(t, failingConfig)
	report := filepath.Join(t.TempDir(), "verdict.md")
	out := runCLI(t, "gate", "--csv", res.CSVPrefix, "--config", cfg, "--report", report)
	out.wantCode(t, ExitFail)

	if !strings.HasPrefix(out.stdout, "FAIL: 1 failed, 1 passed") {
		t.Errorf("stdout does not start with %q:\n%s", "FAIL: 1 failed, 1 passed", out.stdout)
	}
	if line := lineWith(out.stdout, "Submodel create errors"); !hasField(line, "fail") {
		t.Errorf("criterion row does not say fail: %q\n%s", line, out.stdout)
	}
	if line := lineWith(out.stdout, "Error rate"); !hasField(line, "pass") {
		t.Errorf("run error rate row does not say pass: %q", line)
	}

	// The markdown report carries the same verdict.
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("--report: %v", err)
	}
	md := string(data)
	headline, _, _ := strings.Cut(out.stdout, "  (run ")
	if !strings.HasPrefix(md, "<!-- loadgate: gate -->\n## ") || !strings.Contains(md, headline) {
		t.Errorf("report does not carry the headline %q:\n%s", headline, md)
	}
	if row := lineWith(md, "Submodel create errors"); !strings.HasPrefix(row, "|") || !strings.Contains(row, "fail") {
		t.Errorf("report row of the failed criterion: %q\n%s", row, md)
	}
}

// externalConfig judges a cache hit rate that only the caller can give.
const externalConfig = `version: 1
criteria:
  - name: Error rate
    metric: error_rate
    scope: run
    target: 10%
    critical: 20%
  - name: Cache hit rate
    metric: cache_hit_rate
    target: 95%
    critical: 80%
metrics:
  cache_hit_rate:
    unit: ratio
    better: higher
`

func testGateExternal(t *testing.T, res locusttest.Result) {
	cfg := writeConfig(t, externalConfig)
	base := []string{"gate", "--csv", res.CSVPrefix, "--config", cfg}

	t.Run("given", func(t *testing.T) {
		out := runCLI(t, slices.Concat(base, []string{"--metric", "cache_hit_rate=0.97"})...)
		out.wantCode(t, ExitPass)
		if !strings.HasPrefix(out.stdout, "PASS: 2 passed") {
			t.Errorf("stdout does not start with %q:\n%s", "PASS: 2 passed", out.stdout)
		}
		line := lineWith(out.stdout, "Cache hit rate")
		if !strings.Contains(line, "97.00%") || !hasField(line, "pass") {
			t.Errorf("cache hit rate row: %q, want 97%% and pass", line)
		}
	})
	t.Run("missing", func(t *testing.T) {
		out := runCLI(t, base...)
		out.wantCode(t, ExitPass)
		if line := lineWith(out.stdout, "Cache hit rate"); !strings.Contains(line, "not measured") {
			t.Errorf("cache hit rate row: %q, want not measured\n%s", line, out.stdout)
		}
		if !strings.Contains(lineWith(out.stdout, "PASS"), "1 not measured") {
			t.Errorf("headline does not count the unmeasured criterion:\n%s", out.stdout)
		}
	})
	t.Run("missing fails on unmeasured", func(t *testing.T) {
		out := runCLI(t, slices.Concat(base, []string{"--fail-on", "unmeasured"})...)
		out.wantCode(t, ExitFail)
		if !strings.Contains(lineWith(out.stdout, "Cache hit rate"), "not measured") {
			t.Errorf("stdout does not show the criterion not measured:\n%s", out.stdout)
		}
	})
}

func testMissingPrefix(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "absent")
	out := runCLI(t, "analyze", "--csv", prefix)
	out.wantCode(t, ExitError)
	if want := prefix + "_stats.csv"; !strings.Contains(out.stderr, want) {
		t.Errorf("stderr does not name %s:\n%s", want, out.stderr)
	}
	if !strings.HasPrefix(out.stderr, "loadgate: ") {
		t.Errorf("stderr lacks the program prefix:\n%s", out.stderr)
	}
	if out.stdout != "" {
		t.Errorf("stdout is not empty:\n%s", out.stdout)
	}

	out = runCLI(t, "gate", "--csv", prefix, "--config", writeConfig(t, passingConfig))
	out.wantCode(t, ExitError)
	if want := prefix + "_stats.csv"; !strings.Contains(out.stderr, want) {
		t.Errorf("gate: stderr does not name %s:\n%s", want, out.stderr)
	}
}
