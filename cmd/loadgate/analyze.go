package main

import (
	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/chart"
	"github.com/spf13/cobra"
)

// analyzeOptions are the flags of loadgate analyze.
type analyzeOptions struct {
	run    runFlags
	format string
	charts chartFlags
}

func newAnalyzeCmd(s streams) *cobra.Command {
	opts := &analyzeOptions{}
	cmd := &cobra.Command{
		Use:   "analyze --csv PREFIX",
		Short: "Explain a Locust run: load shape, per-endpoint latency and errors, failures",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(opts.format, "table", "markdown", "json"); err != nil {
				return err
			}
			return analyzeRun(s, opts)
		},
	}
	opts.run.register(cmd)
	cmd.Flags().StringVar(&opts.format, "format", "table", "output format: table, markdown or json")
	opts.charts.register(cmd)
	return cmd
}

func analyzeRun(s streams, opts *analyzeOptions) error {
	rep, err := opts.run.analyze()
	if err != nil {
		return err
	}
	resume := stopCommands(s)
	err = analyze.Write(s.out, rep, analyze.Format(opts.format), isTerminal(s.out))
	resume()
	if err != nil {
		return err
	}
	return opts.charts.write(chart.Page{
		Title:   "loadgate analyze: " + rep.Files.Stats,
		Summary: rep.SummaryLines(),
		Charts:  chart.ForRun(rep, maxChartEndpoints),
		Tables:  rep.Tables(),
		Notes:   rep.Notes,
	})
}
