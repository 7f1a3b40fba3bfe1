package main

import (
	"slices"
	"strings"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/locust"
	"github.com/spf13/cobra"
)

// runFlags pick the files of a Locust run: a prefix, or explicit paths.
type runFlags struct {
	prefix string
	locust.Files
}

func (f *runFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.prefix, "csv", "", "the prefix given to locust --csv (finds PREFIX_stats.csv and the rest)")
	fl.StringVar(&f.Stats, "stats", "", "path of the _stats.csv (or 0.x _requests.csv) file")
	fl.StringVar(&f.History, "history", "", "path of the _stats_history.csv file")
	fl.StringVar(&f.Failures, "failures", "", "path of the _failures.csv file")
	fl.StringVar(&f.Exceptions, "exceptions", "", "path of the _exceptions.csv file")
	fl.StringVar(&f.Distribution, "distribution", "", "path of a 0.x _distribution.csv file")
}

// files resolves the flags to the run's files. Explicit paths win over
// what the prefix finds.
func (f *runFlags) files() (locust.Files, error) {
	if f.prefix == "" && f.Stats == "" {
		return locust.Files{}, usagef("no run given: use --csv PREFIX (as passed to locust --csv) or --stats FILE")
	}
	var found locust.Files
	if f.prefix != "" {
		var err error
		found, err = locust.FindFiles(f.prefix)
		if err != nil {
			return found, err
		}
	}
	for _, p := range []struct {
		dst *string
		src string
	}{
		{&found.Stats, f.Stats}, {&found.History, f.History}, {&found.Failures, f.Failures},
		{&found.Exceptions, f.Exceptions}, {&found.Distribution, f.Distribution},
	} {
		if p.src != "" {
			*p.dst = p.src
		}
	}
	return found, nil
}

// analyze resolves the run's files and analyses it.
func (f *runFlags) analyze() (*analyze.Report, error) {
	files, err := f.files()
	if err != nil {
		return nil, err
	}
	return analyze.Analyze(files)
}

// checkFormat rejects a --format value outside the allowed ones.
func checkFormat(got string, allowed ...string) error {
	if !slices.Contains(allowed, got) {
		return usagef("--format %q: want one of %s", got, strings.Join(allowed, ", "))
	}
	return nil
}
