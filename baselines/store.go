// Package baselines keeps past runs for comparison and trends.
//
// The store is a directory (".loadgate" by default) that can be committed
// or cached in CI. Each run is one JSON document (see Run, schema
// version Schema) under runs/NAME/ID.json. Saving writes a temporary file
// and renames it into place, so a reader never sees half a document, and
// every save gets a fresh ID, so CI jobs saving at the same moment lose
// nothing. A document that cannot be read is reported by its file name;
// the rest of the store stays usable.
package baselines

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// DefaultDir is the store's directory unless --store or LOADGATE_STORE
// says otherwise.
const DefaultDir = ".loadgate"

// Store is a directory of saved runs.
type Store struct {
	Dir string
	// Now is the clock, replaceable in tests.
	Now func() time.Time
}

// Open returns the store at dir, which need not exist yet.
func Open(dir string) *Store {
	return &Store{Dir: dir, Now: time.Now}
}

// Damaged is a document that could not be read.
type Damaged struct {
	File string
	Err  error
}

func (d Damaged) Error() string { return fmt.Sprintf("%s: %v", d.File, d.Err) }

// CheckName rejects names that cannot name a baseline.
func CheckName(name string) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("empty baseline name")
	}
	if strings.TrimSpace(name) != name {
		return fmt.Errorf("baseline name %q starts or ends with a space", name)
	}
	if len(name) > 200 {
		return fmt.Errorf("baseline name of %d bytes: want at most 200", len(name))
	}
	return nil
}

// nameDir is the directory of a name: the name with every character
// outside [A-Za-z0-9._-] escaped, so any name is one safe path element.
func (s *Store) nameDir(name string) string {
	esc := url.PathEscape(name)
	esc = strings.NewReplacer(":", "%3A", "@", "%40", "&", "%26", "=", "%3D", "+", "%2B", "$", "%24").Replace(esc)
	if esc == "." || esc == ".." {
		esc = strings.ReplaceAll(esc, ".", "%2E")
	}
	return filepath.Join(s.Dir, "runs", esc)
}

// Save stores run under run.Name with a new ID and returns the ID.
func (s *Store) Save(run *Run) (string, error) {
	if err := CheckName(run.Name); err != nil {
		return "", err
	}
	var rnd [4]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	now := s.Now().UTC()
	run.Schema = Schema
	run.SavedAt = now
	run.ID = now.Format("20060102T150405.000Z") + "-" + hex.EncodeToString(rnd[:])
	data, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return "", err
	}
	dir := s.nameDir(run.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return run.ID, writeAtomic(filepath.Join(dir, run.ID+".json"), append(data, '\n'))
}

// writeAtomic writes data to a temporary file beside path, flushes it to
// disk and renames it over path.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// List returns the runs saved under name, oldest first, and the
// documents that could not be read. With name "" it lists every name.
func (s *Store) List(name string) ([]*Run, []Damaged, error) {
	var dirs []string
	if name != "" {
		dirs = []string{s.nameDir(name)}
	} else {
		entries, err := os.ReadDir(filepath.Join(s.Dir, "runs"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(s.Dir, "runs", e.Name()))
			}
		}
	}
	var runs []*Run
	var damaged []Damaged
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			path := filepath.Join(dir, e.Name())
			run, err := readRun(path)
			if err != nil {
				damaged = append(damaged, Damaged{File: path, Err: err})
				continue
			}
			runs = append(runs, run)
		}
	}
	sort.SliceStable(runs, func(i, j int) bool {
		if !runs[i].SavedAt.Equal(runs[j].SavedAt) {
			return runs[i].SavedAt.Before(runs[j].SavedAt)
		}
		return runs[i].ID < runs[j].ID
	})
	return runs, damaged, nil
}

func readRun(path string) (*Run, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var run Run
	if err := dec.Decode(&run); err != nil {
		return nil, fmt.Errorf("not a loadgate run document: %v", err)
	}
	switch {
	case run.Schema > Schema:
		return nil, fmt.Errorf("schema version %d, written by a newer loadgate: this one reads version %d", run.Schema, Schema)
	case run.Schema != Schema:
		return nil, fmt.Errorf("schema version %d: this loadgate reads version %d", run.Schema, Schema)
	case run.ID == "" || run.Name == "":
		return nil, errors.New("document has no id or name")
	case strings.TrimSuffix(filepath.Base(path), ".json") != run.ID:
		return nil, fmt.Errorf("document id %q does not match its file name", run.ID)
	}
	for _, e := range append(append([]Endpoint{}, run.Endpoints...), run.Total) {
		if e.Requests < 0 || e.Failures < 0 || e.Failures > e.Requests {
			return nil, fmt.Errorf("endpoint %q has %d failures in %d requests", e.Name, e.Failures, e.Requests)
		}
	}
	return &run, nil
}

// Find returns the run with the given ID (or a unique prefix of one).
func (s *Store) Find(id string) (*Run, string, error) {
	runs, _, err := s.List("")
	if err != nil {
		return nil, "", err
	}
	var found *Run
	for _, r := range runs {
		if r.ID == id || (len(id) >= 8 && strings.HasPrefix(r.ID, id)) {
			if found != nil && found.ID != r.ID {
				return nil, "", fmt.Errorf("run id %q is ambiguous", id)
			}
			found = r
		}
	}
	if found == nil {
		return nil, "", fmt.Errorf("no saved run with id %q in %s", id, s.Dir)
	}
	return found, filepath.Join(s.nameDir(found.Name), found.ID+".json"), nil
}

// Remove deletes a run. A damaged document, which has no readable ID,
// is found by its file name.
func (s *Store) Remove(id string) (*Run, error) {
	run, path, err := s.Find(id)
	if err != nil {
		_, damaged, lerr := s.List("")
		if lerr != nil {
			return nil, err
		}
		for _, d := range damaged {
			if strings.TrimSuffix(filepath.Base(d.File), ".json") == id || d.File == id {
				return &Run{ID: id, Name: "(damaged)"}, os.Remove(d.File)
			}
		}
		return nil, err
	}
	return run, os.Remove(path)
}

// MarkNewNormal flags a run as the start of a new normal (or clears the
// flag), rewriting its document atomically.
func (s *Store) MarkNewNormal(id string, on bool) (*Run, error) {
	run, path, err := s.Find(id)
	if err != nil {
		return nil, err
	}
	run.NewNormal = on
	data, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return nil, err
	}
	return run, writeAtomic(path, append(data, '\n'))
}

// Prune removes the runs of name beyond the newest keep (keep ≤ 0: no
// limit) and those saved before olderThan ago (0: no limit); with both,
// the newest keep runs stay however old they are. It returns the runs
// removed.
func (s *Store) Prune(name string, keep int, olderThan time.Duration) ([]*Run, error) {
	runs, _, err := s.List(name)
	if err != nil {
		return nil, err
	}
	cutoff := time.Time{}
	if olderThan > 0 {
		cutoff = s.Now().Add(-olderThan)
	}
	var removed []*Run
	for i, r := range runs {
		newest := keep > 0 && i >= len(runs)-keep
		tooOld := !cutoff.IsZero() && r.SavedAt.Before(cutoff)
		if newest || (keep <= 0 && !tooOld) || (keep > 0 && !cutoff.IsZero() && !tooOld) {
			continue
		}
		if err := os.Remove(filepath.Join(s.nameDir(r.Name), r.ID+".json")); err != nil {
			return removed, err
		}
		removed = append(removed, r)
	}
	return removed, nil
}

// Baseline picks the runs to compare with: the newest k runs of name
// from the latest new-normal run on, or, with commit set, the runs of
// that commit (a prefix of at least 7 characters matches).
func Baseline(runs []*Run, k int, commit string) []*Run {
	var pool []*Run
	if commit != "" {
		for _, r := range runs {
			if r.Commit == commit || (len(commit) >= 7 && strings.HasPrefix(r.Commit, commit)) {
				pool = append(pool, r)
			}
		}
	} else {
		start := 0
		for i, r := range runs {
			if r.NewNormal {
				start = i
			}
		}
		pool = runs[start:]
	}
	if k > 0 && len(pool) > k {
		pool = pool[len(pool)-k:]
	}
	return pool
}
