// Package chart draws loadgate's charts with gonum's plot package: the
// load and latency of a run over time, per endpoint, and a run's values
// against its baseline runs. Charts render as SVG (for self-contained
// HTML pages) and PNG (for CI artifacts).
package chart

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/gate"
	"github.com/loadgate/loadgate/internal/report"
)

// Series is a named line or set of points.
type Series struct {
	Name string
	X, Y []float64
}

// Chart is one titled plot.
type Chart struct {
	// File is a file-name stem, unique among a report's charts.
	File          string
	Title         string
	XLabel        string
	YLabel        string
	Lines, Points []Series
}

// Size is the size charts are drawn at.
var Size = struct{ W, H vg.Length }{18 * vg.Centimeter, 8 * vg.Centimeter}

// build draws the chart; NaN values are left out of each series.
func (c Chart) build() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = report.Cell(c.Title)
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	for i, s := range c.Lines {
		xys := points(s)
		if len(xys) == 0 {
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(report.Cell(s.Name), l)
	}
	for i, s := range c.Points {
		xys := points(s)
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		sc.Color = plotutil.Color(len(c.Lines) + i)
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(4)
		p.Add(sc)
		p.Legend.Add(report.Cell(s.Name), sc)
	}
	// Start the value axis at zero, so that a change looks its size.
	p.Y.Min = 0
	if len(c.Points) > 0 {
		maxX := 1.0
		for _, s := range c.Points {
			for _, x := range s.X {
				maxX = math.Max(maxX, x)
			}
		}
		p.X.Min, p.X.Max = 0.5, maxX+0.5
		var ticks []plot.Tick
		for i := 1.0; i <= maxX; i++ {
			ticks = append(ticks, plot.Tick{Value: i, Label: strconv.Itoa(int(i))})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		p.Legend.Top, p.Legend.Left = false, true
	}
	p.Y.Max *= 1.15 // room for the legend above the lines
	return p, nil
}

func points(s Series) plotter.XYs {
	var xys plotter.XYs
	for i := range s.X {
		if i < len(s.Y) && !math.IsNaN(s.X[i]) && !math.IsNaN(s.Y[i]) && !math.IsInf(s.Y[i], 0) {
			xys = append(xys, plotter.XY{X: s.X[i], Y: s.Y[i]})
		}
	}
	return xys
}

// Write renders the chart as "svg" or "png".
func (c Chart) Write(w io.Writer, format string) error {
	p, err := c.build()
	if err != nil {
		return fmt.Errorf("chart %q: %v", c.Title, err)
	}
	wt, err := p.WriterTo(Size.W, Size.H, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// ForRun charts a run: throughput and users over time, the Aggregated
// latency percentiles, and the latency of the busiest endpoints (at most
// maxEndpoints). It needs the history; without one it returns nothing.
func ForRun(rep *analyze.Report, maxEndpoints int) []Chart {
	if rep.TotalSeries == nil || rep.TotalSeries.Len() == 0 {
		return nil
	}
	pts := rep.TotalSeries.Points()
	t0 := float64(pts[0].T)
	xs := func(ps []analyze.Point) []float64 {
		out := make([]float64, len(ps))
		for i, p := range ps {
			out[i] = float64(p.T) - t0
		}
		return out
	}
	field := func(ps []analyze.Point, f func(analyze.Point) float64) []float64 {
		out := make([]float64, len(ps))
		for i, p := range ps {
			out[i] = f(p)
		}
		return out
	}
	x := xs(pts)
	charts := []Chart{
		{File: "load", Title: "Throughput (10 s window)", XLabel: "seconds", YLabel: "requests/s",
			Lines: []Series{{"requests/s", x, field(pts, func(p analyze.Point) float64 { return p.RPS })}}},
		{File: "users", Title: "Users", XLabel: "seconds", YLabel: "users",
			Lines: []Series{{"users", x, field(pts, func(p analyze.Point) float64 { return float64(p.Users) })}}},
		latencyChart("latency-aggregated", "Latency, all endpoints", pts, t0),
	}

	eps := append([]analyze.Endpoint(nil), rep.Endpoints...)
	sort.SliceStable(eps, func(i, j int) bool { return eps[i].Requests > eps[j].Requests })
	for i, e := range eps {
		if i == maxEndpoints {
			break
		}
		if e.Series == nil || e.Series.Len() == 0 {
			continue
		}
		charts = append(charts, latencyChart(fmt.Sprintf("latency-%02d-%s", i+1, slug(e.Label())), "Latency, "+e.Label(), e.Series.Points(), t0))
	}
	return charts
}

func latencyChart(file, title string, pts []analyze.Point, t0 float64) Chart {
	x := make([]float64, len(pts))
	p50, p95, p99 := make([]float64, len(pts)), make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		x[i] = float64(p.T) - t0
		p50[i], p95[i], p99[i] = p.P50, p.P95, p.P99
	}
	return Chart{File: file, Title: title, XLabel: "seconds", YLabel: "ms",
		Lines: []Series{{"p50", x, p50}, {"p95", x, p95}, {"p99", x, p99}}}
}

// maxComparisonCharts bounds the baseline charts of one page.
const maxComparisonCharts = 20

// ForComparison charts the compared latency metrics of the Aggregated
// row, and of every endpoint with a regression or an improvement: the
// baseline runs' values, oldest first, then the current run's.
func ForComparison(res *gate.Result, base []*baselines.Run, current *baselines.Run) []Chart {
	rg := res.Regression
	if rg == nil || len(base) == 0 {
		return nil
	}
	type key struct{ endpoint, metric string }
	want := map[key]bool{}
	var order []key
	for _, c := range rg.Comparisons {
		k := key{c.Endpoint, c.Metric}
		if c.Unit == "ratio" || want[k] {
			continue
		}
		if c.Endpoint == "Aggregated" || c.Verdict == gate.Regression || c.Verdict == gate.Improvement {
			want[k] = true
			order = append(order, k)
		}
	}
	// Enough charts to see what moved; the tables hold the rest.
	if len(order) > maxComparisonCharts {
		order = order[:maxComparisonCharts]
	}
	var charts []Chart
	for i, k := range order {
		var bx, by []float64
		for j, b := range base {
			if v, ok := metricOf(b, k.endpoint, k.metric); ok {
				bx, by = append(bx, float64(j+1)), append(by, v)
			}
		}
		cv, _ := metricOf(current, k.endpoint, k.metric)
		unit := "ms"
		if k.metric == "rps" {
			unit = "requests/s"
		}
		charts = append(charts, Chart{
			File: fmt.Sprintf("baseline-%02d-%s-%s", i+1, slug(k.endpoint), k.metric), Title: fmt.Sprintf("%s %s against %s", k.endpoint, k.metric, rg.Name),
			XLabel: "baseline runs, oldest first; then this run", YLabel: unit,
			Points: []Series{{"baseline runs", bx, by}, {"this run", []float64{float64(len(base) + 1)}, []float64{cv}}},
		})
	}
	return charts
}

func metricOf(r *baselines.Run, endpoint, metric string) (float64, bool) {
	e := &r.Total
	if endpoint != "Aggregated" {
		e = nil
		for i := range r.Endpoints {
			if gateLabel(&r.Endpoints[i]) == endpoint {
				e = &r.Endpoints[i]
			}
		}
		if e == nil {
			return 0, false
		}
	}
	v, _, ok := gate.LogValue(e, metric)
	return math.Exp(v), ok
}

func gateLabel(e *baselines.Endpoint) string {
	return (&analyze.Endpoint{Type: e.Type, Name: e.Name}).Label()
}

// slug makes a short file-name part of an endpoint name: letters and
// digits kept, runs of anything else turned into one dash.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
