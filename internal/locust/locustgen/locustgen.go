// Package locustgen writes synthetic results in the layout of Locust 2.12
// run with --csv-full-history: a _stats_history.csv with a row per
// endpoint and an Aggregated row for every second, and the _stats.csv
// that matches its end. It exists to give the reader's tests and
// benchmarks files of any size; the numbers are plausible, not modelled
// on any real service.
//
// The output is a function of the Config alone, so a seed reproduces a
// file byte for byte:
//
//	err := locustgen.Write(history, stats, locustgen.Config{
//		Endpoints: 50, Seconds: 3 * 3600, Seed: 1,
//	})
//
// Formatting follows Locust 2.12: CRLF line ends, rates in the history
// with six decimals, percentiles as ints, averages and exact times as
// Python float reprs, cumulative medians of 100 ms and more as "150.0".
package locustgen

import (
	"bufio"
	"cmp"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Config shapes a generated run.
type Config struct {
	// Endpoints is the number of request names, at least 1.
	Endpoints int
	// Seconds is the number of history writes once the test has
	// started, at least 1. Three idle writes with N/A percentiles come
	// before them, as Locust writes from process start.
	Seconds int
	// Seed selects the run; equal configs give equal bytes.
	Seed uint64
}

// Header lines exactly as Locust 2.12 writes them, without line ends.
const (
	HistoryHeader = "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size"
	StatsHeader   = "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)

// zScores are the standard normal quantiles of Locust's default
// percentiles 50% … 99.99%; 100% is handled apart.
var zScores = [...]float64{0, 0.412, 0.674, 0.842, 1.282, 1.645, 2.054, 2.326, 3.090, 3.719}

const (
	idleWrites = 3
	startTime  = 1796301276 // Unix seconds of the first write
	window     = 13         // seconds of per-second counts kept
)

// endpoint is one request name and what Locust has accumulated for it.
type endpoint struct {
	typ, name string
	share     float64 // fraction of all traffic
	median    float64 // ms
	sigma     float64 // spread of the log-normal response times
	failRate  float64
	size      float64 // bytes per successful response

	requests, failures int64
	sum, medSum        float64 // of response times, of per-second medians
	sizeSum            float64
	min, max           float64
	seen               int   // seconds since the first request
	inWindow           int64 // requests in the last 10 seconds
	counts, fails      [window]int64
	pct                [len(zScores) + 1]float64 // window percentiles
}

// Write writes the history to history and, when stats is not nil, the
// matching _stats.csv to stats after it.
func Write(history, stats io.Writer, c Config) error {
	if c.Endpoints < 1 || c.Seconds < 1 {
		return errors.New("locustgen: want at least one endpoint and one second")
	}
	g := newGenerator(c)
	w := bufio.NewWriterSize(history, 64<<10)
	if err := g.history(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if stats == nil {
		return nil
	}
	w = bufio.NewWriter(stats)
	if err := g.stats(w); err != nil {
		return err
	}
	return w.Flush()
}

type generator struct {
	c    Config
	rnd  *rand.Rand
	eps  []*endpoint
	buf  []byte
	sec  int   // seconds since the test started
	last int64 // timestamp of the last write
}

func newGenerator(c Config) *generator {
	g := &generator{c: c, rnd: rand.New(rand.NewPCG(c.Seed, 0x10ad6a7e))}
	methods := []string{"GET", "GET", "POST", "GET", "PUT", "DELETE"}
	nouns := []string{"orders", "shells", "submodels", "users", "carts",
		"invoices", "products", "sessions", "reports", "tokens"}
	tails := []string{"", "/{id}", "/{id} (cached)", "/{id}/items", "/search"}
	var weight float64
	for i := range c.Endpoints {
		m := methods[i%len(methods)]
		e := &endpoint{
			typ: m,
			name: m + " /api/v2/" + nouns[i%len(nouns)] +
				tails[(i/len(nouns))%len(tails)],
			share:    1 / math.Pow(float64(i+1), 0.8),
			median:   math.Exp(1 + 4*g.rnd.Float64()), // about 3–150 ms
			sigma:    0.3 + 0.5*g.rnd.Float64(),
			failRate: 0.002 * g.rnd.Float64(),
			min:      math.Inf(1),
		}
		if i >= len(nouns)*len(tails) {
			e.name += "?v=" + strconv.Itoa(i)
		}
		if m == "GET" {
			e.size = float64(10 + g.rnd.IntN(400))
		}
		weight += e.share
		g.eps = append(g.eps, e)
	}
	for _, e := range g.eps {
		e.share /= weight
	}
	// Locust writes entries sorted by (name, method).
	slices.SortFunc(g.eps, func(a, b *endpoint) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.typ, b.typ))
	})
	return g
}

// history writes the header, the idle writes and one write per second.
func (g *generator) history(w *bufio.Writer) error {
	w.WriteString(HistoryHeader + "\r\n")
	ts := int64(startTime)
	for range idleWrites {
		if err := g.emptyRow(w, ts, 0); err != nil {
			return err
		}
		ts++
	}

	peak := 10 * g.c.Endpoints
	for s := range g.c.Seconds {
		users := min(peak, 10*(s+1))
		g.sec = s
		g.tick(users)
		if err := g.write(w, ts, users); err != nil {
			return err
		}
		g.last = ts
		// Under load Locust's one-second sleep drifts and skips a second.
		ts++
		if g.rnd.IntN(500) == 0 {
			ts++
		}
	}
	return nil
}

// tick simulates one second of traffic at the given user count: about
// one request per user and second, slower as load rises.
func (g *generator) tick(users int) {
	load := 1 + 0.3*float64(users)/float64(10*g.c.Endpoints)
	slot := g.sec % window
	for _, e := range g.eps {
		lambda := float64(users) * e.share
		n := max(0, int64(math.Round(lambda+math.Sqrt(lambda)*g.rnd.NormFloat64())))
		f := int64(float64(n)*e.failRate + g.rnd.Float64())
		f = min(f, n)
		e.counts[slot], e.fails[slot] = n, f
		if e.requests == 0 && n == 0 {
			continue
		}
		e.seen++
		med := e.median * load * (1 + 0.05*g.rnd.NormFloat64())
		if n > 0 {
			e.requests += n
			e.failures += f
			e.medSum += float64(n) * med
			e.sum += float64(n) * med * math.Exp(e.sigma*e.sigma/2)
			e.sizeSum += float64(n-f) * e.size
			lo := med * math.Exp(-2*e.sigma) * (0.7 + 0.6*g.rnd.Float64())
			hi := med * math.Exp(3*e.sigma) * (0.7 + 0.6*g.rnd.Float64())
			e.min, e.max = math.Min(e.min, lo), math.Max(e.max, hi)
		}

		// Window percentiles, 0 when the window is empty or, on the
		// first write, does not exist yet.
		e.inWindow = 0
		for age := range 10 {
			e.inWindow += e.counts[(g.sec-age+window)%window]
		}
		if e.seen == 1 || e.inWindow == 0 {
			e.pct = [len(e.pct)]float64{}
			continue
		}
		top := math.Min(4, math.Sqrt(2*math.Log(float64(e.inWindow)+1)))
		for i, z := range zScores {
			e.pct[i] = med * math.Exp(e.sigma*math.Min(z, top))
		}
		e.pct[len(zScores)] = med * math.Exp(e.sigma*top)
	}
}

// write appends one write of the history: the endpoints that have had a
// request, then the Aggregated row.
func (g *generator) write(w *bufio.Writer, ts int64, users int) error {
	var tot endpoint
	tot.min = math.Inf(1)
	var rps, fps, weight float64
	for _, e := range g.eps {
		if e.requests == 0 {
			continue
		}
		r, f := e.rates(g.sec)
		rps += r
		fps += f
		tot.requests += e.requests
		tot.failures += e.failures
		tot.sum += e.sum
		tot.sizeSum += e.sizeSum
		tot.min, tot.max = math.Min(tot.min, e.min), math.Max(tot.max, e.max)
		tot.medSum += e.medSum
		if e.pct[0] > 0 {
			// Aggregated window percentiles: traffic-weighted, with the
			// slowest endpoint's maximum as 100%.
			for i, v := range e.pct[:len(zScores)] {
				tot.pct[i] += float64(e.inWindow) * v
			}
			tot.pct[len(zScores)] = max(tot.pct[len(zScores)], e.pct[len(zScores)])
			weight += float64(e.inWindow)
		}
		if err := g.row(w, ts, users, e.typ, e.name, r, f, e); err != nil {
			return err
		}
	}
	if tot.requests == 0 {
		return g.emptyRow(w, ts, users)
	}
	for i := range zScores {
		if weight > 0 {
			tot.pct[i] /= weight
		} else {
			tot.pct[i] = 0
		}
	}
	if weight == 0 {
		tot.pct[len(zScores)] = 0
	}
	return g.row(w, ts, users, "", "Aggregated", rps, fps, &tot)
}

// emptyRow writes the Aggregated row of a write before any request.
func (g *generator) emptyRow(w *bufio.Writer, ts int64, users int) error {
	b := strconv.AppendInt(g.buf[:0], ts, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(users), 10)
	b = append(b, ",,Aggregated,0.000000,0.000000"...)
	for range len(zScores) + 1 {
		b = append(b, ",N/A"...)
	}
	b = append(b, ",0,0,0,0.0,0,0,0\r\n"...)
	g.buf = b
	_, err := w.Write(b)
	return err
}

// rates returns the current requests and failures per second the way
// Locust computes them: the mean of the per-second counts from 12 to 3
// seconds ago, or over fewer seconds when the entry is younger.
func (e *endpoint) rates(sec int) (rps, fps float64) {
	n := min(10, e.seen-3)
	if n <= 0 {
		return 0, 0
	}
	var r, f int64
	for age := 3; age < 3+n; age++ {
		i := (sec - age + window) % window
		r += e.counts[i]
		f += e.fails[i]
	}
	return float64(r) / float64(n), float64(f) / float64(n)
}

// row writes one history row.
func (g *generator) row(w *bufio.Writer, ts int64, users int, typ, name string,
	rps, fps float64, e *endpoint) error {
	b := strconv.AppendInt(g.buf[:0], ts, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(users), 10)
	b = append(b, ',')
	b = append(b, typ...)
	b = append(b, ',')
	b = append(b, name...)
	b = append(b, ',')
	b = strconv.AppendFloat(b, rps, 'f', 6, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, fps, 'f', 6, 64)
	prev := 0
	for _, v := range e.pct {
		// Locust's buckets only grow with the percentile.
		p := max(prev, bucket(v))
		prev = p
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p), 10)
	}
	b = e.appendTotals(b)
	b = append(b, "\r\n"...)
	g.buf = b
	_, err := w.Write(b)
	return err
}

// appendTotals appends the cumulative columns shared by both files:
// counts, median, average, min, max and content size.
func (e *endpoint) appendTotals(b []byte) []byte {
	b = append(b, ',')
	b = strconv.AppendInt(b, e.requests, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, e.failures, 10)
	b = append(b, ',')
	b = appendMedian(b, e.medSum/float64(e.requests), e.min, e.max)
	b = append(b, ',')
	b = appendRepr(b, e.sum/float64(e.requests))
	b = append(b, ',')
	b = appendRepr(b, e.min)
	b = append(b, ',')
	b = appendRepr(b, e.max)
	b = append(b, ',')
	return appendRepr(b, e.sizeSum/float64(e.requests))
}

// stats writes the _stats.csv of the run's end.
func (g *generator) stats(w *bufio.Writer) error {
	w.WriteString(StatsHeader + "\r\n")
	span := float64(max(1, g.last-startTime-idleWrites))
	tot := endpoint{min: math.Inf(1)}
	for _, e := range g.eps {
		if e.requests == 0 {
			continue
		}
		tot.requests += e.requests
		tot.failures += e.failures
		tot.sum += e.sum
		tot.sizeSum += e.sizeSum
		tot.min, tot.max = math.Min(tot.min, e.min), math.Max(tot.max, e.max)
		tot.medSum += e.medSum
		tot.sigma += float64(e.requests) * e.sigma
		if err := g.statsRow(w, e, span); err != nil {
			return err
		}
	}
	if tot.requests == 0 {
		return nil
	}
	tot.sigma /= float64(tot.requests)
	return g.statsRow(w, &tot, span)
}

func (g *generator) statsRow(w *bufio.Writer, e *endpoint, span float64) error {
	b := append(g.buf[:0], e.typ...)
	b = append(b, ',')
	name := e.name
	if name == "" {
		name = "Aggregated"
	}
	b = append(b, name...)
	b = e.appendTotals(b)
	b = append(b, ',')
	b = appendRepr(b, float64(e.requests)/span)
	b = append(b, ',')
	b = appendRepr(b, float64(e.failures)/span)
	prev := 0
	med := e.medSum / float64(e.requests)
	for _, z := range zScores {
		p := max(prev, bucket(math.Min(e.max, med*math.Exp(e.sigma*z))))
		prev = p
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p), 10)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(max(prev, bucket(e.max))), 10)
	b = append(b, "\r\n"...)
	g.buf = b
	_, err := w.Write(b)
	return err
}

// bucket rounds a time in milliseconds to the key of Locust's response
// time histogram: whole ms below 100, two significant digits above.
func bucket(ms float64) int {
	switch {
	case ms < 100:
		return int(math.Round(ms))
	case ms < 1000:
		return int(math.Round(ms/10)) * 10
	case ms < 10000:
		return int(math.Round(ms/100)) * 100
	}
	return int(math.Round(ms/1000)) * 1000
}

// appendMedian writes a cumulative median as Locust 2.12 does: the
// bucket, a float ("150.0") from 100 ms, or the exact min or max when
// the bucket lies outside them.
func appendMedian(b []byte, ms, lo, hi float64) []byte {
	k := float64(bucket(ms))
	switch {
	case k < lo:
		return appendRepr(b, lo)
	case k > hi:
		return appendRepr(b, hi)
	case k >= 100:
		return strconv.AppendFloat(b, k, 'f', 1, 64)
	}
	return strconv.AppendInt(b, int64(k), 10)
}

// appendRepr writes v as Python's repr(float) does for the values a run
// holds: the shortest digits that read back as v, with ".0" on whole
// numbers and an exponent below 1e-4.
func appendRepr(b []byte, v float64) []byte {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1e16:
		return strconv.AppendFloat(b, v, 'f', 1, 64)
	case math.Abs(v) < 1e-4:
		return strconv.AppendFloat(b, v, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}
