package analyze

import (
	"encoding/base64"
	"unicode/utf8"

	"github.com/loadgate/loadgate/internal/report"
	"math"
	"time"
)

// JSONVersion is the version of the analysis JSON document. It changes
// when a field changes meaning or goes away.
const JSONVersion = 1

// JSONReport is the analysis as a JSON document. Unknown numbers are
// null; times are milliseconds, rates per second, error rates fractions.
type JSONReport struct {
	Version     int               `json:"version"`
	Files       map[string]string `json:"files"`
	Locust      string            `json:"locust_version"`
	LocustWhy   []string          `json:"locust_version_evidence"`
	Start       *time.Time        `json:"start,omitempty"`
	End         *time.Time        `json:"end,omitempty"`
	Duration    *float64          `json:"duration_s"`
	PeakUsers   *int64            `json:"peak_users"`
	Requests    int64             `json:"requests"`
	Failures    int64             `json:"failures"`
	ErrorRate   *float64          `json:"error_rate"`
	RPS         *float64          `json:"rps"`
	RampUp      *JSONPhase        `json:"ramp_up"`
	WarmUp      *JSONPhase        `json:"warm_up"`
	Steady      *JSONPhase        `json:"steady_state"`
	Endpoints   []JSONEndpoint    `json:"endpoints"`
	Total       JSONEndpoint      `json:"aggregated"`
	TopFailures []JSONFailure     `json:"top_failures"`
	Exceptions  []JSONException   `json:"top_exceptions"`
	Notes       []string          `json:"notes"`
}

// JSONPhase is a Phase in JSON.
type JSONPhase struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Seconds  float64   `json:"seconds"`
	Users    int64     `json:"users"`
	Requests int64     `json:"requests"`
	Failures int64     `json:"failures"`
	RPS      *float64  `json:"rps"`
}

// JSONEndpoint is an Endpoint in JSON; Percentiles are keyed "p95".
type JSONEndpoint struct {
	Type string `json:"type"`
	// Name is the endpoint name; a name that is not valid UTF-8 is shown
	// with \xNN escapes, and its exact bytes are in NameBase64.
	Name        string              `json:"name"`
	NameBase64  string              `json:"name_base64,omitempty"`
	Requests    int64               `json:"requests"`
	Failures    int64               `json:"failures"`
	ErrorRate   *float64            `json:"error_rate"`
	Median      *float64            `json:"median_ms"`
	Average     *float64            `json:"average_ms"`
	Min         *float64            `json:"min_ms"`
	Max         *float64            `json:"max_ms"`
	RPS         *float64            `json:"rps"`
	SteadyRPS   *float64            `json:"steady_rps"`
	Percentiles map[string]*float64 `json:"percentiles_ms"`
}

// JSONFailure is a row of the failures file.
type JSONFailure struct {
	Method      string `json:"method"`
	Name        string `json:"name"`
	Error       string `json:"error"`
	Occurrences int64  `json:"occurrences"`
}

// JSONException is a row of the exceptions file.
type JSONException struct {
	Count     int64  `json:"count"`
	Message   string `json:"message"`
	Traceback string `json:"traceback"`
}

// num turns NaN into null.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// JSON converts the report.
func (r *Report) JSON() JSONReport {
	j := JSONReport{
		Version:     JSONVersion,
		Files:       map[string]string{},
		Locust:      r.Version,
		LocustWhy:   r.VersionWhy,
		Duration:    num(r.Duration),
		Requests:    r.Requests,
		Failures:    r.Failures,
		ErrorRate:   num(r.ErrorRate),
		RPS:         num(r.RPS),
		RampUp:      jsonPhase(r.RampUp),
		WarmUp:      jsonPhase(r.WarmUp),
		Steady:      jsonPhase(r.Steady),
		Total:       r.jsonEndpoint(&r.Total),
		Notes:       append([]string{}, r.Notes...),
		Endpoints:   []JSONEndpoint{},
		TopFailures: []JSONFailure{},
		Exceptions:  []JSONException{},
	}
	for k, v := range map[string]string{"stats": r.Files.Stats, "history": r.Files.History,
		"failures": r.Files.Failures, "exceptions": r.Files.Exceptions, "distribution": r.Files.Distribution} {
		if v != "" {
			j.Files[k] = v
		}
	}
	if !r.Start.IsZero() {
		j.Start, j.End = &r.Start, &r.End
	}
	if r.PeakUsers >= 0 {
		j.PeakUsers = &r.PeakUsers
	}
	for i := range r.Endpoints {
		j.Endpoints = append(j.Endpoints, r.jsonEndpoint(&r.Endpoints[i]))
	}
	for i, f := range r.TopFailures {
		if i == TopN {
			break
		}
		j.TopFailures = append(j.TopFailures, JSONFailure{f.Method, f.Name, f.Error, f.Occurrences})
	}
	for i, e := range r.Exceptions {
		if i == TopN {
			break
		}
		j.Exceptions = append(j.Exceptions, JSONException{e.Count, e.Message, e.Traceback})
	}
	return j
}

func jsonPhase(p *Phase) *JSONPhase {
	if p == nil {
		return nil
	}
	return &JSONPhase{p.Start, p.End, p.Seconds, p.Users, p.Requests, p.Failures, num(p.RPS)}
}

func (r *Report) jsonEndpoint(e *Endpoint) JSONEndpoint {
	j := JSONEndpoint{
		Type: e.Type, Name: e.Name, Requests: e.Requests, Failures: e.Failures,
		ErrorRate: num(e.ErrorRate), Median: num(e.Median), Average: num(e.Average),
		Min: num(e.Min), Max: num(e.Max), RPS: num(e.RPS), SteadyRPS: num(e.SteadyRPS),
		Percentiles: map[string]*float64{},
	}
	if !utf8.ValidString(e.Name) {
		j.Name = report.Text(e.Name)
		j.NameBase64 = base64.StdEncoding.EncodeToString([]byte(e.Name))
	}
	for i, p := range r.Percentiles {
		if i < len(e.Percentiles) {
			j.Percentiles[p.Key()] = num(e.Percentiles[i])
		}
	}
	return j
}
