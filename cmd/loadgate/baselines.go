package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/gate"
	"github.com/loadgate/loadgate/internal/report"
	"github.com/spf13/cobra"
)

// storeFlag is the --store flag shared by the commands that use the
// baseline store.
type storeFlag struct{ dir string }

func (f *storeFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.dir, "store", "", "baseline store directory (default $LOADGATE_STORE, else "+baselines.DefaultDir+")")
}

func (f *storeFlag) open() *baselines.Store {
	dir := f.dir
	if dir == "" {
		dir = os.Getenv("LOADGATE_STORE")
	}
	if dir == "" {
		dir = baselines.DefaultDir
	}
	return baselines.Open(dir)
}

// warnDamaged names the documents of the store that could not be read.
func warnDamaged(s streams, damaged []baselines.Damaged) {
	for _, d := range damaged {
		fmt.Fprintf(s.err, "loadgate: warning: skipped a damaged baseline document: %s\n", report.Text(d.Error()))
	}
}

func newBaselinesCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baselines",
		Short: "Keep past runs for comparison and trends",
		Long: `Keep past runs in a baseline store: a directory (` + baselines.DefaultDir + ` by default, or
--store DIR, or $LOADGATE_STORE) of JSON documents, one per run, that can be
committed or cached in CI. gate --baseline NAME compares a run with the
newest runs saved under NAME.`,
	}
	cmd.AddCommand(newBaselinesSaveCmd(s), newBaselinesListCmd(s), newBaselinesShowCmd(s),
		newBaselinesRmCmd(s), newBaselinesPruneCmd(s), newBaselinesMarkCmd(s), newBaselinesTrendCmd(s))
	return cmd
}

type saveOptions struct {
	run       runFlags
	store     storeFlag
	name      string
	branch    string
	commit    string
	labels    []string
	newNormal bool
}

func newBaselinesSaveCmd(s streams) *cobra.Command {
	opts := &saveOptions{}
	cmd := &cobra.Command{
		Use:   "save --csv PREFIX --name NAME",
		Short: "Save a run under a name",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := baselines.CheckName(opts.name); err != nil {
				return usagef("--name: %v", err)
			}
			labels := map[string]string{}
			for _, l := range opts.labels {
				k, v, ok := strings.Cut(l, "=")
				if !ok || k == "" {
					return usagef("--label %q: want KEY=VALUE", l)
				}
				labels[k] = v
			}
			rep, err := opts.run.analyze()
			if err != nil {
				return err
			}
			if rep.Requests == 0 {
				return fmt.Errorf("cannot save %s: the run made no requests", rep.Files.Stats)
			}
			run := baselines.FromReport(rep)
			run.Name, run.Branch, run.Commit, run.NewNormal = opts.name, opts.branch, opts.commit, opts.newNormal
			if len(labels) > 0 {
				run.Labels = labels
			}
			st := opts.store.open()
			id, err := st.Save(run)
			if err != nil {
				return err
			}
			fmt.Fprintf(s.out, "saved %s as %s in %s\n", report.Text(opts.name), id, st.Dir)
			return nil
		},
	}
	opts.run.register(cmd)
	opts.store.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.name, "name", "", "name to save the run under, such as main")
	fl.StringVar(&opts.branch, "branch", "", "branch the run tested")
	fl.StringVar(&opts.commit, "commit", "", "commit the run tested")
	fl.StringArrayVar(&opts.labels, "label", nil, "a KEY=VALUE label (repeatable)")
	fl.BoolVar(&opts.newNormal, "new-normal", false, "start a new normal: older runs stop counting as the baseline")
	return cmd
}

func newBaselinesListCmd(s streams) *cobra.Command {
	var store storeFlag
	var name string
	cmd := &cobra.Command{
		Use:   "list [--name NAME]",
		Short: "List saved runs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			runs, damaged, err := store.open().List(name)
			if err != nil {
				return err
			}
			warnDamaged(s, damaged)
			t := report.Table{Headers: []string{"Name", "ID", "Saved", "Branch", "Commit", "Users", "Requests", "Error %", "Note"},
				Right: []bool{false, false, false, false, false, true, true, true}}
			for _, r := range runs {
				note := ""
				if r.NewNormal {
					note = "new normal"
				}
				t.Rows = append(t.Rows, []string{r.Name, r.ID, r.SavedAt.Format(time.DateTime), r.Branch, shortCommit(r.Commit),
					fmt.Sprint(r.PeakUsers), fmt.Sprint(r.Total.Requests),
					analyze.Percent(float64(r.Total.Failures) / float64(max(r.Total.Requests, 1))), note})
			}
			if len(runs) == 0 {
				fmt.Fprintf(s.err, "no saved runs in %s\n", store.open().Dir)
				return nil
			}
			return report.WriteText(s.out, t, isTerminal(s.out))
		},
	}
	store.register(cmd)
	cmd.Flags().StringVar(&name, "name", "", "list only the runs of this name")
	return cmd
}

func shortCommit(c string) string {
	if len(c) > 10 {
		return c[:10]
	}
	return c
}

func newBaselinesShowCmd(s streams) *cobra.Command {
	var store storeFlag
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a saved run",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			run, path, err := store.open().Find(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(s.out, "%s  %s (saved %s from %s; Locust %s; %d users, %.0f s)\n",
				run.ID, report.Text(run.Name), run.SavedAt.Format(time.DateTime), report.Text(run.Source),
				run.Locust, run.PeakUsers, float64(run.Duration))
			if run.Branch != "" || run.Commit != "" {
				fmt.Fprintf(s.out, "branch %s, commit %s\n", report.Text(run.Branch), report.Text(run.Commit))
			}
			var keys []string
			for k := range run.Labels {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(s.out, "label %s=%s\n", report.Text(k), report.Text(run.Labels[k]))
			}
			fmt.Fprintf(s.out, "file %s\n\n", report.Text(path))
			t := report.Table{Headers: []string{"Type", "Name", "Requests", "Failures", "p50", "p95", "p99", "Steady req/s"},
				Right: []bool{false, false, true, true, true, true, true, true}}
			for _, e := range append(append([]baselines.Endpoint{}, run.Endpoints...), run.Total) {
				p50, _ := e.Percentile(0.5)
				p95, _ := e.Percentile(0.95)
				p99, _ := e.Percentile(0.99)
				t.Rows = append(t.Rows, []string{e.Type, e.Name, fmt.Sprint(e.Requests), fmt.Sprint(e.Failures),
					analyze.Millis(p50), analyze.Millis(p95), analyze.Millis(p99), analyze.Rate(e.Steady.RPS())})
			}
			return report.WriteText(s.out, t, isTerminal(s.out))
		},
	}
	store.register(cmd)
	return cmd
}

func newBaselinesRmCmd(s streams) *cobra.Command {
	var store storeFlag
	cmd := &cobra.Command{
		Use:   "rm ID…",
		Short: "Remove saved runs",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st := store.open()
			for _, id := range args {
				run, err := st.Remove(id)
				if err != nil {
					return err
				}
				fmt.Fprintf(s.out, "removed %s (%s)\n", run.ID, report.Text(run.Name))
			}
			return nil
		},
	}
	store.register(cmd)
	return cmd
}

func newBaselinesPruneCmd(s streams) *cobra.Command {
	var store storeFlag
	var name, older string
	var keep int
	cmd := &cobra.Command{
		Use:   "prune --name NAME (--keep N | --older-than 30d)",
		Short: "Remove old runs of a name",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if name == "" {
				return usagef("--name is required")
			}
			var age time.Duration
			if older != "" {
				var err error
				if age, err = parseAge(older); err != nil {
					return usagef("--older-than %q: %v", older, err)
				}
			}
			if keep <= 0 && age == 0 {
				return usagef("give --keep N (N ≥ 1) or --older-than AGE")
			}
			removed, err := store.open().Prune(name, keep, age)
			for _, r := range removed {
				fmt.Fprintf(s.out, "removed %s\n", r.ID)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(s.out, "%d run%s removed\n", len(removed), map[bool]string{true: "", false: "s"}[len(removed) == 1])
			return nil
		},
	}
	store.register(cmd)
	cmd.Flags().StringVar(&name, "name", "", "the name whose runs to prune")
	cmd.Flags().IntVar(&keep, "keep", 0, "keep the newest N runs")
	cmd.Flags().StringVar(&older, "older-than", "", "remove runs older than this, such as 30d or 12h")
	return cmd
}

// parseAge reads a Go duration or a number of days ("30d").
func parseAge(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		var n float64
		if _, err := fmt.Sscanf(d, "%g", &n); err != nil || n <= 0 {
			return 0, fmt.Errorf("want a number of days such as 30d")
		}
		return time.Duration(n * 24 * float64(time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want an age such as 30d or 12h")
	}
	return d, nil
}

func newBaselinesMarkCmd(s streams) *cobra.Command {
	var store storeFlag
	var clear bool
	cmd := &cobra.Command{
		Use:   "mark ID",
		Short: "Mark a saved run as the start of a new normal (older runs stop counting)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			run, err := store.open().MarkNewNormal(args[0], !clear)
			if err != nil {
				return err
			}
			state := "marked as a new normal"
			if clear {
				state = "no longer a new normal"
			}
			fmt.Fprintf(s.out, "%s (%s) %s\n", run.ID, report.Text(run.Name), state)
			return nil
		},
	}
	store.register(cmd)
	cmd.Flags().BoolVar(&clear, "clear", false, "remove the mark")
	return cmd
}

func newBaselinesTrendCmd(s streams) *cobra.Command {
	var store storeFlag
	var name, endpoint, metric, config string
	cmd := &cobra.Command{
		Use:   "trend --name NAME [--endpoint E] [--metric p95]",
		Short: "Show a metric over the saved runs of a name, and where its level shifted",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if name == "" {
				return usagef("--name is required")
			}
			cfg, err := loadConfig(config)
			if err != nil {
				return err
			}
			runs, damaged, err := store.open().List(name)
			if err != nil {
				return err
			}
			warnDamaged(s, damaged)
			if len(runs) == 0 {
				return fmt.Errorf("no saved runs under %q in %s", name, store.open().Dir)
			}
			pts, err := gate.Trend(cfg, runs, endpoint, metric)
			if err != nil {
				return usageError{err}
			}
			var values []float64
			for _, p := range pts {
				values = append(values, p.Value)
			}
			ep := endpoint
			if ep == "" {
				ep = "Aggregated"
			}
			fmt.Fprintf(s.out, "%s %s over %d runs of %s: %s\n\n", report.Text(ep), metric, len(pts), report.Text(name), gate.Sparkline(values))
			unit := "ms"
			if metric == "rps" {
				unit = "rps"
			}
			t := report.Table{Headers: []string{"Run", "Saved", "Commit", metric, "Level shift"},
				Right: []bool{false, false, false, true}}
			for _, p := range pts {
				shift := map[string]string{"up": "↑ up", "down": "↓ down"}[p.Shift]
				t.Rows = append(t.Rows, []string{p.ID, p.SavedAt.Format(time.DateTime), shortCommit(p.Commit),
					gate.FormatValue(p.Value, unit), shift})
			}
			return report.WriteText(s.out, t, isTerminal(s.out))
		},
	}
	store.register(cmd)
	cmd.Flags().StringVar(&name, "name", "", "the baseline name")
	cmd.Flags().StringVar(&endpoint, "endpoint", "", "endpoint name or \"TYPE NAME\" (default: the Aggregated row)")
	cmd.Flags().StringVar(&metric, "metric", "p95", "p50…p99.9 or rps")
	cmd.Flags().StringVar(&config, "config", "", "loadgate.yaml whose regression section sets thresholds and noise")
	return cmd
}
