package locust

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gocarina/gocsv"
)

// Failure is one row of _failures.csv: a distinct error of one endpoint.
type Failure struct {
	Method      string  `csv:"Method"`
	Name        string  `csv:"Name"`
	Error       string  `csv:"Error"`
	Occurrences int64   `csv:"Occurrences"`
	FirstSeen   UTCTime `csv:"First Seen"` // 2.44 and later
	LastSeen    UTCTime `csv:"Last Seen"`
	Line        int     `csv:"-"`
}

// Label names the failing endpoint for people; see Label.
func (f *Failure) Label() string { return Label(f.Method, f.Name) }

// Exception is one row of _exceptions.csv: an error raised in the
// locustfile itself, not a failed request.
type Exception struct {
	Count     int64  `csv:"Count"`
	Message   string `csv:"Message"`
	Traceback string `csv:"Traceback"` // multi-line, "\n"-separated
	Nodes     string `csv:"Nodes"`
	Line      int    `csv:"-"`
}

// UTCTime is a failure's first or last sighting, written by Locust as
// "2006-01-02T15:04:05Z". The zero value means the file had none.
type UTCTime struct{ time.Time }

// UnmarshalCSV parses the cell; an empty cell is the zero time.
func (t *UTCTime) UnmarshalCSV(s string) error {
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("want a UTC time such as 2026-10-03T20:36:19Z, got %q", s)
	}
	t.Time = v
	return nil
}

// ReadFailures parses a _failures.csv of any era.
func ReadFailures(r io.Reader, file string) ([]Failure, error) {
	var out []Failure
	lines, err := decodeFixed(r, file, "failures", &out,
		colType, colName, colError, colOccurrences)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Line = lines[i]
		if out[i].Method == "None" {
			out[i].Method = ""
		}
	}
	return out, nil
}

// ReadExceptions parses an _exceptions.csv (Locust 1.4.2 and later).
func ReadExceptions(r io.Reader, file string) ([]Exception, error) {
	var out []Exception
	lines, err := decodeFixed(r, file, "exceptions", &out,
		colCount, colMessage, colTraceback)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Line = lines[i]
	}
	return out, nil
}

// decodeFixed reads a fixed-shape file with the Locust-aware record
// reader, checks its header and width, and maps the rows onto structs
// with gocsv. It returns the line of each row.
func decodeFixed(r io.Reader, file, what string, out any, required ...column) ([]int, error) {
	rr := newRecordReader(r, file)
	l, err := readHeader(rr, what)
	if err != nil {
		return nil, err
	}
	if err := l.require(what, required...); err != nil {
		return nil, err
	}
	rows := [][]string{l.names}
	lines := []int{l.line}
	for {
		fields, err := rr.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		c := cells{l: l, line: rr.recLine, fields: fields}
		if !c.checkWidth() {
			return nil, c.err
		}
		row := make([]string, len(fields))
		for i, f := range fields {
			row[i] = string(f)
		}
		rows = append(rows, row)
		lines = append(lines, rr.recLine)
	}
	if len(rows) == 1 {
		return nil, nil
	}

	err = gocsv.UnmarshalCSV(&rowSource{rows: rows}, out)
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		// gocsv counts the header as line 1 and one line per record.
		e := &ParseError{File: file, Msg: pe.Err.Error()}
		if rec := pe.Line - 1; rec >= 0 && rec < len(lines) {
			e.Line = lines[rec]
		}
		if col := pe.Column - 1; col >= 0 && col < len(l.names) {
			e.Column = l.names[col]
			e.Msg = "want a whole number, got " + quoteGot([]byte(rows[pe.Line-1][col]))
			if l.cols[col] == colFirstSeen || l.cols[col] == colLastSeen {
				e.Msg = pe.Err.Error()
			}
		}
		return nil, e
	}
	if err != nil {
		return nil, &ParseError{File: file, Msg: err.Error()}
	}
	return lines[1:], nil
}

// rowSource hands records already split by recordReader to gocsv.
type rowSource struct {
	rows [][]string
	next int
}

func (s *rowSource) Read() ([]string, error) {
	if s.next >= len(s.rows) {
		return nil, io.EOF
	}
	s.next++
	return s.rows[s.next-1], nil
}

func (s *rowSource) ReadAll() ([][]string, error) {
	rest := s.rows[s.next:]
	s.next = len(s.rows)
	return rest, nil
}
