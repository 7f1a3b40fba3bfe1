// Package generate writes simulated Locust runs: the four CSV files that
// Locust 2.x writes with --csv, from a simulated load rather than random
// numbers.
//
// Users start at the spawn rate up to the user count and loop as Locust
// users do: pick a task by weight, make the request, wait a random time
// from their class's range. Each request draws its time from the
// endpoint's latency model, plus the client's own time, plus any queueing
// at a service whose capacity is limited; it fails with the endpoint's
// probability. The requests then go through Locust's own bookkeeping
// (locuststats.go), so the files hold exactly what Locust would write for
// that sequence of requests: rounded histograms, lower medians,
// whole-run rates, 10-second window percentiles.
//
// Runs are reproducible: the same scenario, options and seed give
// byte-identical files. Each run draws its own speeds: the machine's
// (Options.RunNoise, on the client's time), the service's and each
// endpoint's (Options.ServiceNoise, on the server's time), so runs with
// different seeds differ as repeated real runs do.
package generate

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

type rng = rand.Rand

// DefaultRunNoise and DefaultServiceNoise reproduce the run-to-run
// spread measured on five real Locust runs of the same settings with
// loadgate calibrate noise: 6–9% on the client-bound reads, 1–2% on the
// server-bound writes (see the README's calibration section).
const (
	DefaultRunNoise     = 0.10
	DefaultServiceNoise = 0.015
)

// Options are the settings of one simulated run.
type Options struct {
	Scenario  *Scenario
	Users     int
	SpawnRate float64 // users started per second
	Duration  time.Duration
	Seed      uint64
	// RunNoise is the run-to-run spread of the load generator's machine
	// speed: the standard deviation of the logarithm of the factor on the
	// client's time in every request (0.1 is about 10%).
	RunNoise float64
	// ServiceNoise is the run-to-run spread of the service's speed: a
	// factor shared by all endpoints' server time, and one of each
	// endpoint's own, each with this spread.
	ServiceNoise float64
	Inject       []Rule
	// Start is the Unix time of the first history row.
	Start int64
	// FullHistory adds the per-endpoint history rows, as Locust's
	// --csv-full-history does.
	FullHistory bool
}

// Outputs are where the four files go; nil skips a file.
type Outputs struct {
	Stats, History, Failures, Exceptions io.Writer
}

// Summary describes a finished simulation.
type Summary struct {
	Requests, Failures int64
	ServiceFactor      float64 // this run's service speed (server time ×)
	MachineFactor      float64 // this run's client speed (client time ×)
	HistoryRows        int64
}

// event is a user starting a request, or the request completing.
type event struct {
	t    float64
	seq  uint64
	user int32
	done bool
}

// eventHeap is a binary min-heap of events ordered by time, then by
// sequence. Every user has exactly one pending event, so processing the
// earliest event replaces it with the user's next one in place.
type eventHeap []event

func (h eventHeap) less(i, j int) bool {
	return h[i].t < h[j].t || (h[i].t == h[j].t && h[i].seq < h[j].seq)
}

func (h *eventHeap) push(e event) {
	*h = append(*h, e)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

// down restores the heap after the top changed.
func (h eventHeap) down() {
	n := len(h)
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// pop removes the top.
func (h *eventHeap) pop() {
	q := *h
	last := len(q) - 1
	q[0] = q[last]
	*h = q[:last]
	h.down()
}

// user is a simulated Locust user and its request in flight.
type user struct {
	class   int
	ep      int
	rt      float64 // ms
	failed  bool
	content int64
	errText string
}

// endpointSim is an endpoint with its samplers and the rules that match
// it.
type endpointSim struct {
	*Endpoint
	latency sampler
	rules   []*Rule
	stats   *entry
	speed   float64 // this run's factor of the endpoint's own
}

// sim is the state of a run.
type sim struct {
	opt      Options
	r        *rng
	eps      []endpointSim
	users    []user
	spawnAt  []float64
	client   *sampler
	cumTasks [][]float64 // per class, cumulative task weights
	service  float64     // per-run factors
	machine  float64

	slots    []float64 // capacity: when each slot is next free
	nextFree float64   // throughput cap: when the next request may start
	rps      float64

	t0, startT, stopT float64
	total             *entry
	sorted            []*entry // endpoints that have had requests, Locust's order
	failures          map[failureKey]int64
	events            eventHeap
	seq               uint64
	summary           Summary
}

type failureKey struct{ method, name, err string }

// Run simulates the run and writes its files.
func Run(opt Options, out Outputs) (*Summary, error) {
	s, err := newSim(opt)
	if err != nil {
		return nil, err
	}
	hw := newHistoryWriter(out.History, opt.FullHistory)
	if err := s.loop(hw); err != nil {
		return nil, err
	}
	if err := hw.flush(); err != nil {
		return nil, err
	}
	if err := s.writeStats(out.Stats); err != nil {
		return nil, err
	}
	if err := s.writeFailures(out.Failures); err != nil {
		return nil, err
	}
	if out.Exceptions != nil {
		if _, err := io.WriteString(out.Exceptions, "Count,Message,Traceback,Nodes\r\n"); err != nil {
			return nil, err
		}
	}
	return &s.summary, nil
}

// Check validates the options; Run calls it too.
func (opt Options) Check() error {
	switch {
	case opt.Scenario == nil:
		return errors.New("no scenario")
	case opt.Users < 1 || opt.Users > maxUsers:
		return fmt.Errorf("users %d: want 1 to %d", opt.Users, maxUsers)
	case !(opt.SpawnRate > 0) || math.IsInf(opt.SpawnRate, 0):
		return fmt.Errorf("spawn rate %v: want more than 0", opt.SpawnRate)
	case opt.Duration < time.Second:
		return fmt.Errorf("duration %v: want 1s or more", opt.Duration)
	case !(opt.RunNoise >= 0 && opt.RunNoise <= 1) || !(opt.ServiceNoise >= 0 && opt.ServiceNoise <= 1):
		return fmt.Errorf("run noise %v, service noise %v: want 0 to 1", opt.RunNoise, opt.ServiceNoise)
	}
	for _, r := range opt.Inject {
		if r.From >= opt.Duration.Seconds() {
			return fmt.Errorf("--inject %s: starts at %gs, after the %v test has ended", r.Kind, r.From, opt.Duration)
		}
		if r.re == nil {
			continue
		}
		matched := false
		for _, e := range opt.Scenario.Endpoints {
			matched = matched || r.re.MatchString(e.Name) || r.re.MatchString(e.Type+" "+e.Name)
		}
		if !matched {
			return fmt.Errorf("--inject %s: match=%s matches no endpoint of the scenario", r.Kind, r.Match)
		}
	}
	return nil
}

// maxUsers bounds the simulation's memory: a user costs about 100 bytes,
// its event a few dozen.
const maxUsers = 1_000_000

func newSim(opt Options) (*sim, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	sc := opt.Scenario
	s := &sim{
		opt:      opt,
		r:        rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		failures: map[failureKey]int64{},
		total:    newEntry("", "Aggregated"),
	}
	// The run's own speed, drawn first so that it depends on the seed
	// alone.
	s.service = math.Exp(opt.ServiceNoise * s.r.NormFloat64())
	s.machine = math.Exp(opt.RunNoise * s.r.NormFloat64())
	s.summary.ServiceFactor, s.summary.MachineFactor = s.service, s.machine
	if sc.Client != nil {
		c := newSampler(sc.Client)
		s.client = &c
	}

	for _, e := range sc.Endpoints {
		es := endpointSim{Endpoint: e, latency: newSampler(e.Latency),
			speed: math.Exp(opt.ServiceNoise * s.r.NormFloat64())}
		for i := range opt.Inject {
			r := &opt.Inject[i]
			switch r.Kind {
			case "capacity", "throughput":
				continue
			}
			if r.re == nil || r.re.MatchString(e.Name) || r.re.MatchString(e.Type+" "+e.Name) {
				es.rules = append(es.rules, r)
			}
		}
		s.eps = append(s.eps, es)
	}
	capacity, rps := sc.Service.Capacity, sc.Service.MaxRPS
	for _, r := range opt.Inject {
		if r.Kind == "capacity" && (capacity == 0 || r.Slots < capacity) {
			capacity = r.Slots
		}
		if r.Kind == "throughput" && (rps == 0 || r.RPS < rps) {
			rps = r.RPS
		}
	}
	s.slots = make([]float64, capacity)
	s.rps = rps

	for _, c := range sc.Classes {
		var cum []float64
		acc := 0.0
		for _, t := range c.Tasks {
			acc += t.Weight
			cum = append(cum, acc)
		}
		s.cumTasks = append(s.cumTasks, cum)
	}

	// Locust writes the first history row at start-up, then spawns.
	s.t0 = float64(opt.Start)
	s.startT = s.t0 + 0.05
	s.stopT = s.startT + opt.Duration.Seconds()
	s.users = make([]user, opt.Users)
	classes := assignClasses(sc.Classes, opt.Users)
	for i := range s.users {
		s.users[i].class = classes[i]
		at := s.startT + float64(i)/opt.SpawnRate
		s.spawnAt = append(s.spawnAt, at)
		if at < s.stopT {
			s.push(at, int32(i), false)
		}
	}
	return s, nil
}

// assignClasses spreads users over classes by weight, interleaved as
// Locust's dispatcher does (smooth weighted round robin).
func assignClasses(classes []*UserClass, n int) []int {
	out := make([]int, n)
	current := make([]float64, len(classes))
	total := 0.0
	for _, c := range classes {
		total += c.Weight
	}
	for i := range out {
		best := 0
		for j, c := range classes {
			current[j] += c.Weight
			if current[j] > current[best] {
				best = j
			}
		}
		current[best] -= total
		out[i] = best
	}
	return out
}

func (s *sim) push(t float64, u int32, done bool) {
	s.seq++
	s.events.push(event{t: t, seq: s.seq, user: u, done: done})
}

// replaceTop turns the event being processed into the user's next one.
func (s *sim) replaceTop(t float64, done bool) {
	s.seq++
	top := &s.events[0]
	top.t, top.seq, top.done = t, s.seq, done
	if t > s.stopT {
		s.events.pop() // the user's next step falls after the end
		return
	}
	s.events.down()
}

// loop runs events in time order, writing a history row set at every
// whole second up to the end of the test.
func (s *sim) loop(hw *historyWriter) error {
	next := s.t0 // time of the next history write
	for {
		nextEvent := math.Inf(1)
		if len(s.events) > 0 {
			nextEvent = s.events[0].t
		}
		if next <= s.stopT && next <= nextEvent {
			if err := s.writeHistory(hw, next); err != nil {
				return err
			}
			next++
			continue
		}
		if nextEvent > s.stopT {
			return nil
		}
		ev := s.events[0]
		if ev.done {
			s.complete(ev)
		} else {
			s.start(ev)
		}
	}
}

// start makes user ev.user's next request at time ev.t.
func (s *sim) start(ev event) {
	u := &s.users[ev.user]
	cum := s.cumTasks[u.class]
	pick := s.r.Float64() * cum[len(cum)-1]
	ti := sort.SearchFloat64s(cum, pick)
	if ti == len(cum) {
		ti--
	}
	u.ep = s.opt.Scenario.Classes[u.class].Tasks[ti].target
	e := &s.eps[u.ep]
	since := ev.t - s.startT

	server := e.latency.draw(s.r) * s.service * e.speed
	client := 0.0
	if s.client != nil {
		client = s.client.draw(s.r) * s.machine
	}
	factor, leak, failRate, errText := 1.0, 0.0, e.Failure.Rate, e.Failure.Error
	for _, r := range e.rules {
		if !r.applies(e.Endpoint, since) {
			continue
		}
		switch r.Kind {
		case "latency":
			factor *= r.Factor
		case "leak":
			leak += r.MsPerMin * (since - r.From) / 60
		case "errors":
			failRate, errText = r.Rate, r.Error
		}
	}
	server = server*factor + leak

	// Queueing at a limited service: FIFO over the slots, and pacing
	// under a request-rate cap.
	begin := ev.t
	if s.rps > 0 {
		begin = math.Max(begin, s.nextFree)
		s.nextFree = begin + 1/s.rps
	}
	if len(s.slots) > 0 {
		i := 0
		for j, f := range s.slots {
			if f < s.slots[i] {
				i = j
			}
		}
		begin = math.Max(begin, s.slots[i])
		s.slots[i] = begin + server/1000
	}
	u.rt = math.Max(client*factor+(begin-ev.t)*1000+server, 0)
	u.failed = s.r.Float64() < failRate
	u.errText = errText
	if u.failed {
		u.content = e.Failure.Content
	} else {
		u.content = e.Content.Min
		if span := e.Content.Max - e.Content.Min; span > 0 {
			u.content += s.r.Int64N(span + 1)
		}
	}
	s.replaceTop(ev.t+u.rt/1000, true)
}

// complete logs the request as Locust does and schedules the user's next
// one after its wait.
func (s *sim) complete(ev event) {
	u := &s.users[ev.user]
	e := &s.eps[u.ep]
	if e.stats == nil {
		e.stats = newEntry(e.Type, e.Name)
		s.sorted = append(s.sorted, e.stats)
		sort.SliceStable(s.sorted, func(i, j int) bool {
			a, b := s.sorted[i], s.sorted[j]
			if a.name != b.name {
				return a.name < b.name
			}
			return a.method < b.method
		})
	}
	e.stats.log(ev.t, u.rt, u.content, u.failed)
	s.total.log(ev.t, u.rt, u.content, u.failed)
	s.summary.Requests++
	if u.failed {
		s.summary.Failures++
		s.failures[failureKey{e.Type, e.Name, strings.ReplaceAll(u.errText, "{name}", e.Name)}]++
	}
	c := s.opt.Scenario.Classes[u.class]
	wait := c.Wait.Min.Millis() + s.r.Float64()*(c.Wait.Max.Millis()-c.Wait.Min.Millis())
	s.replaceTop(ev.t+wait/1000, false)
}

// usersAt is the user count at time t.
func (s *sim) usersAt(t float64) int {
	return sort.Search(len(s.spawnAt), func(i int) bool { return s.spawnAt[i] > t })
}
