package gate

import (
	"fmt"
	"io"
	"math"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Scrape is a parsed Prometheus text-format exposition.
type Scrape struct {
	name     string
	families map[string]*dto.MetricFamily
}

// ParseScrape reads a Prometheus text-format scrape (what a /metrics
// endpoint serves) with the Prometheus project's own parser. name is used
// in messages.
func ParseScrape(r io.Reader, name string) (*Scrape, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("%s: not a Prometheus text-format scrape: %v", name, err)
	}
	return &Scrape{name: name, families: fams}, nil
}

// sum adds the values of every series the selector matches; ok is false
// when none does.
func (s *Scrape) sum(sel *Selector) (float64, bool) {
	fam := s.families[sel.Name]
	if fam == nil {
		return 0, false
	}
	total, found := 0.0, false
	for _, m := range fam.GetMetric() {
		if !labelsMatch(m.GetLabel(), sel.Labels) {
			continue
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		case m.Untyped != nil:
			total += m.Untyped.GetValue()
		default:
			continue
		}
		found = true
	}
	return total, found
}

func labelsMatch(have []*dto.LabelPair, want map[string]string) bool {
	for k, v := range want {
		ok := false
		for _, l := range have {
			if l.GetName() == k && l.GetValue() == v {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// MeasureFromScrapes computes each external metric that has a Prometheus
// source from the scrapes taken before and after the test. Counters are
// compared as increases; a counter that went down (the service
// restarted) leaves the metric not measured.
func MeasureFromScrapes(cfg *Config, before, after *Scrape) map[string]Measurement {
	out := map[string]Measurement{}
	for name, m := range cfg.Metrics {
		if m.Prometheus == nil {
			continue
		}
		out[name] = measureProm(m.Prometheus, before, after)
	}
	return out
}

func measureProm(p *PromSource, before, after *Scrape) Measurement {
	if p.Gauge != nil {
		v, ok := after.sum(p.Gauge)
		if !ok {
			return Measurement{Err: fmt.Sprintf("%s has no series %s", after.name, p.Gauge)}
		}
		return Measurement{Value: v, Source: "prometheus gauge " + p.Gauge.String()}
	}
	increase := func(sel *Selector) (float64, string) {
		a, okA := before.sum(sel)
		b, okB := after.sum(sel)
		switch {
		case !okA:
			return 0, fmt.Sprintf("%s has no series %s", before.name, sel)
		case !okB:
			return 0, fmt.Sprintf("%s has no series %s", after.name, sel)
		case b < a:
			return 0, fmt.Sprintf("counter %s went down from %g to %g between the scrapes (did the service restart?)", sel, a, b)
		}
		return b - a, ""
	}
	hits, why := increase(p.Hits)
	if why != "" {
		return Measurement{Err: why}
	}
	denom := 0.0
	if p.Total != nil {
		denom, why = increase(p.Total)
	} else {
		var misses float64
		misses, why = increase(p.Misses)
		denom = hits + misses
	}
	if why != "" {
		return Measurement{Err: why}
	}
	if denom <= 0 || math.IsNaN(denom) {
		return Measurement{Err: "the counters did not move between the scrapes: no lookups to rate"}
	}
	return Measurement{Value: hits / denom, Source: fmt.Sprintf("prometheus: %g of %g lookups", hits, denom)}
}
