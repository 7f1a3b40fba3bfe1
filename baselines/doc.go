package baselines

import (
	"encoding/json"
	"math"
	"time"
	"unicode/utf8"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/report"
)

// Schema is the version of the run document. Documents of another
// version are reported, not guessed at.
const Schema = 1

// Run is one saved run: what comparisons need, and where it came from.
// Times are milliseconds, rates per second.
type Run struct {
	Schema int    `json:"schema"`
	ID     string `json:"id"`
	Name   string `json:"name"`

	SavedAt time.Time         `json:"saved_at"`
	Branch  string            `json:"branch,omitempty"`
	Commit  string            `json:"commit,omitempty"`
	Labels  map[string]string `json:"labels,omitempty"`
	// NewNormal marks the first run after an intended change: runs saved
	// before it no longer count as the baseline.
	NewNormal bool `json:"new_normal,omitempty"`

	Source    string    `json:"source"` // the stats file it was read from
	Locust    string    `json:"locust_version"`
	Start     time.Time `json:"start,omitzero"`
	PeakUsers int64     `json:"peak_users"` // -1 when unknown
	Duration  Num       `json:"duration_s"`

	Endpoints []Endpoint `json:"endpoints"`
	Total     Endpoint   `json:"aggregated"`
}

// Endpoint is one endpoint's (or the Aggregated row's) figures.
type Endpoint struct {
	Type string `json:"type"`
	Name string `json:"name"`
	// RawType and RawName hold the exact bytes (base64) of a type or name
	// that is not valid UTF-8, which JSON strings cannot carry; Type and
	// Name then hold a readable escape.
	RawType     []byte       `json:"raw_type,omitempty"`
	RawName     []byte       `json:"raw_name,omitempty"`
	Requests    int64        `json:"requests"`
	Failures    int64        `json:"failures"`
	Median      Num          `json:"median_ms"`
	Average     Num          `json:"average_ms"`
	Max         Num          `json:"max_ms"`
	Percentiles []Percentile `json:"percentiles"`
	RPS         Num          `json:"rps"`
	// Steady is the steady state: requests and seconds (its throughput is
	// their ratio) and, when the history has 10 s window percentiles, the
	// window percentiles sampled every 10 s, so that the samples cover
	// disjoint windows.
	Steady *Steady `json:"steady,omitempty"`
}

// Percentile is one percentile column.
type Percentile struct {
	Fraction float64 `json:"p"`
	Value    Num     `json:"ms"`
}

// Steady is an endpoint's steady state.
type Steady struct {
	Requests int64   `json:"requests"`
	Failures int64   `json:"failures"`
	Seconds  float64 `json:"seconds"`
	T        []int64 `json:"t,omitempty"` // Unix seconds of the samples
	P50      []Num   `json:"p50,omitempty"`
	P95      []Num   `json:"p95,omitempty"`
	P99      []Num   `json:"p99,omitempty"`
}

// RPS is the steady-state throughput, NaN without a span.
func (s *Steady) RPS() float64 {
	if s == nil || s.Seconds <= 0 {
		return math.NaN()
	}
	return float64(s.Requests) / s.Seconds
}

// MarshalJSON keeps names that are not valid UTF-8 exact.
func (e Endpoint) MarshalJSON() ([]byte, error) {
	type plain Endpoint
	p := plain(e)
	if !utf8.ValidString(p.Type) {
		p.RawType, p.Type = []byte(p.Type), report.Text(p.Type)
	}
	if !utf8.ValidString(p.Name) {
		p.RawName, p.Name = []byte(p.Name), report.Text(p.Name)
	}
	return json.Marshal(p)
}

// UnmarshalJSON restores exact names.
func (e *Endpoint) UnmarshalJSON(b []byte) error {
	type plain Endpoint
	if err := json.Unmarshal(b, (*plain)(e)); err != nil {
		return err
	}
	if e.RawType != nil {
		e.Type, e.RawType = string(e.RawType), nil
	}
	if e.RawName != nil {
		e.Name, e.RawName = string(e.RawName), nil
	}
	return nil
}

// Key identifies an endpoint across runs.
func (e *Endpoint) Key() string { return e.Type + "\x00" + e.Name }

// Percentile returns the column at fraction f.
func (e *Endpoint) Percentile(f float64) (float64, bool) {
	for _, p := range e.Percentiles {
		if math.Abs(p.Fraction-f) < 1e-9 {
			return float64(p.Value), !math.IsNaN(float64(p.Value))
		}
	}
	return math.NaN(), false
}

// Num is a float64 that is null in JSON when NaN or infinite.
type Num float64

// MarshalJSON writes null for NaN.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads null as NaN.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Num(f)
	return nil
}

// sampleEvery is the spacing of the steady-state samples: Locust's
// window is 10 s, so samples this far apart cover disjoint windows.
const sampleEvery = 10

// FromReport builds a run document from an analysis.
func FromReport(rep *analyze.Report) *Run {
	r := &Run{
		Schema:    Schema,
		Source:    rep.Files.Stats,
		Locust:    rep.Version,
		Start:     rep.Start,
		PeakUsers: rep.PeakUsers,
		Duration:  Num(rep.Duration),
	}
	for i := range rep.Endpoints {
		r.Endpoints = append(r.Endpoints, endpointOf(rep, &rep.Endpoints[i]))
	}
	r.Total = endpointOf(rep, &rep.Total)
	return r
}

func endpointOf(rep *analyze.Report, e *analyze.Endpoint) Endpoint {
	out := Endpoint{
		Type: e.Type, Name: e.Name, Requests: e.Requests, Failures: e.Failures,
		Median: Num(e.Median), Average: Num(e.Average), Max: Num(e.Max), RPS: Num(e.RPS),
	}
	for i, p := range rep.Percentiles {
		if i < len(e.Percentiles) {
			out.Percentiles = append(out.Percentiles, Percentile{p.Fraction, Num(e.Percentiles[i])})
		}
	}
	if rep.Steady == nil || e.Series == nil {
		return out
	}
	from, to := rep.Steady.Start.Unix(), rep.Steady.End.Unix()
	a, okA := e.Series.AtOrAfter(from)
	b, okB := e.Series.AtOrBefore(to)
	if !okA || !okB || b.T <= a.T {
		return out
	}
	st := &Steady{Requests: b.Requests - a.Requests, Failures: b.Failures - a.Failures, Seconds: float64(b.T - a.T)}
	out.Steady = st
	if !rep.WindowPercentiles {
		// Cumulative percentiles are no samples of the steady state.
		return out
	}
	next := a.T + sampleEvery
	for _, p := range e.Series.Points() {
		if p.T < next || p.T > to {
			continue
		}
		st.T = append(st.T, p.T)
		st.P50 = append(st.P50, Num(p.P50))
		st.P95 = append(st.P95, Num(p.P95))
		st.P99 = append(st.P99, Num(p.P99))
		next = p.T + sampleEvery
	}
	return out
}
