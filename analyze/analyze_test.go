package analyze

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/loadgate/loadgate/internal/locust"
)

func analyzeFixture(t *testing.T, prefix string) *Report {
	t.Helper()
	files, err := locust.FindFiles(filepath.Join("../testdata", prefix))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestShapeBaseA checks the load shape against values read off the
// history file with awk (Aggregated rows: timestamp, users, total count):
// users reach 40 at 1796301280 with 1773 requests done, the first loaded
// row is 1796301277 with 173, the last 1796301316 with 26946.
func TestShapeBaseA(t *testing.T) {
	r := analyzeFixture(t, "locust-2.12/base-a/load-test")
	if r.PeakUsers != 40 {
		t.Errorf("peak users %d, want 40", r.PeakUsers)
	}
	if r.RampUp == nil || r.RampUp.Start.Unix() != 1796301277 || r.RampUp.End.Unix() != 1796301280 ||
		r.RampUp.Requests != 1773-173 {
		t.Fatalf("ramp-up = %+v", r.RampUp)
	}
	if r.WarmUp != nil {
		t.Errorf("warm-up %+v: throughput was flat from the peak on", r.WarmUp)
	}
	s := r.Steady
	if s == nil || s.Start.Unix() != 1796301280 || s.End.Unix() != 1796301316 || s.Requests != 26946-1773 {
		t.Fatalf("steady = %+v", s)
	}
	if want := float64(26946-1773) / 36; math.Abs(s.RPS-want) > 1e-9 {
		t.Errorf("steady rps %v, want %v", s.RPS, want)
	}
	// GET /shells: 30 requests at 1796301280, 593 at 1796301316.
	if got, want := r.Endpoints[0].SteadyRPS, float64(593-30)/36; r.Endpoints[0].Name != "GET /shells" || math.Abs(got-want) > 1e-9 {
		t.Errorf("%s steady rps %v, want %v", r.Endpoints[0].Name, got, want)
	}
	// Duration is Locust's request span: requests / rps of the Aggregated row.
	if want := 29725 / 673.9538460027372; math.Abs(r.Duration-want) > 1e-9 {
		t.Errorf("duration %v, want %v", r.Duration, want)
	}
	if r.Version != "2.10–2.46.3" {
		t.Errorf("version %q", r.Version)
	}
}

// TestShapeSaturated: 120 users reached at 1796301474 (10 users a
// second from 1796301463).
func TestShapeSaturated(t *testing.T) {
	r := analyzeFixture(t, "locust-2.12/saturated/load-test")
	if r.PeakUsers != 120 || r.RampUp == nil || r.RampUp.Seconds != 11 || r.RampUp.End.Unix() != 1796301474 {
		t.Fatalf("peak %d ramp %+v", r.PeakUsers, r.RampUp)
	}
	if r.Steady == nil || r.Steady.End.Unix() != 1796301518 {
		t.Fatalf("steady %+v", r.Steady)
	}
}

func TestNoHistory(t *testing.T) {
	r := analyzeFixture(t, "public/XFJ/example")
	if r.RampUp != nil || r.Steady != nil || r.PeakUsers != -1 || !r.Start.IsZero() {
		t.Errorf("no history, yet shape %+v %+v %d %v", r.RampUp, r.Steady, r.PeakUsers, r.Start)
	}
	if !math.IsNaN(r.Endpoints[0].SteadyRPS) {
		t.Error("steady rps without history")
	}
}

func TestSeriesThinning(t *testing.T) {
	s := NewSeries(8)
	for i := int64(0); i < 1000; i++ {
		s.Add(Point{T: i, Requests: i * 10})
	}
	pts := s.Points()
	if len(pts) > 9 {
		t.Fatalf("kept %d points, want at most 8 plus the last", len(pts))
	}
	if pts[0].T != 0 || pts[len(pts)-1].T != 999 || s.Len() != 1000 {
		t.Errorf("first %d last %d len %d", pts[0].T, pts[len(pts)-1].T, s.Len())
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].T <= pts[i-1].T || pts[i].Requests != pts[i].T*10 {
			t.Errorf("point %d = %+v after %+v", i, pts[i], pts[i-1])
		}
	}
	if p, ok := s.AtOrAfter(500); !ok || p.T < 500 {
		t.Errorf("AtOrAfter(500) = %+v", p)
	}
	if p, ok := s.AtOrBefore(500); !ok || p.T > 500 {
		t.Errorf("AtOrBefore(500) = %+v", p)
	}
}
