// Package analyze explains a Locust run: what version wrote it, how the
// load was shaped (ramp-up, warm-up, steady state), and how each endpoint
// behaved (latency, errors, throughput), with the caveats that Locust's
// own recording imposes.
//
// Analyze reads a run found with locust.FindFiles. The stats, failures and
// exceptions files are small and read whole; the history file is
// streamed, and what is kept of it is bounded (see Series), so a history
// of any length is analysed in constant memory.
package analyze

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"github.com/loadgate/loadgate/internal/locust"
)

// Report is the analysis of one run. Times are milliseconds, rates per
// second, error rates fractions in [0, 1]. NaN means unknown.
type Report struct {
	Files locust.Files
	// Era is the layout family; Version narrows it with the evidence in
	// VersionWhy.
	Era        locust.Era
	Version    string
	VersionWhy []string

	// From the history, when there is one; zero otherwise.
	Start, End time.Time
	// Duration is the span of the requests in seconds: Requests/RPS of
	// the Aggregated row, which is Locust's own first-to-last-request
	// span, or the history's span when the stats have no rate. End is
	// Start plus Duration.
	Duration  float64
	PeakUsers int64  // -1 when unknown
	RampUp    *Phase // until the user count stops rising
	WarmUp    *Phase // after the ramp, until throughput settles
	Steady    *Phase // from the end of warm-up to the last row at peak users
	// WindowPercentiles tells whether the history's percentiles cover
	// Locust's 10 s window (true) or the run so far.
	WindowPercentiles bool
	HistoryRows       int64

	Requests  int64
	Failures  int64
	ErrorRate float64
	RPS       float64 // whole run, as Locust computes it

	Percentiles []locust.Percentile
	Endpoints   []Endpoint
	Total       Endpoint

	TopFailures []locust.Failure   // sorted by occurrences, most first
	Exceptions  []locust.Exception // sorted by count, most first
	TotalSeries *Series            // the Aggregated rows, thinned
	Notes       []string           // caveats, in the order found

	zeroAvgKnown, zeroAvgFloat bool // history fingerprint, see describeVersion
}

// Phase is a span of the run.
type Phase struct {
	Start, End time.Time
	Seconds    float64
	Users      int64   // user count at the end of the phase
	Requests   int64   // requests completed within the phase
	Failures   int64   // failures within the phase
	RPS        float64 // Requests / Seconds
}

// Endpoint is one row of the stats file with what the history adds.
type Endpoint struct {
	Type, Name string
	Requests   int64
	Failures   int64
	ErrorRate  float64
	Median     float64
	Average    float64
	Min, Max   float64
	RPS        float64 // whole run
	// SteadyRPS is the throughput within the steady state, from the full
	// history; NaN without per-endpoint history rows.
	SteadyRPS   float64
	Percentiles []float64 // aligned with Report.Percentiles
	Line        int
	// Series is the endpoint's history, thinned (see Series); nil
	// without history rows for it.
	Series *Series
}

// Label names the endpoint for people; see locust.Label.
func (e *Endpoint) Label() string { return locust.Label(e.Type, e.Name) }

// Percentile returns the value at fraction (0.95 for p95) and whether the
// run recorded it.
func (r *Report) Percentile(e *Endpoint, fraction float64) (float64, bool) {
	for i, p := range r.Percentiles {
		if math.Abs(p.Fraction-fraction) < 1e-9 && i < len(e.Percentiles) {
			return e.Percentiles[i], !math.IsNaN(e.Percentiles[i])
		}
	}
	return math.NaN(), false
}

// Analyze reads and explains the run in files.
func Analyze(files locust.Files) (*Report, error) {
	run, err := locust.Load(files)
	if err != nil {
		return nil, err
	}
	return FromRun(run)
}

// FromRun explains a loaded run, streaming its history.
func FromRun(run *locust.Run) (*Report, error) {
	st := run.Stats
	r := &Report{
		Files:       run.Files,
		Era:         st.Era,
		PeakUsers:   -1,
		Percentiles: st.Percentiles,
		TopFailures: sortedFailures(run.Failures),
		Exceptions:  sortedExceptions(run.Exceptions),
		Duration:    math.NaN(),
	}
	for i := range st.Entries {
		r.Endpoints = append(r.Endpoints, endpointOf(&st.Entries[i]))
	}
	switch {
	case st.Total != nil:
		r.Total = endpointOf(st.Total)
	case len(st.Entries) == 1:
		r.Total = endpointOf(&st.Entries[0])
		r.Total.Type, r.Total.Name = "", "Aggregated"
	default:
		r.Total = Endpoint{Name: "Aggregated", Median: math.NaN(),
			Average: math.NaN(), Min: math.NaN(), Max: math.NaN(), SteadyRPS: math.NaN()}
		// Locust's per-endpoint rates share one time span, so they add up.
		for _, e := range st.Entries {
			r.Total.Requests += e.Requests
			r.Total.Failures += e.Failures
			r.Total.RPS += e.RPS
		}
		r.Total.ErrorRate = ratio(r.Total.Failures, r.Total.Requests)
		r.note("the stats file has no Aggregated row: whole-run totals are sums of the endpoint rows, and whole-run latency is unknown")
	}
	r.Requests, r.Failures = r.Total.Requests, r.Total.Failures
	r.ErrorRate = ratio(r.Failures, r.Requests)
	r.RPS = r.Total.RPS

	if len(st.Entries) == 0 {
		r.note("the stats file lists no endpoints: Locust wrote it before any request finished")
	}
	if r.RPS > 0 && r.Requests > 0 {
		r.Duration = float64(r.Requests) / r.RPS
	}
	if err := r.readHistory(run); err != nil {
		return nil, err
	}
	r.describeVersion(run)
	r.addCaveats(run)
	return r, nil
}

func endpointOf(e *locust.Entry) Endpoint {
	return Endpoint{
		Type: e.Type, Name: e.Name,
		Requests: e.Requests, Failures: e.Failures, ErrorRate: e.ErrorRate(),
		Median: e.Median, Average: e.Average, Min: e.Min, Max: e.Max,
		RPS: e.RPS, SteadyRPS: math.NaN(), Percentiles: e.Percentiles, Line: e.Line,
	}
}

func ratio(a, b int64) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func (r *Report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

func sortedFailures(in []locust.Failure) []locust.Failure {
	out := append([]locust.Failure(nil), in...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Occurrences > out[j].Occurrences })
	return out
}

func sortedExceptions(in []locust.Exception) []locust.Exception {
	out := append([]locust.Exception(nil), in...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// readHistory streams the history once, keeping the Aggregated series
// and a thinned cumulative count per endpoint.
func (r *Report) readHistory(run *locust.Run) error {
	h, err := run.OpenHistory()
	if err != nil {
		return err
	}
	if h == nil {
		return nil
	}
	defer h.Close()

	total := NewSeries(1 << 15)
	per := map[seriesKey]*Series{}
	perRows := false
	var lastT int64
	for {
		row, err := h.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if row.Timestamp < lastT {
			return &locust.ParseError{File: h.File(), Line: row.Line, Column: "Timestamp",
				Msg: fmt.Sprintf("%d is before the previous row's %d: want rows in time order, as Locust writes them", row.Timestamp, lastT)}
		}
		lastT = row.Timestamp
		r.HistoryRows++
		p := Point{T: row.Timestamp, Users: row.Users, Requests: row.Requests,
			Failures: row.Failures, RPS: row.RPS}
		p.P50, _ = pick(h.Percentiles(), row.Percentiles, 0.50)
		p.P95, _ = pick(h.Percentiles(), row.Percentiles, 0.95)
		p.P99, _ = pick(h.Percentiles(), row.Percentiles, 0.99)
		if row.Total {
			total.Add(p)
			continue
		}
		perRows = true
		key := seriesKey{row.Type, row.Name}
		s := per[key]
		if s == nil {
			s = NewSeries(1 << 11)
			per[key] = s
		}
		s.Add(p)
	}
	r.TotalSeries = total
	r.Total.Series = total
	for i := range r.Endpoints {
		r.Endpoints[i].Series = per[seriesKey{r.Endpoints[i].Type, r.Endpoints[i].Name}]
	}
	r.zeroAvgFloat, r.zeroAvgKnown = h.ZeroAverageFloat()
	r.WindowPercentiles = h.Era() != locust.Era12 || perRows
	if z, ok := h.ZeroAverageFloat(); ok && h.Era() == locust.Era12 && !z && perRows {
		// 1.2–2.2.1 wrote whole-run percentiles even with full history;
		// 2.2.2–2.9 wrote window ones. The file cannot tell them apart.
		r.note("history percentiles may be cumulative rather than per 10 s window: Locust 1.2–2.2.1 wrote them that way")
	}
	if total.Len() == 0 {
		r.note("the history file has no Aggregated rows")
		return nil
	}
	r.shape(total)
	if r.Steady != nil && perRows {
		r.steadyPerEndpoint(per)
	}
	r.checkAgainstStats(total, per)
	if last := total.Last(); last.Requests < r.Requests {
		r.note("the history ends before the stats file: it counts %d of the %d requests (Locust before 2.46.3 may not flush the last seconds of history)",
			last.Requests, r.Requests)
	}
	return nil
}

// seriesKey identifies an endpoint's history rows; the reader interns
// names, so building one costs no allocation.
type seriesKey struct{ typ, name string }

// checkAgainstStats notes a history that counts more requests than the
// stats file: the two files are then not from the same run.
func (r *Report) checkAgainstStats(total *Series, per map[seriesKey]*Series) {
	if last := total.Last(); last.Requests > r.Requests {
		r.note("the history counts %d requests, more than the %d of the stats file: are the files from the same run?", last.Requests, r.Requests)
		return
	}
	for _, e := range r.Endpoints {
		if s := per[seriesKey{e.Type, e.Name}]; s != nil && s.Last().Requests > e.Requests {
			r.note("the history counts %d requests for %s, more than the %d of the stats file: are the files from the same run?",
				s.Last().Requests, e.Label(), e.Requests)
			return
		}
	}
}

func pick(ps []locust.Percentile, vals []float64, f float64) (float64, bool) {
	for i, p := range ps {
		if math.Abs(p.Fraction-f) < 1e-9 {
			return vals[i], !math.IsNaN(vals[i])
		}
	}
	return math.NaN(), false
}

// shape finds the ramp-up, warm-up and steady state in the Aggregated
// series.
func (r *Report) shape(s *Series) {
	pts := s.Points()
	first := -1 // first row with users or requests
	for i, p := range pts {
		if p.Users > 0 || p.Requests > 0 {
			first = i
			break
		}
	}
	if first < 0 {
		r.note("no user ever started in the history")
		return
	}
	last := pts[len(pts)-1]
	r.Start = time.Unix(pts[first].T, 0).UTC()
	r.End = time.Unix(last.T, 0).UTC()
	if span := float64(last.T - pts[first].T); math.IsNaN(r.Duration) || span > r.Duration {
		r.Duration = span
	} else {
		r.End = r.Start.Add(time.Duration(r.Duration * float64(time.Second)))
	}

	if pts[first].Users < 0 {
		r.note("this Locust version's history has no user count: ramp-up and steady state are unknown")
		return
	}
	peak, atPeak, lastPeak := int64(0), -1, -1
	for i := first; i < len(pts); i++ {
		switch u := pts[i].Users; {
		case u > peak:
			peak, atPeak, lastPeak = u, i, i
		case u == peak:
			lastPeak = i
		}
	}
	r.PeakUsers = peak
	if atPeak < 0 {
		return
	}
	r.RampUp = phase(pts[first], pts[atPeak])
	if lastPeak <= atPeak {
		r.note("the run never held its peak of %d users: there is no steady state", peak)
		return
	}
	settled := settle(pts[atPeak : lastPeak+1])
	if settled > 0 {
		r.WarmUp = phase(pts[atPeak], pts[atPeak+settled])
	}
	if atPeak+settled >= lastPeak {
		r.note("throughput never settled at peak users: there is no steady state")
		return
	}
	r.Steady = phase(pts[atPeak+settled], pts[lastPeak])
	if r.Steady.Seconds < 10 {
		r.note("the steady state lasts only %.0f s: steady-state figures are rough", r.Steady.Seconds)
	}
}

func phase(a, b Point) *Phase {
	ph := &Phase{
		Start:    time.Unix(a.T, 0).UTC(),
		End:      time.Unix(b.T, 0).UTC(),
		Seconds:  float64(b.T - a.T),
		Users:    b.Users,
		Requests: b.Requests - a.Requests,
		Failures: b.Failures - a.Failures,
	}
	ph.RPS = math.NaN()
	if ph.Seconds > 0 {
		ph.RPS = float64(ph.Requests) / ph.Seconds
	}
	return ph
}

// settle returns how many points of a plateau pass before throughput
// settles: the first point from which the next few seconds run at 90% or
// more of the plateau's median rate. Locust's rows are about a second
// apart, so rates come from the cumulative counts of neighbouring rows.
func settle(pts []Point) int {
	const span = 5 // seconds over which a rate is taken
	if len(pts) < 2*span {
		return 0
	}
	rate := func(i, j int) float64 {
		dt := float64(pts[j].T - pts[i].T)
		if dt <= 0 {
			return math.NaN()
		}
		return float64(pts[j].Requests-pts[i].Requests) / dt
	}
	var rates []float64
	for i := 0; i+1 < len(pts); i++ {
		if v := rate(i, i+1); !math.IsNaN(v) {
			rates = append(rates, v)
		}
	}
	if len(rates) == 0 {
		return 0
	}
	sorted := append([]float64(nil), rates...)
	sort.Float64s(sorted)
	median := sorted[len(sorted)/2]
	for i := 0; i+span < len(pts); i++ {
		if rate(i, i+span) >= 0.9*median {
			return i
		}
	}
	return 0
}

// steadyPerEndpoint sets each endpoint's steady-state throughput from its
// own cumulative counts.
func (r *Report) steadyPerEndpoint(per map[seriesKey]*Series) {
	from, to := r.Steady.Start.Unix(), r.Steady.End.Unix()
	for i := range r.Endpoints {
		e := &r.Endpoints[i]
		s := per[seriesKey{e.Type, e.Name}]
		if s == nil {
			continue
		}
		a, okA := s.AtOrAfter(from)
		b, okB := s.AtOrBefore(to)
		if okA && okB && b.T > a.T {
			e.SteadyRPS = float64(b.Requests-a.Requests) / float64(b.T-a.T)
		}
	}
	r.Total.SteadyRPS = r.Steady.RPS
}

// describeVersion narrows the era down with fingerprints in the files
// (shared/locust-format.md §6).
func (r *Report) describeVersion(run *locust.Run) {
	r.Version = r.Era.String()
	switch r.Era {
	case locust.Era08:
		r.VersionWhy = append(r.VersionWhy, "_requests.csv layout")
		if len(r.Percentiles) == 9 {
			r.Version = "0.8–0.12"
			r.VersionWhy = append(r.VersionWhy, "9 percentiles in _distribution.csv")
		}
		r.note("Locust up to 0.9 counted only successful requests in \"# requests\"; this run is read with the 0.10+ meaning (failures included)")
		return
	case locust.Era12:
	default:
		r.VersionWhy = append(r.VersionWhy, "header layout")
		return
	}

	// Each fingerprint moves the lower or upper bound.
	lo, hi := version{1, 2, 0}, version{2, 46, 3}
	r.VersionWhy = append(r.VersionWhy, "unquoted header without 99.999%")
	raise := func(v version, why string) {
		if lo.less(v) {
			lo = v
		}
		r.VersionWhy = append(r.VersionWhy, why)
	}
	lower := func(v version, why string) {
		if v.less(hi) {
			hi = v
		}
		r.VersionWhy = append(r.VersionWhy, why)
	}
	for _, f := range run.Failures {
		if !f.FirstSeen.IsZero() || !f.LastSeen.IsZero() {
			raise(version{2, 44, 0}, "failures carry First Seen and Last Seen")
			break
		}
	}
	if r.zeroAvgKnown {
		if r.zeroAvgFloat {
			raise(version{2, 10, 0}, "the history writes an empty average as 0.0")
		} else {
			lower(version{2, 9, 99}, "the history writes an empty average as 0")
		}
	}
	switch run.Stats.MedianKeys {
	case "float":
		lower(version{2, 43, 3}, "medians of 100 ms and more are written as floats (150.0)")
	case "int":
		raise(version{2, 43, 4}, "medians of 100 ms and more are written as integers")
	}
	r.Version = lo.String() + "–" + hi.String()
	if hi.less(lo) {
		r.Version = "1.2+ (conflicting fingerprints)"
	}
}

// version is a Locust release number.
type version [3]int

func (v version) less(w version) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}

func (v version) String() string {
	if v[2] == 99 {
		return fmt.Sprintf("%d.%d", v[0], v[1])
	}
	if v[2] == 0 {
		return fmt.Sprintf("%d.%d", v[0], v[1])
	}
	return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2])
}
