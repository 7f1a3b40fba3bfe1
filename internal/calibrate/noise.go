// Package calibrate measures what the regression gate must know about
// run-to-run variation, and checks the gate's error rates by simulation.
//
// Noise estimates the spread of each metric between repeated real runs of
// the same settings, beyond the sampling error within each run. Simulate
// runs many A/A comparisons (no change) and A/B comparisons (an injected
// change) with generate and counts how often the gate reports a
// regression.
package calibrate

import (
	"fmt"
	"math"
	"sort"

	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/gate"
	"github.com/loadgate/loadgate/internal/locust"
	"github.com/loadgate/loadgate/internal/stats"
)

// SeriesNoise is the spread of one endpoint's metric over repeated runs.
type SeriesNoise struct {
	Endpoint string
	Metric   string
	Runs     int
	Mean     float64 // geometric mean of the values
	// Total is the standard deviation of the log value between runs;
	// Within the root mean sampling variance inside a run; Between the
	// part left for run-to-run variation, √max(Total² − Within², 0).
	Total, Within, Between float64
}

// MetricNoise pools the series of one metric.
type MetricNoise struct {
	Metric  string
	Series  int
	Between float64 // pooled run-to-run spread (log scale)
	Total   float64 // pooled spread including sampling error
}

// NoiseReport is what Noise measured.
type NoiseReport struct {
	Runs    int
	Series  []SeriesNoise
	Metrics []MetricNoise
	// Common is the share of run-to-run variance of the latency metrics
	// that all endpoints share (a run that is slow everywhere), from the
	// average correlation between endpoints' deviations.
	Common float64
}

// Noise measures run-to-run spread over runs of the same settings. Series
// with too few requests in any run to place a percentile are left out.
func Noise(runs []*baselines.Run, metrics []string) (*NoiseReport, error) {
	if len(runs) < 3 {
		return nil, fmt.Errorf("%d runs: want at least 3 runs of the same settings", len(runs))
	}
	rep := &NoiseReport{Runs: len(runs)}
	devs := map[string][]float64{} // endpoint/metric → deviations from its mean, per run

	type key struct{ ep, label string }
	var keys []key
	for i := range runs[0].Endpoints {
		e := &runs[0].Endpoints[i]
		keys = append(keys, key{e.Key(), label(e)})
	}
	keys = append(keys, key{"total", "Aggregated"})
	find := func(r *baselines.Run, k string) *baselines.Endpoint {
		if k == "total" {
			return &r.Total
		}
		for i := range r.Endpoints {
			if r.Endpoints[i].Key() == k {
				return &r.Endpoints[i]
			}
		}
		return nil
	}
	for _, m := range metrics {
		var sumB, sumT, df float64
		n := 0
		for _, k := range keys {
			var vs, ws []float64
			for _, r := range runs {
				e := find(r, k.ep)
				if e == nil {
					break
				}
				v, w, ok := gate.LogValue(e, m)
				if !ok {
					break
				}
				vs, ws = append(vs, v), append(ws, w)
			}
			if len(vs) != len(runs) {
				continue
			}
			mean, total := stats.MeanVar(vs)
			within := 0.0
			for _, w := range ws {
				within += w
			}
			within /= float64(len(ws))
			between := math.Max(total-within, 0)
			rep.Series = append(rep.Series, SeriesNoise{Endpoint: k.label, Metric: m, Runs: len(vs),
				Mean: math.Exp(mean), Total: math.Sqrt(total), Within: math.Sqrt(within), Between: math.Sqrt(between)})
			d := float64(len(vs) - 1)
			sumB += d * between
			sumT += d * total
			df += d
			n++
			if m != "rps" && m != "error_rate" {
				dv := make([]float64, len(vs))
				for i, v := range vs {
					dv[i] = v - mean
				}
				devs[k.label+"\x00"+m] = dv
			}
		}
		if n > 0 {
			rep.Metrics = append(rep.Metrics, MetricNoise{Metric: m, Series: n,
				Between: math.Sqrt(sumB / df), Total: math.Sqrt(sumT / df)})
		}
	}
	rep.Common = commonShare(devs)
	return rep, nil
}

func label(e *baselines.Endpoint) string { return locust.Label(e.Type, e.Name) }

// commonShare averages the correlation between pairs of series'
// deviations: near 1 when runs are slow or fast everywhere at once, near
// 0 when each series varies on its own.
func commonShare(devs map[string][]float64) float64 {
	var names []string
	for k := range devs {
		names = append(names, k)
	}
	sort.Strings(names)
	sum, n := 0.0, 0
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			a, b := devs[names[i]], devs[names[j]]
			var sab, saa, sbb float64
			for r := range a {
				sab += a[r] * b[r]
				saa += a[r] * a[r]
				sbb += b[r] * b[r]
			}
			if saa > 0 && sbb > 0 {
				sum += sab / math.Sqrt(saa*sbb)
				n++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
