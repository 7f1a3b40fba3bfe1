package analyze

// Point is one history row of the series kept for analysis: a write of
// Locust's history at second T.
type Point struct {
	T        int64 // Unix seconds
	Users    int64 // -1 when the era does not record it
	Requests int64 // cumulative
	Failures int64 // cumulative
	RPS      float64
	// P50, P95 and P99 are the row's percentiles in milliseconds (over
	// Locust's 10 s window, or the run so far: see
	// Report.WindowPercentiles); NaN when the window was empty.
	P50, P95, P99 float64
}

// Series keeps a bounded, evenly thinned sample of history points. Once
// it holds its capacity it drops every other point and from then on keeps
// every second one (then every fourth, and so on), so its memory is fixed
// whatever the length of the run. Cumulative counts stay exact at every
// kept point, and the last point added is always kept.
type Series struct {
	pts    []Point
	stride int64
	seen   int64
	max    int
	last   Point
}

// NewSeries returns a series that keeps at most max points (max ≥ 4).
func NewSeries(max int) *Series {
	if max < 4 {
		max = 4
	}
	return &Series{stride: 1, max: max}
}

// Add appends p, thinning the series when it is full.
func (s *Series) Add(p Point) {
	if s.seen%s.stride == 0 {
		if len(s.pts) == s.max {
			n := 0
			for i := 0; i < len(s.pts); i += 2 {
				s.pts[n] = s.pts[i]
				n++
			}
			s.pts = s.pts[:n]
			s.stride *= 2
		}
		if s.seen%s.stride == 0 {
			s.pts = append(s.pts, p)
		}
	}
	s.seen++
	s.last = p
}

// Len is the number of points added (not the number kept).
func (s *Series) Len() int64 { return s.seen }

// Last is the last point added.
func (s *Series) Last() Point { return s.last }

// Points returns the kept points in order, ending with the last one
// added. The slice must not be modified.
func (s *Series) Points() []Point {
	if s.seen == 0 {
		return nil
	}
	if n := len(s.pts); n > 0 && s.pts[n-1] == s.last {
		return s.pts
	}
	return append(s.pts[:len(s.pts):len(s.pts)], s.last)
}

// AtOrAfter returns the first kept point at or after second t.
func (s *Series) AtOrAfter(t int64) (Point, bool) {
	for _, p := range s.Points() {
		if p.T >= t {
			return p, true
		}
	}
	return Point{}, false
}

// AtOrBefore returns the last kept point at or before second t.
func (s *Series) AtOrBefore(t int64) (Point, bool) {
	pts := s.Points()
	for i := len(pts) - 1; i >= 0; i-- {
		if pts[i].T <= t {
			return pts[i], true
		}
	}
	return Point{}, false
}
