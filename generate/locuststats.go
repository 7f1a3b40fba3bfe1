package generate

import (
	"math"
	"sort"
)

// This file redoes Locust 2.x's bookkeeping (locust/stats.py) so that
// simulated requests turn into exactly the numbers Locust would write:
// the rounded histogram, the percentile and median rules, the rates over
// the global first-to-last-request span, and the 10-second window kept
// as cumulative snapshots. See shared/locust-format.md §4–5.

// bucketKey is Locust's histogram key for a response time in
// milliseconds: 1 ms resolution below 100 ms, then two significant
// digits (to 10, 100 and 1000 ms), rounding half to even on the exact
// binary value, as Python's round does.
func bucketKey(rt float64) int64 {
	switch {
	case rt < 100:
		return int64(math.RoundToEven(rt))
	case rt < 1000:
		return roundTo(rt, 10)
	case rt < 10000:
		return roundTo(rt, 100)
	}
	return roundTo(rt, 1000)
}

// roundTo rounds x to a multiple of step, half to even, deciding ties on
// x itself rather than on the inexact x/step.
func roundTo(x float64, step int64) int64 {
	s := float64(step)
	lo := math.Floor(x/s) * s
	mid := lo + s/2 // exact: an integer well below 2^53
	switch {
	case x < mid:
		return int64(lo)
	case x > mid:
		return int64(lo + s)
	}
	if int64(lo/s)%2 == 0 {
		return int64(lo)
	}
	return int64(lo + s)
}

// bucketIndex maps a key to a dense index: 0–99 for 1 ms keys, then 90
// slots per decade.
func bucketIndex(k int64) int {
	switch {
	case k < 100:
		return int(k)
	case k < 1000:
		return 100 + int((k-100)/10)
	case k < 10000:
		return 190 + int((k-1000)/100)
	}
	return 280 + int((k-10000)/1000)
}

// keyOf is the inverse of bucketIndex.
func keyOf(i int) int64 {
	switch {
	case i < 100:
		return int64(i)
	case i < 190:
		return 100 + int64(i-100)*10
	case i < 280:
		return 1000 + int64(i-190)*100
	}
	return 10000 + int64(i-280)*1000
}

// histogram is Locust's response_times dict as a dense array of counts.
type histogram struct {
	counts []int64
}

func (h *histogram) add(rt float64) {
	i := bucketIndex(bucketKey(rt))
	if i >= len(h.counts) {
		grown := make([]int64, i+1, (i+1)*5/4+8)
		copy(grown, h.counts)
		h.counts = grown
	}
	h.counts[i]++
}

// percentiles computes Locust's calculate_response_time_percentile for
// every fraction of fracs at once: walking keys from the largest down, the
// first key at which no more than int(n*p) requests remain. counts may be
// a window (a difference of snapshots); n is its request count. Values are
// keys in milliseconds, 0 when nothing qualifies.
func percentiles(counts []int64, n int64, fracs []float64, out []int64) {
	for j := range fracs {
		out[j] = 0
	}
	if n <= 0 {
		return
	}
	// Process the fractions from the largest down: their thresholds are
	// met in that order as the walk descends.
	order := make([]int, len(fracs))
	for j := range order {
		order[j] = j
	}
	sort.Slice(order, func(a, b int) bool { return fracs[order[a]] > fracs[order[b]] })
	next := 0
	var processed int64
	for i := len(counts) - 1; i >= 0 && next < len(order); i-- {
		if counts[i] == 0 {
			continue
		}
		processed += counts[i]
		for next < len(order) && n-processed <= int64(float64(n)*fracs[order[next]]) {
			out[order[next]] = keyOf(i)
			next++
		}
	}
}

// lowerMedian is Locust's median_from_dict: the first key, in rising
// order, at which the position (n-1)/2 falls.
func lowerMedian(counts []int64, n int64) (int64, bool) {
	pos := float64(n-1) / 2
	for i, c := range counts {
		if c == 0 {
			continue
		}
		if pos < float64(c) {
			return keyOf(i), true
		}
		pos -= float64(c)
	}
	return 0, false
}

// snapshot is a cumulative histogram kept for the window percentiles.
type snapshot struct {
	second int64
	counts []int64
	n      int64
}

// windowSeconds is CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW.
const windowSeconds = 10

// entry is one StatsEntry: an endpoint, or the Aggregated total.
type entry struct {
	method, name string

	n, fails     int64
	total        float64 // sum of response times
	min, max     float64
	contentBytes int64
	hist         histogram
	last         float64 // time of the last request, Unix seconds; 0 before

	// Requests and failures per whole second, for current_rps, which
	// reads at most the last 13 seconds.
	perSec, failPerSec secondCounts

	cache []snapshot // the 20 most recent, oldest first
	spare [][]int64  // reusable count arrays
}

func newEntry(method, name string) *entry {
	return &entry{method: method, name: name}
}

// log records one request that completed at time now (Unix seconds).
func (e *entry) log(now, rt float64, content int64, failed bool) {
	t := int64(now)
	if e.last > 0 && t > int64(e.last) {
		e.cacheSnapshot(t - 1)
	}
	e.n++
	sec := int64(now)
	e.perSec.add(sec)
	e.last = now
	e.total += rt
	if e.n == 1 || rt < e.min {
		e.min = rt
	}
	if rt > e.max {
		e.max = rt
	}
	e.hist.add(rt)
	e.contentBytes += content
	if failed {
		e.fails++
		e.failPerSec.add(sec)
	}
}

// secondCounts counts events per whole second over the last 32 seconds,
// in a ring.
type secondCounts struct {
	sec   [32]int64
	count [32]int64
}

func (c *secondCounts) add(s int64) {
	i := s & 31
	if c.sec[i] != s {
		c.sec[i], c.count[i] = s, 0
	}
	c.count[i]++
}

func (c *secondCounts) get(s int64) int64 {
	if i := s & 31; c.sec[i] == s {
		return c.count[i]
	}
	return 0
}

// cacheSnapshot stores the cumulative histogram under second s, keeping
// WINDOW+10 snapshots as Locust does.
func (e *entry) cacheSnapshot(s int64) {
	var buf []int64
	if n := len(e.spare); n > 0 {
		buf, e.spare = e.spare[n-1][:0], e.spare[:n-1]
	}
	buf = append(buf, e.hist.counts...)
	e.cache = append(e.cache, snapshot{second: s, counts: buf, n: e.n})
	if len(e.cache) > windowSeconds+10 {
		e.spare = append(e.spare, e.cache[0].counts)
		e.cache = append(e.cache[:0], e.cache[1:]...)
	}
}

// windowSnapshot finds the snapshot Locust diffs against at second t:
// t-10, then t-11, t-9, t-12, t-8 … t-18, t-2.
func (e *entry) windowSnapshot(t int64) *snapshot {
	find := func(s int64) *snapshot {
		for i := range e.cache {
			if e.cache[i].second == s {
				return &e.cache[i]
			}
		}
		return nil
	}
	if s := find(t - windowSeconds); s != nil {
		return s
	}
	for i := int64(1); i < 9; i++ {
		if s := find(t - windowSeconds - i); s != nil {
			return s
		}
		if s := find(t - windowSeconds + i); s != nil {
			return s
		}
	}
	return nil
}

// windowPercentiles are the "current" percentiles at second t, written
// as int(x or 0): 0 with no snapshot or an empty window.
func (e *entry) windowPercentiles(t int64, fracs []float64, diff []int64, out []int64) []int64 {
	s := e.windowSnapshot(t)
	if s == nil {
		for j := range out {
			out[j] = 0
		}
		return diff
	}
	diff = append(diff[:0], e.hist.counts...)
	for i, c := range s.counts {
		diff[i] -= c
	}
	percentiles(diff, e.n-s.n, fracs, out)
	return diff
}

// rate is Locust's current_rps (or current_fail_per_sec): the mean count
// per second over range(max(int(last)-12, int(start)), int(last)-2),
// where last is the last request of the whole run; 0 when that is empty.
func rate(perSec *secondCounts, last, start float64) float64 {
	if last == 0 {
		return 0
	}
	from := int64(last) - 12
	if s := int64(start); s > from {
		from = s
	}
	to := int64(last) - 2
	if to <= from {
		return 0
	}
	var sum int64
	for t := from; t < to; t++ {
		sum += perSec.get(t)
	}
	return float64(sum) / float64(to-from)
}

// median is Locust's median_response_time: the lower median of the
// histogram, clamped to the exact min and max. isKey tells whether the
// value is a bucket key (written as Locust writes keys) or a clamped
// exact time.
func (e *entry) median() (v float64, isKey bool) {
	k, ok := lowerMedian(e.hist.counts, e.n)
	if !ok {
		return 0, true
	}
	v = float64(k)
	switch {
	case v > e.max:
		return e.max, false
	case v < e.min:
		return e.min, false
	}
	return v, true
}

func (e *entry) average() float64 {
	if e.n == 0 {
		return 0
	}
	return e.total / float64(e.n)
}

func (e *entry) avgContent() float64 {
	if e.n == 0 {
		return 0
	}
	return float64(e.contentBytes) / float64(e.n)
}
