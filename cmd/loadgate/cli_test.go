package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const runs = "../../testdata/locust-2.12/"

// TestCommandLines runs whole command lines and compares their output
// (stdout, then stderr) and exit code with golden files.
func TestCommandLines(t *testing.T) {
	tests := []struct {
		name string
		args string
		exit int
	}{
		{"analyze-base-a", "analyze --csv " + runs + "base-a/load-test", 0},
		{"analyze-base-a-md", "analyze --csv " + runs + "base-a/load-test --format markdown", 0},
		{"analyze-base-a-json", "analyze --csv " + runs + "base-a/load-test --format json", 0},
		{"analyze-saturated", "analyze --csv " + runs + "saturated/load-test", 0},
		{"analyze-xfj-1.0", "analyze --csv ../../testdata/public/XFJ/example", 0},
		{"analyze-0.x", "analyze --csv ../../testdata/public/locust/result", 0},
		{"analyze-neuro", "analyze --csv ../../testdata/public/neuro/locust", 0},
		{"analyze-retail-exceptions", "analyze --csv ../../testdata/public/loadTestRetailDemoStore/results", 0},
		{"analyze-explicit-files", "analyze --stats " + runs + "errors-5/load-test_stats.csv --failures " + runs + "errors-5/load-test_failures.csv", 0},
		{"gate-default-base-a", "gate --csv " + runs + "base-a/load-test", 1},
		{"gate-example-base-a", "gate --csv " + runs + "base-a/load-test --config ../../examples/loadgate.yaml --metric cache_hit_rate=0.97", 0},
		{"gate-example-errors-5", "gate --csv " + runs + "errors-5/load-test --config ../../examples/loadgate.yaml --metric cache_hit_rate=0.97", 1},
		{"gate-example-slow-25-fail-on-warn", "gate --csv " + runs + "slow-25/load-test --config ../../examples/loadgate.yaml --metric cache_hit_rate=0.97 --fail-on warn", 1},
		{"gate-example-slow-25", "gate --csv " + runs + "slow-25/load-test --config ../../examples/loadgate.yaml --metric cache_hit_rate=0.97", 0},
		{"gate-saturated-md", "gate --csv " + runs + "saturated/load-test --config ../../examples/loadgate.yaml --format markdown --metrics-before ../../testdata/prometheus/before.prom --metrics-after ../../testdata/prometheus/after.prom", 1},
		{"gate-unmeasured", "gate --csv " + runs + "base-a/load-test --config ../../examples/loadgate.yaml --fail-on unmeasured", 1},
		{"init-base-a", "init --csv " + runs + "base-a/load-test -o -", 0},
		{"err-missing-run", "gate --csv testdata/nothing/here", 2},
		{"err-no-run", "analyze", 2},
		{"err-bad-flag", "gate --csv " + runs + "base-a/load-test --fail-on sometimes", 2},
		{"err-unknown-flag", "gate --colour", 2},
		{"err-bad-config", "gate --csv " + runs + "base-a/load-test --config testdata/bad.yaml", 2},
		{"err-missing-config", "gate --csv " + runs + "base-a/load-test --config testdata/none.yaml", 2},
		{"err-bad-stats", "analyze --stats testdata/bad_stats.csv", 2},
		{"err-bad-format", "analyze --csv " + runs + "base-a/load-test --format yaml", 2},
		{"err-bad-metric", "gate --csv " + runs + "base-a/load-test --metric cache_hit_rate=lots", 2},
		{"err-half-scrapes", "gate --csv " + runs + "base-a/load-test --metrics-before ../../testdata/prometheus/before.prom", 2},
		{"err-zero-requests", "gate --stats testdata/zero_stats.csv", 2},
		{"analyze-zero-requests", "analyze --stats testdata/zero_stats.csv", 0},
		{"help-gate", "gate --help", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(strings.Fields(tt.args), strings.NewReader(""), &out, &errOut)
			if code != tt.exit {
				t.Errorf("exit %d, want %d\nstderr: %s", code, tt.exit, errOut.String())
			}
			got := fmt.Sprintf("$ loadgate %s\n# exit %d\n# stdout\n%s# stderr\n%s", tt.args, code, out.String(), errOut.String())
			golden := filepath.Join("testdata", "golden", tt.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, diff(string(want), got))
			}
		})
	}
}

// diff shows the first differing line.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant %q\n got %q", i+1, a, b)
		}
	}
	return ""
}

func TestReportFile(t *testing.T) {
	report := filepath.Join(t.TempDir(), "gate.md")
	var out, errOut bytes.Buffer
	code := run([]string{"gate", "--csv", runs + "errors-5/load-test", "--config", "../../examples/loadgate.yaml",
		"--report", report}, strings.NewReader(""), &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	md, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(md), "<!-- loadgate: gate -->\n## ❌ loadgate FAIL: 1 failed") || !strings.Contains(string(md), "| Error rate | run | (run) | 2.34% |") {
		t.Errorf("report:\n%s", md)
	}
}

func TestInitWritesFileOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loadgate.yaml")
	args := []string{"init", "--csv", runs + "base-a/load-test", "-o", path}
	var out, errOut bytes.Buffer
	if code := run(args, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	// The starter must be a valid configuration the gate accepts.
	if code := run([]string{"gate", "--csv", runs + "base-a/load-test", "--config", path},
		strings.NewReader(""), &out, &errOut); code != 1 {
		t.Errorf("gate with the starter config: exit %d, want 1 (throughput below the default table)", code)
	}
	errOut.Reset()
	if code := run(args, strings.NewReader(""), &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "use --force") {
		t.Errorf("second init: exit %d, %s", code, errOut.String())
	}
}

// TestGenerateThenGate writes simulated runs and gates them: the default
// scenario passes the stand-in's example targets, an injected 5% error
// rate on writes fails them, and the same seed writes the same bytes.
func TestGenerateThenGate(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, extra ...string) string {
		prefix := filepath.Join(dir, name, "load-test")
		args := append([]string{"generate", "--out", prefix, "--full-history", "--seed", "11"}, extra...)
		var out, errOut bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Fatalf("generate %v: exit %d: %s", extra, code, errOut.String())
		}
		return prefix
	}
	gateExit := func(prefix string) (int, string) {
		var out, errOut bytes.Buffer
		code := run([]string{"gate", "--csv", prefix, "--config", "../../examples/loadgate.yaml",
			"--metric", "cache_hit_rate=0.97"}, strings.NewReader(""), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	base := gen("base")
	if code, out := gateExit(base); code != 0 {
		t.Errorf("baseline: exit %d\n%s", code, out)
	}
	bad := gen("errors", "--inject", "errors:rate=5%;match=POST *")
	if code, out := gateExit(bad); code != 1 || !strings.Contains(out, "Error rate") {
		t.Errorf("5%% failing writes: exit %d\n%s", code, out)
	}
	again := gen("again")
	for _, suffix := range []string{"_stats.csv", "_stats_history.csv", "_failures.csv"} {
		a, _ := os.ReadFile(base + suffix)
		b, _ := os.ReadFile(again + suffix)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with one seed", suffix)
		}
	}

	var out, errOut bytes.Buffer
	if code := run([]string{"generate", "--out", filepath.Join(dir, "x"), "--inject", "slower:x=2"},
		strings.NewReader(""), &out, &errOut); code != 2 || !strings.Contains(errOut.String(), `kind "slower"`) {
		t.Errorf("bad --inject: exit %d, %s", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"generate", "--out", filepath.Join(dir, "y"), "--users", "0"},
		strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("--users 0: exit %d, %s", code, errOut.String())
	}
}

// TestBaselinesWorkflow saves a run, gates others against it, and works
// the store's commands, as a CI job would.
func TestBaselinesWorkflow(t *testing.T) {
	store := t.TempDir()
	lg := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(append(args, "--store", store), strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	code, out, errOut := lg("baselines", "save", "--csv", runs+"base-a/load-test", "--name", "main",
		"--branch", "main", "--commit", "0123456789abcdef", "--label", "env=ci")
	if code != 0 || !strings.HasPrefix(out, "saved main as ") {
		t.Fatalf("save: %d %s %s", code, out, errOut)
	}
	id := strings.Fields(out)[3]

	// The same settings again: no regression, exit 0.
	code, out, errOut = lg("gate", "--csv", runs+"base-b/load-test", "--config", "../../examples/loadgate.yaml",
		"--metric", "cache_hit_rate=0.97", "--baseline", "main")
	if code != 0 || !strings.Contains(out, "no regression against main") || !strings.Contains(out, "run-to-run noise is unknown") {
		t.Errorf("base-b against main: exit %d\n%s%s", code, out, errOut)
	}
	// Every server delay 25% longer: a regression on POST /submodels
	// fails the gate even though every target is still met.
	code, out, _ = lg("gate", "--csv", runs+"slow-25/load-test", "--config", "../../examples/loadgate.yaml",
		"--metric", "cache_hit_rate=0.97", "--baseline", "main")
	if code != 1 || !strings.Contains(out, "regressions against main") {
		t.Errorf("slow-25 against main: exit %d\n%s", code, out)
	}
	// An unknown name compares nothing and says so; the criteria decide.
	code, out, _ = lg("gate", "--csv", runs+"base-b/load-test", "--config", "../../examples/loadgate.yaml",
		"--metric", "cache_hit_rate=0.97", "--baseline", "release")
	if code != 0 || !strings.Contains(out, "no saved runs under release") {
		t.Errorf("unknown baseline: exit %d\n%s", code, out)
	}

	lg("baselines", "save", "--csv", runs+"slow-25/load-test", "--name", "main")
	code, out, _ = lg("baselines", "list", "--name", "main")
	if code != 0 || strings.Count(out, "main ") < 2 {
		t.Errorf("list: %d\n%s", code, out)
	}
	code, out, _ = lg("baselines", "show", id)
	if code != 0 || !strings.Contains(out, "commit 0123456789abcdef") || !strings.Contains(out, "label env=ci") {
		t.Errorf("show: %d\n%s", code, out)
	}
	code, out, _ = lg("baselines", "trend", "--name", "main", "--endpoint", "POST /submodels", "--metric", "p50")
	if code != 0 || !strings.Contains(out, "POST /submodels p50 over 2 runs of main") {
		t.Errorf("trend: %d\n%s", code, out)
	}
	if code, out, _ = lg("baselines", "mark", id); code != 0 || !strings.Contains(out, "marked as a new normal") {
		t.Errorf("mark: %d %s", code, out)
	}

	// A damaged document is named, and the rest still works.
	os.WriteFile(filepath.Join(store, "runs", "main", "20200101T000000.000Z-00000000.json"), []byte("{garbage"), 0o644)
	code, out, errOut = lg("baselines", "list")
	if code != 0 || !strings.Contains(errOut, "20200101T000000.000Z-00000000.json: not a loadgate run document") {
		t.Errorf("damaged: %d\n%s%s", code, out, errOut)
	}
	if code, out, _ = lg("baselines", "prune", "--name", "main", "--keep", "1"); code != 0 || !strings.Contains(out, "1 run removed") {
		t.Errorf("prune: %d %s", code, out)
	}
	if code, _, errOut = lg("baselines", "rm", "nope"); code != 2 || !strings.Contains(errOut, "no saved run") {
		t.Errorf("rm unknown: %d %s", code, errOut)
	}
	if code, _, errOut = lg("baselines", "save", "--csv", runs+"base-a/load-test"); code != 2 || !strings.Contains(errOut, "--name") {
		t.Errorf("save without a name: %d %s", code, errOut)
	}
	if code, _, errOut = lg("baselines", "prune", "--name", "main", "--older-than", "soon"); code != 2 {
		t.Errorf("bad --older-than: %d %s", code, errOut)
	}
}

// TestReportGoldens compares each report format of one gate with a
// golden file: markdown, JSON and JUnit.
func TestReportGoldens(t *testing.T) {
	store := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"baselines", "save", "--csv", runs + "base-a/load-test", "--name", "main", "--store", store},
		strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatal(errOut.String())
	}
	dir := t.TempDir()
	args := []string{"gate", "--csv", runs + "slow-25/load-test", "--config", "../../examples/loadgate.yaml",
		"--metric", "cache_hit_rate=0.97", "--baseline", "main", "--store", store, "--github", "off",
		"--report", filepath.Join(dir, "report.md"), "--json", filepath.Join(dir, "report.json"),
		"--junit", filepath.Join(dir, "report.xml")}
	if code := run(args, strings.NewReader(""), &out, &errOut); code != 1 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	// Saved-run IDs and the store's path change with every run.
	ids := regexp.MustCompile(`\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}`)
	for _, name := range []string{"report.md", "report.json", "report.xml"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got = ids.ReplaceAll(got, []byte("RUN-ID"))
		golden := filepath.Join("testdata", "golden", "gate-slow-25-"+name)
		if *update {
			os.WriteFile(golden, got, 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test -update creates it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", name, golden, diff(string(want), string(got)))
		}
	}
}

// TestGitHubActions: on GitHub Actions the markdown goes to the step
// summary and failures become annotations; --github off turns both off.
func TestGitHubActions(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	args := []string{"gate", "--csv", runs + "errors-5/load-test", "--config", "../../examples/loadgate.yaml"}
	var out, errOut bytes.Buffer
	if code := run(args, strings.NewReader(""), &out, &errOut); code != 1 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "::error title=loadgate%3A Error rate::run: error_rate is 2.34%25") {
		t.Errorf("no ::error annotation for the error rate:\n%s", errOut.String())
	}
	// The tables are printed with command processing stopped.
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	token := strings.TrimPrefix(lines[0], "::stop-commands::")
	if token == lines[0] || len(token) < 16 || lines[len(lines)-1] != "::"+token+"::" {
		t.Errorf("stdout not wrapped in stop-commands: first %q, last %q", lines[0], lines[len(lines)-1])
	}
	md, err := os.ReadFile(summary)
	if err != nil || !strings.HasPrefix(strings.TrimLeft(string(md), "\n"), "<!-- loadgate: gate -->") {
		t.Errorf("step summary: %v\n%s", err, md)
	}
	os.Remove(summary)
	out.Reset()
	errOut.Reset()
	run(append(args, "--github", "off"), strings.NewReader(""), &out, &errOut)
	if strings.Contains(errOut.String(), "::error") {
		t.Error("--github off still printed annotations")
	}
	if _, err := os.Stat(summary); err == nil {
		t.Error("--github off still wrote the step summary")
	}
}
