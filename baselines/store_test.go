package baselines

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/locust"
)

func sampleRun(t *testing.T) *Run {
	t.Helper()
	files, err := locust.FindFiles("../testdata/locust-2.12/base-a/load-test")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analyze.Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	return FromReport(rep)
}

func TestFromReport(t *testing.T) {
	r := sampleRun(t)
	if len(r.Endpoints) != 6 || r.Total.Requests != 29725 || r.PeakUsers != 40 {
		t.Fatalf("run = %d endpoints, %d requests, %d users", len(r.Endpoints), r.Total.Requests, r.PeakUsers)
	}
	if p95, ok := r.Total.Percentile(0.95); !ok || p95 != 48 {
		t.Errorf("aggregated p95 = %v", p95)
	}
	// Steady state 1796301280–1796301316: 26946−1773 requests in 36 s,
	// window percentiles sampled every 10 s.
	st := r.Total.Steady
	if st == nil || st.Requests != 26946-1773 || st.Seconds != 36 || len(st.T) != 3 {
		t.Fatalf("steady = %+v", st)
	}
	for i := 1; i < len(st.T); i++ {
		if st.T[i]-st.T[i-1] < sampleEvery {
			t.Errorf("samples %d and %d are %d s apart", st.T[i-1], st.T[i], st.T[i]-st.T[i-1])
		}
	}
	if r.Endpoints[0].Steady == nil {
		t.Error("no per-endpoint steady state from the full history")
	}
}

func TestSaveListRoundTrip(t *testing.T) {
	s := Open(t.TempDir())
	r := sampleRun(t)
	r.Name, r.Branch, r.Commit, r.Labels = "main", "main", "abc1234def", map[string]string{"env": "ci"}
	id, err := s.Save(r)
	if err != nil {
		t.Fatal(err)
	}
	runs, damaged, err := s.List("main")
	if err != nil || len(damaged) != 0 || len(runs) != 1 {
		t.Fatalf("list: %d runs, damaged %v, err %v", len(runs), damaged, err)
	}
	got := runs[0]
	if got.ID != id || got.Commit != "abc1234def" || got.Labels["env"] != "ci" || got.Total.Requests != 29725 {
		t.Errorf("read back %+v", got)
	}
	if !math.IsNaN(float64(got.Endpoints[0].Percentiles[0].Value)) && got.Endpoints[0].Percentiles[0].Value != 6 {
		t.Errorf("p50 read back as %v", got.Endpoints[0].Percentiles[0].Value)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "runs", "main", id+".json")); err != nil {
		t.Error(err)
	}
}

// TestConcurrentSaves: many writers at once lose nothing.
func TestConcurrentSaves(t *testing.T) {
	s := Open(t.TempDir())
	base := sampleRun(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := *base
			r.Name = "main"
			r.Commit = fmt.Sprint(i)
			if _, err := s.Save(&r); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	runs, damaged, err := s.List("main")
	if err != nil || len(runs) != 40 || len(damaged) != 0 {
		t.Errorf("%d runs, %d damaged, %v; want 40", len(runs), len(damaged), err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(s.Dir, "runs", "main", ".tmp-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestDamagedDocument(t *testing.T) {
	s := Open(t.TempDir())
	r := sampleRun(t)
	r.Name = "main"
	if _, err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(s.Dir, "runs", "main")
	os.WriteFile(filepath.Join(dir, "20260101T000000.000Z-deadbeef.json"), []byte(`{"schema": 1, "id": "20260101T0`), 0o644)
	os.WriteFile(filepath.Join(dir, "20260101T000001.000Z-cafecafe.json"), []byte(`{"schema": 9, "id": "20260101T000001.000Z-cafecafe", "name": "main"}`), 0o644)
	runs, damaged, err := s.List("main")
	if err != nil || len(runs) != 1 || len(damaged) != 2 {
		t.Fatalf("%d runs, damaged %v, err %v", len(runs), damaged, err)
	}
	msgs := damaged[0].Error() + "\n" + damaged[1].Error()
	if !strings.Contains(msgs, "deadbeef.json: not a loadgate run document") || !strings.Contains(msgs, "schema version 9") {
		t.Errorf("damaged: %s", msgs)
	}
}

func TestNamesArePathSafe(t *testing.T) {
	s := Open(t.TempDir())
	r := sampleRun(t)
	for _, name := range []string{"feature/x", "..", "a b", "main:nightly"} {
		r.Name = name
		if _, err := s.Save(r); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		runs, _, err := s.List(name)
		if err != nil || len(runs) != 1 || runs[0].Name != name {
			t.Errorf("%q: %d runs, %v", name, len(runs), err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(s.Dir, "runs"))
	if len(entries) != 4 {
		t.Errorf("%d directories for 4 names", len(entries))
	}
	if err := CheckName(" "); err == nil {
		t.Error("blank name accepted")
	}
}

func TestPruneAndBaseline(t *testing.T) {
	s := Open(t.TempDir())
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	r := sampleRun(t)
	r.Name = "main"
	var ids []string
	for i := 0; i < 8; i++ {
		now = now.Add(24 * time.Hour)
		r.Commit = fmt.Sprintf("c%d", i)
		id, err := s.Save(r)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	runs, _, _ := s.List("main")
	if got := Baseline(runs, 5, ""); len(got) != 5 || got[4].Commit != "c7" || got[0].Commit != "c3" {
		t.Errorf("newest five: %v", commits(got))
	}
	if got := Baseline(runs, 5, "c2"); len(got) != 1 || got[0].Commit != "c2" {
		t.Errorf("by commit: %v", commits(got))
	}
	if _, err := s.MarkNewNormal(ids[6], true); err != nil {
		t.Fatal(err)
	}
	runs, _, _ = s.List("main")
	if got := Baseline(runs, 5, ""); len(got) != 2 || got[0].Commit != "c6" {
		t.Errorf("after a new normal at c6: %v", commits(got))
	}

	removed, err := s.Prune("main", 6, 0)
	if err != nil || len(removed) != 2 {
		t.Fatalf("prune --keep 6 removed %d, %v", len(removed), err)
	}
	// Now is the last save (day 8); c2 and c3 were saved on days 3 and 4.
	removed, err = s.Prune("main", 0, 3*24*time.Hour+time.Hour)
	if err != nil || len(removed) != 2 || removed[0].Commit != "c2" {
		t.Errorf("prune --older-than removed %v, want c2 and c3", commits(removed))
	}
	runs, _, _ = s.List("main")
	if len(runs) != 4 {
		t.Errorf("%d runs left, want 4", len(runs))
	}
	if _, err := s.Remove(runs[0].ID); err != nil {
		t.Error(err)
	}
	if _, err := s.Remove("no-such-id"); err == nil {
		t.Error("removing a missing id succeeded")
	}
}

func commits(runs []*Run) []string {
	var out []string
	for _, r := range runs {
		out = append(out, r.Commit)
	}
	return out
}

// TestNonUTF8NamesRoundTrip: a cp1252 name survives the JSON document
// byte for byte, so it still pairs with itself in the next comparison.
func TestNonUTF8NamesRoundTrip(t *testing.T) {
	s := Open(t.TempDir())
	r := sampleRun(t)
	r.Name = "main"
	r.Endpoints[0].Name = "GET /caf\xe9"
	if _, err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	runs, damaged, err := s.List("main")
	if err != nil || len(damaged) > 0 {
		t.Fatal(err, damaged)
	}
	if got := runs[0].Endpoints[0].Name; got != "GET /caf\xe9" {
		t.Errorf("name read back as %q", got)
	}
}
