package gate

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/loadgate/loadgate/internal/glob"
	"github.com/loadgate/loadgate/internal/yamlfile"
)

// DefaultYAML is the configuration used when there is no loadgate.yaml:
// the targets of the service loadgate was first written for.
//
//go:embed default.yaml
var DefaultYAML []byte

// Config is a parsed loadgate.yaml.
type Config struct {
	Version  int                        `yaml:"version"`
	Classes  map[string]*Class          `yaml:"classes"`
	Criteria []*Criterion               `yaml:"criteria"`
	Metrics  map[string]*ExternalMetric `yaml:"metrics"`
	// Regression says how runs are compared with their baseline.
	Regression *RegressionConfig `yaml:"regression"`

	// File is where the configuration came from ("" for the defaults).
	File string `yaml:"-"`

	regression RegressionConfig     // resolved, defaults filled in
	thresholds map[string]threshold // resolved practical sizes
}

// Class is a named set of endpoints, such as "cached-read".
type Class struct {
	Names  []string `yaml:"names"`  // glob patterns on the endpoint name; none means all
	Types  []string `yaml:"types"`  // request types, case-insensitive; none means all
	Except []string `yaml:"except"` // classes whose endpoints are left out
}

// Criterion is one line of the performance table.
type Criterion struct {
	Name     string `yaml:"name"`
	Metric   string `yaml:"metric"`
	Scope    Scope  `yaml:"scope"`
	Target   Level  `yaml:"target"`
	Critical Level  `yaml:"critical"`
	// Per is "endpoint" to judge each endpoint of the scope, or "scope"
	// to judge their combined figure. Latency is always per endpoint.
	Per string `yaml:"per"`

	line int
}

// Scope picks the endpoints a criterion judges.
type Scope struct {
	Run   bool     // the whole run (the Aggregated row)
	Class string   // a class of the configuration
	Names []string // ad hoc patterns
	Types []string
}

// Level is a target or critical level: a comparison and a value in the
// metric's unit (milliseconds, a fraction, requests per second, a count).
type Level struct {
	Op    string // "<", "<=", ">" or ">="; "" until resolved by the metric
	Value float64
	Text  string // as written
	Unit  string // the unit letters as written ("ms", "%", "rps", "")
	line  int
}

// ExternalMetric is a metric loadgate cannot read from Locust, such as a
// cache hit rate.
type ExternalMetric struct {
	// Unit is "ratio" (a fraction, written 0.97 or 97%), "ms", "rps" or
	// "count".
	Unit string `yaml:"unit"`
	// Better is "higher" or "lower".
	Better     string      `yaml:"better"`
	Prometheus *PromSource `yaml:"prometheus"`
}

// PromSource says how to compute the metric from two Prometheus scrapes
// taken before and after the test: Hits/(Hits+Misses) or Hits/Total of
// the counters' increases, or the value of Gauge after the test.
type PromSource struct {
	Hits   *Selector `yaml:"hits"`
	Misses *Selector `yaml:"misses"`
	Total  *Selector `yaml:"total"`
	Gauge  *Selector `yaml:"gauge"`
}

// Selector names Prometheus series: a metric name and label values that
// must match. Written as a plain name or as {name: …, labels: {…}}.
type Selector struct {
	Name   string            `yaml:"name"`
	Labels map[string]string `yaml:"labels"`
}

// UnmarshalYAML accepts a bare metric name.
func (s *Selector) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		s.Name = n.Value
		return nil
	}
	type plain Selector
	return n.Decode((*plain)(s))
}

func (s *Selector) String() string {
	if len(s.Labels) == 0 {
		return s.Name
	}
	var parts []string
	for k, v := range s.Labels {
		parts = append(parts, fmt.Sprintf("%s=%q", k, v))
	}
	return s.Name + "{" + strings.Join(parts, ",") + "}"
}

// UnmarshalYAML reads "run", a class name, or a map of patterns.
func (s *Scope) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if n.Value == "run" || n.Value == "" {
			s.Run = true
		} else {
			s.Class = n.Value
		}
		return nil
	}
	if err := knownKeys(n, "class", "names", "types"); err != nil {
		return err
	}
	var m struct {
		Class string   `yaml:"class"`
		Names []string `yaml:"names"`
		Types []string `yaml:"types"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	s.Class, s.Names, s.Types = m.Class, m.Names, m.Types
	return nil
}

// String describes the scope for reports.
func (s Scope) String() string {
	switch {
	case s.Run || (s.Class == "" && len(s.Names) == 0 && len(s.Types) == 0):
		return "run"
	case s.Class != "":
		return s.Class
	}
	var parts []string
	if len(s.Types) > 0 {
		parts = append(parts, strings.Join(s.Types, "|"))
	}
	if len(s.Names) > 0 {
		parts = append(parts, strings.Join(s.Names, "|"))
	}
	return strings.Join(parts, " ")
}

// UnmarshalYAML keeps the criterion's line for error messages.
func (c *Criterion) UnmarshalYAML(n *yaml.Node) error {
	if err := knownKeys(n, "name", "metric", "scope", "target", "critical", "per"); err != nil {
		return err
	}
	type plain Criterion
	if err := n.Decode((*plain)(c)); err != nil {
		return err
	}
	c.line = n.Line
	return nil
}

// knownKeys rejects keys of a mapping node outside the allowed ones; a
// custom UnmarshalYAML does not inherit the decoder's KnownFields.
func knownKeys(n *yaml.Node, allowed ...string) error {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, a := range allowed {
			ok = ok || k.Value == a
		}
		if !ok {
			return fmt.Errorf("line %d: field %s not found: want one of %s", k.Line, k.Value, strings.Join(allowed, ", "))
		}
	}
	return nil
}

var levelRE = regexp.MustCompile(`^\s*(<=|>=|<|>)?\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z%/]*)\s*$`)

// UnmarshalYAML splits "< 10ms" into its comparison, number and unit; the
// unit is checked against the metric later.
func (l *Level) UnmarshalYAML(n *yaml.Node) error {
	l.line = n.Line
	l.Text = n.Value
	m := levelRE.FindStringSubmatch(n.Value)
	if m == nil {
		return fmt.Errorf("line %d: level %q: want a number with a unit, such as 10ms, 0.1%%, 1000rps or >95%%", n.Line, n.Value)
	}
	v, err := strconv.ParseFloat(m[2], 64)
	if err != nil {
		return fmt.Errorf("line %d: level %q: %v", n.Line, n.Value, err)
	}
	l.Op, l.Value, l.Unit = m[1], v, m[3]
	return nil
}

// ParseConfig reads a loadgate.yaml. name is used in error messages.
func ParseConfig(data []byte, name string) (*Config, error) {
	var c Config
	if err := yamlfile.Decode(data, name, "a loadgate configuration with criteria", &c); err != nil {
		return nil, err
	}
	c.File = name
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

// Default returns the built-in configuration.
func Default() *Config {
	c, err := ParseConfig(DefaultYAML, "")
	if err != nil {
		panic("gate: built-in default.yaml is invalid: " + err.Error())
	}
	c.File = ""
	return c
}

// metricKind is what a metric measures, which fixes its unit and
// direction.
type metricKind int

const (
	kindLatency metricKind = iota
	kindErrorRate
	kindRPS
	kindCount
	kindExternal
)

// metricInfo resolves a metric name.
func (c *Config) metricInfo(name string) (kind metricKind, unit string, higherBetter bool, ok bool) {
	switch name {
	case "median", "avg", "average", "max", "min":
		return kindLatency, "ms", false, true
	case "error_rate":
		return kindErrorRate, "ratio", false, true
	case "rps", "throughput":
		return kindRPS, "rps", true, true
	case "failures":
		return kindCount, "count", false, true
	}
	if _, ok := percentileOf(name); ok {
		return kindLatency, "ms", false, true
	}
	if m, ok := c.Metrics[name]; ok {
		return kindExternal, m.Unit, m.Better == "higher", true
	}
	return 0, "", false, false
}

// percentileOf reads "p95" or "p99.9" as a fraction.
func percentileOf(name string) (float64, bool) {
	if !strings.HasPrefix(name, "p") {
		return 0, false
	}
	v, err := strconv.ParseFloat(name[1:], 64)
	if err != nil || v <= 0 || v > 100 {
		return 0, false
	}
	return v / 100, true
}

// check validates the configuration and resolves each level to the
// metric's unit and direction.
func (c *Config) check() error {
	if c.Version != 0 && c.Version != 1 {
		return fmt.Errorf("version %d: this loadgate reads version 1", c.Version)
	}
	if len(c.Criteria) == 0 && c.Regression == nil {
		return errors.New("no criteria: want a list under criteria: (or a regression: section)")
	}
	if err := c.resolveRegression(); err != nil {
		return err
	}
	for name, m := range c.Metrics {
		if m == nil {
			return fmt.Errorf("metrics.%s: empty: want unit and better", name)
		}
		switch m.Unit {
		case "ratio", "ms", "rps", "count":
		default:
			return fmt.Errorf("metrics.%s: unit %q: want ratio, ms, rps or count", name, m.Unit)
		}
		if m.Better != "higher" && m.Better != "lower" {
			return fmt.Errorf("metrics.%s: better %q: want higher or lower", name, m.Better)
		}
		if p := m.Prometheus; p != nil {
			switch {
			case p.Gauge != nil:
			case p.Hits != nil && (p.Misses != nil || p.Total != nil):
			default:
				return fmt.Errorf("metrics.%s.prometheus: want hits with misses or total, or gauge", name)
			}
		}
	}
	for name, cl := range c.Classes {
		if cl == nil {
			// An empty class matches every endpoint, as the empty
			// lists inside one do.
			cl = &Class{}
			c.Classes[name] = cl
		}
		for _, ex := range cl.Except {
			if _, ok := c.Classes[ex]; !ok || ex == name {
				return fmt.Errorf("classes.%s.except: no other class named %q", name, ex)
			}
		}
		if err := checkPatterns(cl.Names); err != nil {
			return fmt.Errorf("classes.%s: %w", name, err)
		}
	}
	for i, cr := range c.Criteria {
		if cr == nil {
			return fmt.Errorf("criterion %d is empty: want metric, target and critical", i+1)
		}
		where := fmt.Sprintf("line %d: criterion %d", cr.line, i+1)
		if cr.Name == "" {
			cr.Name = cr.Metric + " (" + cr.Scope.String() + ")"
		}
		kind, unit, higher, ok := c.metricInfo(cr.Metric)
		if !ok {
			return fmt.Errorf("%s: metric %q: want p50…p99.9, median, avg, max, error_rate, rps, failures or a metric defined under metrics:", where, cr.Metric)
		}
		if cr.Scope.Class != "" {
			if _, ok := c.Classes[cr.Scope.Class]; !ok {
				return fmt.Errorf("%s: scope %q: no such class (and not \"run\")", where, cr.Scope.Class)
			}
		}
		if err := checkPatterns(cr.Scope.Names); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		switch cr.Per {
		case "", "endpoint", "scope":
		default:
			return fmt.Errorf("%s: per %q: want endpoint or scope", where, cr.Per)
		}
		if cr.Target.Text == "" || cr.Critical.Text == "" {
			return fmt.Errorf("%s (%s): want both target and critical levels", where, cr.Name)
		}
		for _, l := range []*Level{&cr.Target, &cr.Critical} {
			if err := l.resolve(kind, unit, higher); err != nil {
				return fmt.Errorf("line %d: %s: %w", l.line, cr.Name, err)
			}
		}
		if cr.Target.Op != cr.Critical.Op && cr.Target.Op[:1] != cr.Critical.Op[:1] {
			return fmt.Errorf("%s (%s): target %q and critical %q compare in opposite directions", where, cr.Name, cr.Target.Text, cr.Critical.Text)
		}
		lower := cr.Target.Op[0] == '<'
		if (lower && cr.Critical.Value < cr.Target.Value) || (!lower && cr.Critical.Value > cr.Target.Value) {
			return fmt.Errorf("%s (%s): critical %q is stricter than target %q", where, cr.Name, cr.Critical.Text, cr.Target.Text)
		}
	}
	return nil
}

// resolve converts the level to the metric's unit and fills in the
// comparison from the metric's direction when none was written.
func (l *Level) resolve(kind metricKind, unit string, higherBetter bool) error {
	if l.Op == "" {
		l.Op = "<"
		if higherBetter {
			l.Op = ">"
		}
	}
	u := strings.ToLower(l.Unit)
	bad := func(want string) error {
		return fmt.Errorf("level %q: want %s", l.Text, want)
	}
	switch unit {
	case "ms":
		switch u {
		case "ms":
		case "s":
			l.Value *= 1000
		case "us", "µs":
			l.Value /= 1000
		default:
			return bad("a time such as 10ms or 0.5s")
		}
	case "ratio":
		switch u {
		case "%":
			l.Value /= 100
		case "":
			if l.Value > 1 {
				return bad("a fraction from 0 to 1 or a percentage such as 0.1%")
			}
		default:
			return bad("a percentage such as 0.1% or a fraction such as 0.001")
		}
	case "rps":
		switch u {
		case "", "rps", "/s", "req/s":
		default:
			return bad("requests per second such as 1000rps")
		}
	case "count":
		if u != "" || l.Value != math.Trunc(l.Value) {
			return bad("a whole number")
		}
	}
	if l.Value < 0 {
		return bad("a value of 0 or more")
	}
	return nil
}

// checkPatterns rejects glob patterns that cannot compile.
func checkPatterns(ps []string) error {
	for _, p := range ps {
		if _, err := glob.Compile(p); err != nil {
			return fmt.Errorf("pattern %q: %v", p, err)
		}
	}
	return nil
}
