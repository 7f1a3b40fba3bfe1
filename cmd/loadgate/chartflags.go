package main

import (
	"bytes"
	"os"

	"github.com/loadgate/loadgate/internal/chart"
	"github.com/spf13/cobra"
)

// maxChartEndpoints is how many of the busiest endpoints get a latency
// chart.
const maxChartEndpoints = 10

// chartFlags are --html and --plots.
type chartFlags struct {
	html  string
	plots string
}

func (f *chartFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.html, "html", "", "also write a self-contained HTML page with charts to `FILE`")
	cmd.Flags().StringVar(&f.plots, "plots", "", "also write the charts as SVG and PNG files into `DIR`")
}

func (f *chartFlags) write(p chart.Page) error {
	if f.html != "" {
		var b bytes.Buffer
		if err := p.WriteHTML(&b); err != nil {
			return err
		}
		if err := os.WriteFile(f.html, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if f.plots != "" {
		return chart.WriteFiles(f.plots, p.Charts)
	}
	return nil
}
