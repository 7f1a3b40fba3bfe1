package generate

import (
	"fmt"
	"github.com/loadgate/loadgate/internal/glob"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Rule is a change injected into a simulated run (--inject).
//
// Syntax: KIND:key=value;key=value…, with the kinds
//
//	latency:x=1.3;match=POST /submodels;from=20s   response times ×1.3
//	errors:rate=5%;match=POST *;from=10s            failure probability
//	leak:ms_per_min=3;match=GET *                   latency drifting upward
//	capacity:slots=6                                requests served at once
//	throughput:rps=300                              requests started per second
//
// match is a glob (* and ?) on the endpoint name or on "TYPE NAME"
// (default: every endpoint); from and to bound the rule in time since
// the start of the test (default: the whole run). capacity and throughput
// hold for the whole run.
type Rule struct {
	Kind     string
	Match    string
	From, To float64 // seconds since the test started
	Factor   float64 // latency
	Rate     float64 // errors
	Error    string  // errors: the failure text; {name} is the endpoint
	MsPerMin float64 // leak
	Slots    int     // capacity
	RPS      float64 // throughput

	re *regexp.Regexp
}

// ParseRule reads one --inject value.
func ParseRule(s string) (Rule, error) {
	kind, params, _ := strings.Cut(s, ":")
	r := Rule{Kind: kind, To: math.Inf(1)}
	bad := func(format string, args ...any) (Rule, error) {
		return Rule{}, fmt.Errorf("--inject %q: "+format, append([]any{s}, args...)...)
	}
	required := map[string]string{"latency": "x", "errors": "rate", "leak": "ms_per_min",
		"capacity": "slots", "throughput": "rps"}[kind]
	if required == "" {
		return bad("kind %q: want latency, errors, leak, capacity or throughput", kind)
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(params, ";") {
		if strings.TrimSpace(kv) == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok {
			return bad("%q: want key=value", kv)
		}
		if seen[k] {
			return bad("%s is given twice", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "match":
			r.Match = v
		case "from", "to":
			var d time.Duration
			d, err = time.ParseDuration(strings.TrimSpace(v))
			if k == "from" {
				r.From = d.Seconds()
			} else {
				r.To = d.Seconds()
			}
		case "x":
			r.Factor, err = positive(v)
		case "rate":
			r.Rate, err = fraction(v)
		case "error":
			r.Error = v
		case "ms_per_min":
			r.MsPerMin, err = positive(v)
		case "slots":
			r.Slots, err = strconv.Atoi(strings.TrimSpace(v))
			if err == nil && r.Slots < 1 {
				err = fmt.Errorf("want 1 or more")
			}
		case "rps":
			r.RPS, err = positive(v)
		default:
			return bad("unknown key %q", k)
		}
		if err != nil {
			return bad("%s=%s: %v", k, v, err)
		}
	}
	if !seen[required] {
		return bad("%s wants %s=…", kind, required)
	}
	if (kind == "capacity" || kind == "throughput") && (seen["from"] || seen["to"] || seen["match"]) {
		return bad("%s applies to the whole run and every endpoint: no from, to or match", kind)
	}
	if !(r.To > r.From) || r.From < 0 {
		return bad("to must come after from, and from be 0 or more")
	}
	if r.Error == "" {
		r.Error = "HTTPError('500 Server Error: Internal Server Error for url: {name}')"
	}
	if r.Match != "" {
		re, err := glob.Compile(r.Match)
		if err != nil {
			return bad("match: %v", err)
		}
		r.re = re
	}
	return r, nil
}

func positive(v string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || !(f > 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("want a number above 0")
	}
	return f, nil
}

func fraction(v string) (float64, error) {
	v = strings.TrimSpace(v)
	scale := 1.0
	if t, ok := strings.CutSuffix(v, "%"); ok {
		v, scale = t, 100
	}
	f, err := strconv.ParseFloat(v, 64)
	f /= scale
	if err != nil || !(f >= 0 && f <= 1) {
		return 0, fmt.Errorf("want a rate from 0 to 1, or a percentage")
	}
	return f, nil
}

// applies reports whether the rule covers endpoint e at t seconds into
// the test.
func (r *Rule) applies(e *Endpoint, t float64) bool {
	if t < r.From || t >= r.To {
		return false
	}
	return r.re == nil || r.re.MatchString(e.Name) || r.re.MatchString(e.Type+" "+e.Name)
}
