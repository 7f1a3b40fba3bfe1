package gate

import (
	"fmt"
	"math"
	"time"

	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/internal/stats"
)

// TrendPoint is one saved run's value of a metric.
type TrendPoint struct {
	ID      string
	SavedAt time.Time
	Commit  string
	Value   float64 // NaN when the run cannot place the metric
	// Shift is "up" or "down" when the level moved at this run: the run
	// differs from the runs since the previous shift (at most the five
	// before it) by the gate's test at level 0.01, and by the practical
	// size.
	Shift string
}

// trendAlpha is the level of the level-shift test: stricter than the
// gate's, since a trend tests every run.
const trendAlpha = 0.01

// Trend returns the history of endpoint's metric over runs (oldest
// first). endpoint is a name or "TYPE NAME"; "" or "Aggregated" is the
// whole run.
func Trend(cfg *Config, runs []*baselines.Run, endpoint, metric string) ([]TrendPoint, error) {
	if _, ok := percentileOf(metric); !ok && metric != "rps" {
		return nil, fmt.Errorf("metric %q: want p50…p99.9 or rps", metric)
	}
	var pts []TrendPoint
	var vs, ws []float64
	start := 0 // first run of the current level
	found := false
	for _, r := range runs {
		p := TrendPoint{ID: r.ID, SavedAt: r.SavedAt, Commit: r.Commit, Value: math.NaN()}
		e := pick(r, endpoint)
		if e != nil {
			found = true
			if v, w, ok := LogValue(e, metric); ok {
				p.Value = math.Exp(v)
				i := len(vs)
				from := max(start, i-5)
				if i-from >= 1 {
					tau := cfg.noiseFor(metric)
					sh, ok := stats.CompareToRuns(v, w, vs[from:i], ws[from:i],
						stats.Prior{Var: tau * tau, DF: cfg.regression.PriorDF}, 0.95)
					th := cfg.thresholdFor(metric)
					base := math.Exp(v - sh.Diff)
					if ok && sh.P <= trendAlpha && math.Abs(math.Exp(sh.Diff)-1) >= th.rel && math.Abs(p.Value-base) >= th.abs {
						p.Shift = "down"
						if sh.Diff > 0 {
							p.Shift = "up"
						}
						start = i
					}
				}
				vs, ws = append(vs, v), append(ws, w)
			}
		}
		pts = append(pts, p)
	}
	if !found {
		return nil, fmt.Errorf("no saved run has an endpoint %q", endpoint)
	}
	return pts, nil
}

func pick(r *baselines.Run, endpoint string) *baselines.Endpoint {
	if endpoint == "" || endpoint == "Aggregated" {
		return &r.Total
	}
	for i := range r.Endpoints {
		e := &r.Endpoints[i]
		if e.Name == endpoint || label(e) == endpoint || e.Type+" "+e.Name == endpoint {
			return e
		}
	}
	return nil
}

// Sparkline draws values as block characters from their minimum to their
// maximum; NaN is a space.
func Sparkline(values []float64) string {
	const bars = "▁▂▃▄▅▆▇█"
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	runes := []rune(bars)
	out := make([]rune, len(values))
	for i, v := range values {
		switch {
		case math.IsNaN(v):
			out[i] = ' '
		case hi == lo:
			out[i] = runes[len(runes)/2]
		default:
			out[i] = runes[int(math.Round((v-lo)/(hi-lo)*float64(len(runes)-1)))]
		}
	}
	return string(out)
}
