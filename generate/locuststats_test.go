package generate

import (
	"math"
	"testing"
)

// TestBucketKey checks the rounding against Python's round() and the
// examples of shared/locust-format.md §5 (147 → 150, 3432 → 3400,
// 58760 → 59000, 169663 → 170000, 104 → 100), including ties, which
// Python breaks to even: round(145, -1) == 140, round(2.5) == 2.
func TestBucketKey(t *testing.T) {
	tests := []struct {
		in   float64
		want int64
	}{
		{0.4, 0}, {2.5, 2}, {3.5, 4}, {99.4, 99}, {99.5, 100},
		{104, 100}, {145, 140}, {155, 160}, {147, 150}, {155.0015, 160}, {594.508, 590},
		{999.9, 1000}, {3432, 3400}, {3450, 3400}, {3550, 3600}, {9960, 10000},
		{58760, 59000}, {169663, 170000}, {2500.0000001, 2500},
	}
	for _, tt := range tests {
		if got := bucketKey(tt.in); got != tt.want {
			t.Errorf("bucketKey(%v) = %d, want %d", tt.in, got, tt.want)
		}
		if k := keyOf(bucketIndex(tt.want)); k != tt.want {
			t.Errorf("keyOf(bucketIndex(%d)) = %d", tt.want, k)
		}
	}
}

// TestKraftdRow rebuilds a row of a real Locust 2.x file from its two
// requests: fixtures/public/kraftd GET /api/v1/health has min
// 155.00150000025315 and max 594.5080000001326, and Locust wrote median
// 160.0 but 50% = 590 and every higher percentile 590.
func TestKraftdRow(t *testing.T) {
	e := newEntry("GET", "/api/v1/health")
	e.log(1000.1, 155.00150000025315, 89, false)
	e.log(1000.2, 594.5080000001326, 89, false)
	med, isKey := e.median()
	if med != 160 || !isKey || pyKey(med) != "160.0" {
		t.Errorf("median = %v (key %v), want 160.0", med, isKey)
	}
	out := make([]int64, len(percentilesToReport))
	percentiles(e.hist.counts, e.n, percentilesToReport, out)
	for i, v := range out {
		if v != 590 {
			t.Errorf("%v%% = %d, want 590", percentilesToReport[i]*100, v)
		}
	}
	if got := pyFloat(e.average()); got != "374.75475000019287" {
		t.Errorf("average %s, want 374.75475000019287 as in the file", got)
	}
}

// TestOneRequestClamp: a single request's median is clamped to its exact
// time (base-a's history shows POST /shells with one request of
// 28.406539999878078 ms as median, min, max and average alike).
func TestOneRequestClamp(t *testing.T) {
	e := newEntry("POST", "POST /shells")
	e.log(10.5, 28.406539999878078, 0, false)
	if got := totals(e); got != "28.406539999878078,28.406539999878078,28.406539999878078,28.406539999878078,0.0" {
		t.Errorf("totals = %s", got)
	}
}

func TestPercentilesAndMedian(t *testing.T) {
	// 10 requests: keys 1..10 once each. p50: k = int(10*0.5) = 5; from
	// the top, 10,9,8,7,6 leave 5 → 6. Lower median: pos 4.5 → key 5.
	e := newEntry("GET", "/x")
	for i := 1; i <= 10; i++ {
		e.log(1, float64(i), 0, false)
	}
	out := make([]int64, 3)
	percentiles(e.hist.counts, e.n, []float64{0.5, 0.9, 1.0}, out)
	if out[0] != 6 || out[1] != 10 || out[2] != 10 {
		t.Errorf("p50 p90 p100 = %v, want [6 10 10]", out)
	}
	if m, _ := e.median(); m != 5 {
		t.Errorf("median %v, want 5", m)
	}
}

func TestRate(t *testing.T) {
	var per secondCounts
	for s := int64(100); s < 130; s++ {
		for i := int64(0); i < s-100; i++ {
			per.add(s)
		}
	}
	// last 129.5: range(max(117, 100), 127) = 117..126, mean of 17..26.
	if got := rate(&per, 129.5, 100.05); got != 21.5 {
		t.Errorf("rate = %v, want 21.5", got)
	}
	if got := rate(&per, 101.2, 100.05); got != 0 {
		t.Errorf("rate at the start = %v, want 0 (empty range)", got)
	}
}

func TestPyFloat(t *testing.T) {
	tests := map[float64]string{
		18: "18.0", 0: "0.0", 0.0001: "0.0001", 0.00001: "1e-05", 1.5e16: "1.5e+16",
		13.166736333308412: "13.166736333308412", 673.9538460027372: "673.9538460027372",
		0.05027932960893855: "0.05027932960893855", 1e22: "1e+22", 123456789012345.6: "123456789012345.6",
	}
	for in, want := range tests {
		if got := pyFloat(in); got != want {
			t.Errorf("pyFloat(%v) = %s, want %s", in, got, want)
		}
	}
	if got := pyFixed6(144); got != "144.000000" {
		t.Errorf("pyFixed6 = %s", got)
	}
	if !math.IsNaN(math.NaN()) || pyFloat(math.Inf(1)) != "inf" {
		t.Error("inf")
	}
}

func TestWindowSnapshot(t *testing.T) {
	e := newEntry("GET", "/x")
	// One request a second from 100 to 130, time = second + 0.5.
	for s := 100; s <= 130; s++ {
		e.log(float64(s)+0.5, float64(s-99), 0, false)
	}
	// At 131 the snapshot at 121 holds requests up to second 121, so the
	// window is seconds 122..130: times 23..31.
	out := make([]int64, 2)
	e.windowPercentiles(131, []float64{0.0001, 1.0}, nil, out)
	if out[0] != 23 || out[1] != 31 {
		t.Errorf("window min/max = %v, want [23 31]", out)
	}
}
