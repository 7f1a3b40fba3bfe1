package generate

import (
	"bufio"
	"io"
	"sort"
	"strconv"
	"strings"
)

// percentilesToReport is Locust 1.2+'s PERCENTILES_TO_REPORT.
var percentilesToReport = []float64{0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0}

// The headers of Locust 2.x, byte for byte (without the line end).
const (
	statsHeader    = "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
	historyHeader  = "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size"
	failuresHeader = "Method,Name,Error,Occurrences"
)

// crlf ends every record, as Python's csv module does.
const crlf = "\r\n"

// csvField quotes a field as the csv module's QUOTE_MINIMAL does.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// historyWriter streams the history file.
type historyWriter struct {
	w    *bufio.Writer
	full bool
	err  error
	buf  []byte
	pct  []int64
	diff []int64
	rows int64
}

func newHistoryWriter(w io.Writer, full bool) *historyWriter {
	hw := &historyWriter{full: full, pct: make([]int64, len(percentilesToReport))}
	if w != nil {
		hw.w = bufio.NewWriterSize(w, 256<<10)
		hw.write([]byte(historyHeader + crlf))
	}
	return hw
}

func (hw *historyWriter) write(b []byte) {
	if hw.err == nil && hw.w != nil {
		_, hw.err = hw.w.Write(b)
	}
}

func (hw *historyWriter) flush() error {
	if hw.w == nil || hw.err != nil {
		return hw.err
	}
	return hw.w.Flush()
}

// writeHistory appends the rows Locust writes at time now: with full
// history one per endpoint seen so far, then the Aggregated row.
func (s *sim) writeHistory(hw *historyWriter, now float64) error {
	if hw.w == nil {
		return nil
	}
	t := int64(now)
	users := s.usersAt(now)
	if hw.full {
		for _, e := range s.sorted {
			s.historyRow(hw, e, t, users, true)
		}
	}
	// Without full history the Aggregated percentiles are whole-run ones
	// (Locust 2.2.2 and later).
	s.historyRow(hw, s.total, t, users, hw.full)
	s.summary.HistoryRows = hw.rows
	return hw.err
}

func (s *sim) historyRow(hw *historyWriter, e *entry, t int64, users int, window bool) {
	b := hw.buf[:0]
	b = strconv.AppendInt(b, t, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(users), 10)
	b = append(b, ',')
	b = append(b, csvField(e.method)...)
	b = append(b, ',')
	b = append(b, csvField(e.name)...)
	b = append(b, ',')
	b = append(b, pyFixed6(rate(&e.perSec, s.total.last, s.startT))...)
	b = append(b, ',')
	b = append(b, pyFixed6(rate(&e.failPerSec, s.total.last, s.startT))...)
	if e.n == 0 {
		for range percentilesToReport {
			b = append(b, ",N/A"...)
		}
	} else {
		if window {
			hw.diff = e.windowPercentiles(t, percentilesToReport, hw.diff, hw.pct)
		} else {
			percentiles(e.hist.counts, e.n, percentilesToReport, hw.pct)
		}
		for _, v := range hw.pct {
			b = append(b, ',')
			b = strconv.AppendInt(b, v, 10)
		}
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, e.n, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, e.fails, 10)
	b = append(b, ',')
	b = append(b, totals(e)...)
	b = append(b, crlf...)
	hw.buf = b
	hw.write(b)
	hw.rows++
}

// totals formats median, average, min, max and average content size as
// the history's Total columns and the stats file write them.
func totals(e *entry) string {
	if e.n == 0 {
		// median 0, avg 0.0 (2.10+), min 0, max 0, content 0
		return "0,0.0,0,0,0"
	}
	med, isKey := e.median()
	m := pyFloat(med)
	if isKey {
		m = pyKey(med)
	}
	return m + "," + pyFloat(e.average()) + "," + pyFloat(e.min) + "," + pyFloat(e.max) + "," + pyFloat(e.avgContent())
}

// writeStats writes _stats.csv: a row per endpoint, then Aggregated.
func (s *sim) writeStats(w io.Writer) error {
	if w == nil {
		return nil
	}
	span := s.total.last - s.startT
	bw := bufio.NewWriter(w)
	bw.WriteString(statsHeader + crlf)
	pct := make([]int64, len(percentilesToReport))
	for _, e := range append(append([]*entry(nil), s.sorted...), s.total) {
		rps, fps := 0.0, 0.0
		if s.total.last > 0 && span > 0 {
			rps, fps = float64(e.n)/span, float64(e.fails)/span
		}
		bw.WriteString(csvField(e.method) + "," + csvField(e.name) + "," +
			strconv.FormatInt(e.n, 10) + "," + strconv.FormatInt(e.fails, 10) + "," +
			totals(e) + "," + pyFloat(rps) + "," + pyFloat(fps))
		if e.n == 0 {
			bw.WriteString(strings.Repeat(",N/A", len(percentilesToReport)))
		} else {
			percentiles(e.hist.counts, e.n, percentilesToReport, pct)
			for _, v := range pct {
				bw.WriteString("," + strconv.FormatInt(v, 10))
			}
		}
		bw.WriteString(crlf)
	}
	return bw.Flush()
}

// writeFailures writes _failures.csv. Locust's row order follows a hash;
// here it is sorted by name, method and error, so runs are reproducible.
func (s *sim) writeFailures(w io.Writer) error {
	if w == nil {
		return nil
	}
	keys := make([]failureKey, 0, len(s.failures))
	for k := range s.failures {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.name != b.name {
			return a.name < b.name
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.err < b.err
	})
	bw := bufio.NewWriter(w)
	bw.WriteString(failuresHeader + crlf)
	for _, k := range keys {
		bw.WriteString(csvField(k.method) + "," + csvField(k.name) + "," + csvField(k.err) + "," +
			strconv.FormatInt(s.failures[k], 10) + crlf)
	}
	return bw.Flush()
}
