package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/loadgate/loadgate/internal/chart"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/gate"
	"github.com/spf13/cobra"
)

// gateOptions are the flags of loadgate gate.
type gateOptions struct {
	run           runFlags
	config        string
	report        string
	format        string
	failOn        []string
	metrics       []string
	metricsBefore string
	metricsAfter  string

	json     string
	junit    string
	charts   chartFlags
	github   string
	reportID string

	store          storeFlag
	baseline       string
	baselineRuns   int
	baselineCommit string
}

func newGateCmd(s streams) *cobra.Command {
	opts := &gateOptions{}
	cmd := &cobra.Command{
		Use:   "gate --csv PREFIX",
		Short: "Judge a Locust run against performance targets; exit 1 when it fails",
		Long: `Judge a Locust run against the criteria of loadgate.yaml (or the built-in
targets when there is none) and exit with a code CI understands.

` + exitCodeHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(opts.format, "table", "markdown"); err != nil {
				return err
			}
			for _, f := range opts.failOn {
				if f != "fail" && f != "warn" && f != "unmeasured" {
					return usagef("--fail-on %q: want fail, warn or unmeasured", f)
				}
			}
			if (opts.metricsBefore == "") != (opts.metricsAfter == "") {
				return usagef("--metrics-before and --metrics-after go together")
			}
			if opts.baseline == "" && opts.baselineCommit != "" {
				return usagef("--baseline-commit needs --baseline NAME")
			}
			if opts.github != "auto" && opts.github != "on" && opts.github != "off" {
				return usagef("--github %q: want auto, on or off", opts.github)
			}
			if opts.baselineRuns < 1 {
				return usagef("--baseline-runs %d: want 1 or more", opts.baselineRuns)
			}
			return gateRun(s, opts)
		},
	}
	opts.run.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.config, "config", "", "criteria file (default: loadgate.yaml if present, else the built-in targets)")
	fl.StringVar(&opts.report, "report", "", "also write the verdict as markdown to `FILE` (for a PR comment)")
	fl.StringVar(&opts.format, "format", "table", "output format: table or markdown")
	fl.StringSliceVar(&opts.failOn, "fail-on", []string{"fail"}, "what fails the gate: fail, warn, unmeasured (comma-separated)")
	fl.StringArrayVar(&opts.metrics, "metric", nil, "value of an external metric, `NAME=VALUE` (e.g. cache_hit_rate=0.97); repeatable")
	fl.StringVar(&opts.metricsBefore, "metrics-before", "", "Prometheus text scrape of the service taken before the test")
	fl.StringVar(&opts.metricsAfter, "metrics-after", "", "Prometheus text scrape of the service taken after the test")
	fl.StringVar(&opts.json, "json", "", "also write every verdict and number as JSON to `FILE` (schema: docs/schema/gate-v1.schema.json)")
	opts.charts.register(cmd)
	fl.StringVar(&opts.junit, "junit", "", "also write JUnit XML to `FILE` for CI test reports")
	fl.StringVar(&opts.github, "github", "auto", "GitHub Actions output: auto (when GITHUB_ACTIONS=true), on or off")
	fl.StringVar(&opts.reportID, "report-id", "gate", "name in the markdown's hidden marker <!-- loadgate: NAME -->, to find and update an earlier comment")
	fl.StringVar(&opts.baseline, "baseline", "", "compare with the newest runs saved under `NAME` (see loadgate baselines)")
	fl.IntVar(&opts.baselineRuns, "baseline-runs", 5, "how many of the newest saved runs make the baseline")
	fl.StringVar(&opts.baselineCommit, "baseline-commit", "", "compare with the runs saved for this commit (e.g. the merge base)")
	opts.store.register(cmd)
	return cmd
}

func gateRun(s streams, opts *gateOptions) error {
	cfg, err := loadConfig(opts.config)
	if err != nil {
		return err
	}
	external, err := externalMetrics(cfg, opts)
	if err != nil {
		return err
	}
	rep, err := opts.run.analyze()
	if err != nil {
		return err
	}

	policy := gate.Policy{
		FailOnWarn:       slices.Contains(opts.failOn, "warn"),
		FailOnUnmeasured: slices.Contains(opts.failOn, "unmeasured"),
	}
	in := gate.Input{Report: rep, External: external}
	if opts.baseline != "" {
		runs, damaged, err := opts.store.open().List(opts.baseline)
		if err != nil {
			return err
		}
		warnDamaged(s, damaged)
		in.Baseline = baselines.Baseline(runs, opts.baselineRuns, opts.baselineCommit)
		if in.Baseline == nil {
			in.Baseline = []*baselines.Run{}
		}
		in.BaselineName = opts.baseline
		if opts.baselineCommit != "" {
			in.BaselineName += "@" + opts.baselineCommit
		}
	}
	res := gate.Evaluate(cfg, in, policy)
	// On a GitHub runner every line of output is read for workflow
	// commands; names from the run could forge one, so the reports are
	// printed with command processing stopped.
	resume := stopCommands(s)
	if opts.format == "markdown" {
		err = gate.WriteMarkdown(s.out, res, gate.MarkdownOptions{ID: opts.reportID})
	} else {
		err = gate.WriteText(s.out, res, isTerminal(s.out))
	}
	resume()
	if err != nil {
		return err
	}
	// Write every report asked for, even when one fails.
	err = errors.Join(writeReports(s, res, opts), opts.charts.write(gatePage(res)))
	if err != nil {
		return err
	}
	if res.NoData != "" {
		return fmt.Errorf("cannot judge %s: %s", res.Run, res.NoData)
	}
	if res.Failed() {
		return gateFailed{}
	}
	return nil
}

// loadConfig reads --config, or ./loadgate.yaml, or the defaults.
func loadConfig(path string) (*gate.Config, error) {
	explicit := path != ""
	if !explicit {
		path = "loadgate.yaml"
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		return gate.ParseConfig(data, path)
	case !explicit && errors.Is(err, fs.ErrNotExist):
		return gate.Default(), nil
	}
	return nil, fmt.Errorf("--config: %v", err)
}

// externalMetrics gathers --metric values and Prometheus scrapes.
func externalMetrics(cfg *gate.Config, opts *gateOptions) (map[string]gate.Measurement, error) {
	out := map[string]gate.Measurement{}
	if opts.metricsBefore != "" {
		before, err := readScrape(opts.metricsBefore)
		if err != nil {
			return nil, err
		}
		after, err := readScrape(opts.metricsAfter)
		if err != nil {
			return nil, err
		}
		for k, v := range gate.MeasureFromScrapes(cfg, before, after) {
			out[k] = v
		}
	}
	for _, m := range opts.metrics {
		name, v, err := gate.ParseMetricFlag(cfg, m)
		if err != nil {
			return nil, usageError{err}
		}
		out[name] = v
	}
	return out, nil
}

func readScrape(path string) (*gate.Scrape, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("metrics scrape: %v", err)
	}
	defer f.Close()
	return gate.ParseScrape(f, path)
}

// initOptions are the flags of loadgate init.
type initOptions struct {
	run   runFlags
	out   string
	force bool
}

func newInitCmd(s streams) *cobra.Command {
	opts := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init --csv PREFIX",
		Short: "Write a commented starter loadgate.yaml listing the run's endpoints",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return initRun(s, opts)
		},
	}
	opts.run.register(cmd)
	cmd.Flags().StringVarP(&opts.out, "output", "o", "loadgate.yaml", "where to write the file (- for stdout)")
	cmd.Flags().BoolVar(&opts.force, "force", false, "overwrite an existing file")
	return cmd
}

func initRun(s streams, opts *initOptions) error {
	rep, err := opts.run.analyze()
	if err != nil {
		return err
	}
	text := gate.Starter(rep)
	if opts.out == "-" {
		_, err := fmt.Fprint(s.out, text)
		return err
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if opts.force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(opts.out, flag, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usagef("%s exists: use --force to overwrite it", opts.out)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(s.err, "wrote %s with %d endpoints listed; edit its classes and levels\n", opts.out, len(rep.Endpoints))
	return nil
}

// writeReports writes the files asked for and, on GitHub Actions, the
// step summary and the annotations.
func writeReports(s streams, res *gate.Result, opts *gateOptions) error {
	md := gate.MarkdownOptions{ID: opts.reportID}
	files := []struct {
		flag, path string
		write      func(io.Writer) error
	}{
		{"report", opts.report, func(w io.Writer) error { return gate.WriteMarkdown(w, res, md) }},
		{"json", opts.json, func(w io.Writer) error { return gate.WriteJSON(w, res) }},
		{"junit", opts.junit, func(w io.Writer) error { return gate.WriteJUnit(w, res) }},
	}
	var errs []error
	for _, f := range files {
		if f.path == "" {
			continue
		}
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.WriteFile(f.path, b.Bytes(), 0o644); err != nil {
			errs = append(errs, fmt.Errorf("--%s: %v", f.flag, err))
		}
	}
	github := opts.github == "on" || (opts.github == "auto" && os.Getenv("GITHUB_ACTIONS") == "true")
	if !github {
		return errors.Join(errs...)
	}
	if summary := os.Getenv("GITHUB_STEP_SUMMARY"); summary != "" {
		errs = append(errs, appendSummary(summary, res, md))
	}
	// Annotations go to stderr, so that a report redirected from stdout
	// stays clean; the runner reads both.
	errs = append(errs, gate.WriteWorkflowCommands(s.err, res))
	return errors.Join(errs...)
}

// appendSummary appends the markdown to the step summary, on a line of
// its own.
func appendSummary(path string, res *gate.Result, md gate.MarkdownOptions) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("GITHUB_STEP_SUMMARY: %v", err)
	}
	_, werr := io.WriteString(f, "\n")
	if werr == nil {
		werr = gate.WriteMarkdown(f, res, md)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}

// stopCommands, on a GitHub runner, stops workflow-command processing
// until the returned function resumes it, with a token no run can know.
func stopCommands(s streams) func() {
	if os.Getenv("GITHUB_ACTIONS") != "true" {
		return func() {}
	}
	var b [12]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	fmt.Fprintf(s.out, "::stop-commands::%s\n", token)
	return func() { fmt.Fprintf(s.out, "::%s::\n", token) }
}

// gatePage is the gate's HTML page: the run's charts, the baseline's
// against the run, and the tables.
func gatePage(res *gate.Result) chart.Page {
	charts := chart.ForRun(res.Report, maxChartEndpoints)
	if len(res.Baseline) > 0 {
		charts = append(charts, chart.ForComparison(res, res.Baseline, baselines.FromReport(res.Report))...)
	}
	notes := res.Notes
	if res.Regression != nil {
		notes = append(append([]string{}, res.Regression.Notes...), notes...)
	}
	return chart.Page{
		Title:   "loadgate " + res.Headline(),
		Summary: []string{"run " + res.Run},
		Charts:  charts,
		Tables:  res.Tables(),
		Notes:   notes,
	}
}
