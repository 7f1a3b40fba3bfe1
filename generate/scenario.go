package generate

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loadgate/loadgate/internal/yamlfile"
)

// DefaultScenarioYAML is the built-in scenario: the service of loadgate's
// first user, with a mixed user, a high-throughput cached reader and a
// burst writer, its latencies set to resemble the stand-in service of
// shared/realrun as recorded in testdata/locust-2.12/base-a.
//
//go:embed default.yaml
var DefaultScenarioYAML []byte

// Scenario describes the load and the service to simulate.
type Scenario struct {
	// Users, SpawnRate and Duration are the defaults for the flags of
	// the same names.
	Users     int      `yaml:"users"`
	SpawnRate float64  `yaml:"spawn_rate"`
	Duration  Duration `yaml:"duration"`

	// Client is the load generator's own time, added to every request.
	Client *Latency `yaml:"client"`
	// Service limits the service's capacity.
	Service Service `yaml:"service"`

	Endpoints []*Endpoint  `yaml:"endpoints"`
	Classes   []*UserClass `yaml:"user_classes"`
}

// Service is the capacity model of the simulated service.
type Service struct {
	// Capacity is how many requests it serves at once; beyond it a FIFO
	// queue forms. 0 means no limit.
	Capacity int `yaml:"capacity"`
	// MaxRPS caps the requests it starts per second; 0 means no cap.
	MaxRPS float64 `yaml:"max_rps"`
}

// Endpoint is one request name with its latency and failure models.
type Endpoint struct {
	Type    string   `yaml:"type"`
	Name    string   `yaml:"name"`
	Latency *Latency `yaml:"latency"`
	// Content is the response size in bytes, drawn uniformly from
	// [Min, Max].
	Content Range   `yaml:"content"`
	Failure Failure `yaml:"failure"`
}

// Failure is an endpoint's failure model.
type Failure struct {
	Rate float64 `yaml:"rate"` // probability that a request fails, 0–1
	// Error is the text Locust writes in _failures.csv; {name} stands
	// for the endpoint name.
	Error   string `yaml:"error"`
	Content int64  `yaml:"content"` // bytes of a failed response
}

// Range is an inclusive integer range.
type Range struct {
	Min int64 `yaml:"min"`
	Max int64 `yaml:"max"`
}

// Latency is a response-time model: a log-normal given its median and
// 99th percentile, or a mixture of such (a cache's hits and misses).
type Latency struct {
	Median Duration   `yaml:"median"`
	P99    Duration   `yaml:"p99"`
	Mix    []*MixPart `yaml:"mix"`
}

// MixPart is one component of a mixture.
type MixPart struct {
	Weight  float64 `yaml:"weight"`
	Latency `yaml:",inline"`
}

// UserClass is a Locust user class: tasks picked by weight, with a wait
// drawn uniformly from [Wait.Min, Wait.Max] after each.
type UserClass struct {
	Name string `yaml:"name"`
	// Weight is the class's share of the users; 1 when left out.
	WeightSet *float64 `yaml:"weight"`
	Weight    float64  `yaml:"-"`
	Wait      struct {
		Min Duration `yaml:"min"`
		Max Duration `yaml:"max"`
	} `yaml:"wait"`
	Tasks []*Task `yaml:"tasks"`
}

// Task is a weighted request of a user class.
type Task struct {
	Endpoint string `yaml:"endpoint"` // an endpoint's name, or "TYPE NAME"
	// Weight is how often the task is picked; 1 when left out.
	WeightSet *float64 `yaml:"weight"`
	Weight    float64  `yaml:"-"`
	target    int
}

func weightOr1(w *float64) float64 {
	if w == nil {
		return 1
	}
	return *w
}

// Duration is a time.Duration written as "150ms" or "45s" in YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q: want a duration such as 150ms or 45s", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// Millis is the duration in milliseconds.
func (d Duration) Millis() float64 { return float64(d) / float64(time.Millisecond) }

// ParseScenario reads a scenario YAML file; name is used in errors.
func ParseScenario(data []byte, name string) (*Scenario, error) {
	var s Scenario
	if err := yamlfile.Decode(data, name, "a scenario with endpoints and user_classes", &s); err != nil {
		return nil, err
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &s, nil
}

// DefaultScenario returns the built-in scenario.
func DefaultScenario() *Scenario {
	s, err := ParseScenario(DefaultScenarioYAML, "default scenario")
	if err != nil {
		panic("generate: built-in default.yaml is invalid: " + err.Error())
	}
	return s
}

func (s *Scenario) check() error {
	if len(s.Endpoints) == 0 {
		return errors.New("no endpoints")
	}
	if len(s.Classes) == 0 {
		return errors.New("no user_classes")
	}
	if s.Service.Capacity < 0 || s.Service.MaxRPS < 0 {
		return errors.New("service: capacity and max_rps must be 0 or more")
	}
	if s.Client != nil {
		if err := s.Client.check("client"); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, e := range s.Endpoints {
		if e == nil || e.Name == "" || e.Type == "" {
			return fmt.Errorf("endpoints[%d]: want a type (such as GET) and a name", i)
		}
		if seen[e.Type+" "+e.Name] {
			return fmt.Errorf("endpoints[%d]: %s %s is listed twice", i, e.Type, e.Name)
		}
		seen[e.Type+" "+e.Name] = true
		if e.Latency == nil {
			return fmt.Errorf("endpoint %q: want a latency model", e.Name)
		}
		if err := e.Latency.check("endpoint " + e.Name); err != nil {
			return err
		}
		if !(e.Failure.Rate >= 0 && e.Failure.Rate <= 1) {
			return fmt.Errorf("endpoint %q: failure rate %v: want 0 to 1", e.Name, e.Failure.Rate)
		}
		if e.Content.Max < e.Content.Min || e.Content.Min < 0 {
			return fmt.Errorf("endpoint %q: content: want 0 <= min <= max", e.Name)
		}
	}
	for i, u := range s.Classes {
		if u == nil || len(u.Tasks) == 0 {
			return fmt.Errorf("user_classes[%d]: want tasks", i)
		}
		if u.Wait.Max < u.Wait.Min {
			return fmt.Errorf("user class %q: want wait min <= max", u.Name)
		}
		if u.Weight = weightOr1(u.WeightSet); !(u.Weight > 0) {
			return fmt.Errorf("user class %q: weight %v: want more than 0 (or leave it out for 1)", u.Name, u.Weight)
		}
		for _, t := range u.Tasks {
			if t == nil {
				return fmt.Errorf("user class %q: empty task", u.Name)
			}
			if t.Weight = weightOr1(t.WeightSet); !(t.Weight > 0) {
				return fmt.Errorf("user class %q: task %q: weight %v: want more than 0 (or leave it out for 1)", u.Name, t.Endpoint, t.Weight)
			}
			idx, err := s.findEndpoint(t.Endpoint)
			if err != nil {
				return fmt.Errorf("user class %q: %w", u.Name, err)
			}
			t.target = idx
		}
	}
	return nil
}

func (s *Scenario) findEndpoint(ref string) (int, error) {
	found := -1
	for i, e := range s.Endpoints {
		if e.Name == ref || e.Type+" "+e.Name == ref {
			if found >= 0 {
				return 0, fmt.Errorf("task endpoint %q is ambiguous: write \"TYPE NAME\"", ref)
			}
			found = i
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("task endpoint %q: no such endpoint", ref)
	}
	return found, nil
}

func (l *Latency) check(where string) error {
	if len(l.Mix) > 0 {
		total := 0.0
		for _, m := range l.Mix {
			if m == nil || !(m.Weight > 0) || math.IsInf(m.Weight, 0) {
				return fmt.Errorf("%s: mix weights must be above 0", where)
			}
			total += m.Weight
			if err := m.Latency.check(where); err != nil {
				return err
			}
		}
		return nil
	}
	if l.Median <= 0 || l.P99 < l.Median {
		return fmt.Errorf("%s: latency wants median > 0 and p99 >= median", where)
	}
	return nil
}

// z99 is the 0.99 quantile of the standard normal distribution
// (Abramowitz and Stegun, table 26.5: 2.326347874).
const z99 = 2.3263478740408408

// sampler draws response times in milliseconds.
type sampler struct {
	mu, sigma float64
	weights   []float64 // cumulative, for a mixture
	parts     []sampler
}

func newSampler(l *Latency) sampler {
	if len(l.Mix) > 0 {
		var s sampler
		total := 0.0
		for _, m := range l.Mix {
			total += m.Weight
		}
		acc := 0.0
		for _, m := range l.Mix {
			acc += m.Weight / total
			s.weights = append(s.weights, acc)
			s.parts = append(s.parts, newSampler(&m.Latency))
		}
		return s
	}
	m, q := l.Median.Millis(), l.P99.Millis()
	return sampler{mu: math.Log(m), sigma: math.Log(q/m) / z99}
}

func (s *sampler) draw(r *rng) float64 {
	if len(s.parts) > 0 {
		u := r.Float64()
		for i, w := range s.weights {
			if u < w || i == len(s.weights)-1 {
				return s.parts[i].draw(r)
			}
		}
	}
	return math.Exp(s.mu + s.sigma*r.NormFloat64())
}
