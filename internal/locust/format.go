package locust

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Era is a family of Locust releases that share one CSV layout. The
// layout of a file fixes its era; finer version evidence is collected in
// a Version.
type Era int

// The layouts, oldest first. See shared/locust-format.md §6.
const (
	EraUnknown Era = iota
	// Era08 is 0.8–0.13.2: _requests.csv and _distribution.csv.
	Era08
	// Era013 is 0.13.3–0.14.x: the first _stats.csv, quoted, "# requests".
	Era013
	// Era10 is 1.0.x: quoted header with the renamed columns.
	Era10
	// Era11 is 1.1.x: csv module, 12 percentiles with 99.999%.
	Era11
	// Era12 is 1.2 and later: csv module, 11 percentiles by default.
	Era12
)

func (e Era) String() string {
	switch e {
	case Era08:
		return "0.8–0.13.2"
	case Era013:
		return "0.13.3–0.14"
	case Era10:
		return "1.0"
	case Era11:
		return "1.1"
	case Era12:
		return "1.2+"
	}
	return "unknown"
}

// handBuilt reports whether files of the era were written without
// Python's csv module (quoted strings, nothing escaped, LF line ends).
func (e Era) handBuilt() bool { return e == Era08 || e == Era013 || e == Era10 }

// column identifies what a header cell holds, whatever its spelling in a
// given era.
type column int

const (
	colIgnored column = iota
	colType
	colName
	colRequests
	colFailures
	colMedian
	colAverage
	colMin
	colMax
	colContentSize
	colRPS
	colFPS
	colPercentile
	colTimestamp
	colUsers
	colTotalRequests
	colTotalFailures
	colTotalMedian
	colTotalAverage
	colTotalMin
	colTotalMax
	colTotalContentSize
	// failures and exceptions
	colError
	colOccurrences
	colFirstSeen
	colLastSeen
	colCount
	colMessage
	colTraceback
	colNodes
)

// headerNames maps each spelling of a header cell, lower-cased, to its
// column. Percentile headers ("95%", the unsuffixed "99.999") are
// recognised separately.
var headerNames = map[string]column{
	"type":                        colType,
	"method":                      colType,
	"name":                        colName,
	"# requests":                  colRequests,
	"request count":               colRequests,
	"# failures":                  colFailures,
	"failure count":               colFailures,
	"median response time":        colMedian,
	"average response time":       colAverage,
	"min response time":           colMin,
	"max response time":           colMax,
	"average content size":        colContentSize,
	"requests/s":                  colRPS,
	"requests failed/s":           colFPS,
	"failures/s":                  colFPS,
	"timestamp":                   colTimestamp,
	"user count":                  colUsers,
	"total request count":         colTotalRequests,
	"total failure count":         colTotalFailures,
	"total median response time":  colTotalMedian,
	"total average response time": colTotalAverage,
	"total min response time":     colTotalMin,
	"total max response time":     colTotalMax,
	"total average content size":  colTotalContentSize,
	"error":                       colError,
	"occurrences":                 colOccurrences,
	"first seen":                  colFirstSeen,
	"last seen":                   colLastSeen,
	"count":                       colCount,
	"message":                     colMessage,
	"traceback":                   colTraceback,
	"nodes":                       colNodes,
}

// Percentile is one percentile column of a stats or history file.
type Percentile struct {
	// Label is the header cell as Locust wrote it, such as "95%" or the
	// unsuffixed "99.999" of 0.13.3–0.14.
	Label string
	// Fraction is the quantile in (0, 1]: 0.95 for "95%".
	Fraction float64
}

// Key is the canonical metric name of the percentile: "p95", "p99.9",
// "p100".
func (p Percentile) Key() string {
	return "p" + strconv.FormatFloat(math.Round(p.Fraction*1e8)/1e6, 'f', -1, 64)
}

// parsePercentileLabel recognises "95%", "99.9%", "29.0%" and "99.999".
func parsePercentileLabel(s string) (float64, bool) {
	t := strings.TrimSuffix(s, "%")
	if t == "" || (t == s && s != "99.999") {
		return 0, false
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 || v > 100 {
		return 0, false
	}
	// Round away the float noise of labels like "29.0%".
	return float64(int64(v*1e6+0.5)) / 1e8, true
}

// layout is a parsed header: what each column holds.
type layout struct {
	file        string
	line        int
	names       []string // header cells as written
	cols        []column
	pct         []Percentile
	pctIndex    []int // index into pct for percentile columns, else -1
	where       map[column]int
	quotedFirst bool // the header's first cell was quoted
}

func newLayout(file string, line int, fields [][]byte, quotedFirst bool) *layout {
	l := &layout{
		file:        file,
		line:        line,
		where:       map[column]int{},
		quotedFirst: quotedFirst,
	}
	for i, f := range fields {
		name := strings.TrimSpace(string(f))
		l.names = append(l.names, name)
		col, ok := headerNames[strings.ToLower(name)]
		pi := -1
		if !ok {
			if frac, ok := parsePercentileLabel(name); ok {
				col = colPercentile
				pi = len(l.pct)
				l.pct = append(l.pct, Percentile{Label: name, Fraction: frac})
			}
		}
		l.cols = append(l.cols, col)
		l.pctIndex = append(l.pctIndex, pi)
		if col != colIgnored && col != colPercentile {
			if _, dup := l.where[col]; !dup {
				l.where[col] = i
			}
		}
	}
	return l
}

func (l *layout) has(c column) bool { _, ok := l.where[c]; return ok }

// require checks that the header holds every listed column, and names
// the first one missing.
func (l *layout) require(what string, cols ...column) error {
	for _, c := range cols {
		if !l.has(c) {
			return &ParseError{File: l.file, Line: l.line, Msg: fmt.Sprintf(
				"header is not a Locust %s header: no %s column (got %s)",
				what, columnLabel(c), quoteGot([]byte(strings.Join(l.names, ","))))}
		}
	}
	return nil
}

// columnLabel names a column as the current Locust spells it, for errors.
func columnLabel(c column) string {
	for _, want := range []string{"Type", "Name", "Request Count",
		"Failure Count", "Median Response Time", "Average Response Time",
		"Min Response Time", "Max Response Time", "Average Content Size",
		"Requests/s", "Failures/s", "Timestamp", "Error", "Occurrences",
		"Count", "Message", "Traceback", "Total Request Count"} {
		if headerNames[strings.ToLower(want)] == c {
			return strconv.Quote(want)
		}
	}
	return "required"
}

// eraOfStats decides the era from a _stats.csv or _requests.csv header.
func eraOfStats(l *layout) Era {
	_, oldNames := l.where[colRequests]
	switch {
	case l.names[0] == "Method" && l.names[1] == "Name" && !hasLabel(l, "Type"):
		return Era08
	case hasLabel(l, "# requests"):
		return Era013
	case l.quotedFirst:
		return Era10
	case hasLabel(l, "99.999%"):
		return Era11
	case oldNames:
		return Era12
	}
	return EraUnknown
}

func hasLabel(l *layout, s string) bool {
	for _, n := range l.names {
		if n == s {
			return true
		}
	}
	return false
}

// eraOfHistory decides the era from a _stats_history.csv header.
func eraOfHistory(l *layout) Era {
	switch {
	case len(l.names) > 0 && l.names[0] == "Type":
		return Era013
	case l.quotedFirst:
		return Era10 // 1.0 and 1.1 share the hand-built history file
	default:
		return Era12
	}
}

// isTotalRow reports whether a row is Locust's whole-run row: "Aggregated"
// since 0.12.2, "Total" before, with an empty or "None" type.
func isTotalRow(typ, name string) bool {
	return (typ == "" || typ == "None") && (name == "Aggregated" || name == "Total")
}
