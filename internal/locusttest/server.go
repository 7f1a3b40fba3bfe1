package locusttest

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Endpoint names, spelled exactly as the embedded locustfile names its
// requests, so that a row of Locust's CSV files and a key of
// [Server.Counts] can be compared directly.
const (
	ListShells     = "GET /shells"
	ReadSubmodel   = "GET /submodels/{id}"
	UpdateSubmodel = "PUT /submodels/{id}"
	CreateShell    = "POST /shells"
	ReadCached     = "GET /shells/{id} (cached)"
	CreateSubmodel = "POST /submodels"
)

// FailEvery is the period of the server's deterministic failures: every
// FailEvery-th completed POST /submodels request (the 20th, 40th, ...)
// is answered with 409 Conflict, so a run with n such requests has
// exactly n/FailEvery failures (integer division) on that endpoint and
// none elsewhere.
const FailEvery = 20

// Endpoints returns the six endpoint names the server serves, in a fixed
// order: the four of the mixed user, then the cached read, then the burst
// write.
func Endpoints() []string {
	return []string{
		ListShells, ReadSubmodel, UpdateSubmodel, CreateShell,
		ReadCached, CreateSubmodel,
	}
}

// EndpointCount is what the server did on one endpoint.
type EndpointCount struct {
	// Requests is the number of responses written, failures included.
	Requests int64

	// Failures is the number of those responses with a status of 400 or
	// above.
	Failures int64
}

// counter is the live form of an EndpointCount. One lock covers both
// fields so that a snapshot never shows a request without its failure.
type counter struct {
	mu sync.Mutex
	EndpointCount
}

// record counts one response and reports its number, starting at 1, and
// whether it is to fail.
func (c *counter) record(failing func(n int64) bool) (n int64, fail bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Requests++
	fail = failing(c.Requests)
	if fail {
		c.Failures++
	}
	return c.Requests, fail
}

// snapshot returns the counts so far.
func (c *counter) snapshot() EndpointCount {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.EndpointCount
}

// route is one endpoint: its mux pattern, its Locust name, the fixed
// time it takes to answer and whether its n-th response (from 1) fails.
type route struct {
	pattern string
	name    string
	latency time.Duration
	failing func(n int64) bool
}

// never is the failure schedule of every endpoint but one.
func never(int64) bool { return false }

// everyNth is the failure schedule of POST /submodels.
func everyNth(n int64) bool { return n%FailEvery == 0 }

// routes lists the endpoints. The cached read is registered under its
// literal path, which the mux prefers over any wildcard pattern.
var routes = []route{
	{"GET /shells", ListShells, 5 * time.Millisecond, never},
	{"GET /shells/fixed-1", ReadCached, 1 * time.Millisecond, never},
	{"POST /shells", CreateShell, 15 * time.Millisecond, never},
	{"GET /submodels/{id}", ReadSubmodel, 10 * time.Millisecond, never},
	{"PUT /submodels/{id}", UpdateSubmodel, 15 * time.Millisecond, never},
	{"POST /submodels", CreateSubmodel, 5 * time.Millisecond, everyNth},
}

// Server is a stand-in for an asset-administration-shell API, listening
// on 127.0.0.1 for the lifetime of a test. Each endpoint answers after a
// fixed delay (1 to 15 ms, see [Endpoints] and the package doc) and only
// POST /submodels ever fails, on the schedule [FailEvery] describes.
// Paths and methods outside the six endpoints get 404 or 405 and are not
// counted.
//
// A Server is safe for concurrent use. Create one with [StartServer].
type Server struct {
	srv    *http.Server
	url    string
	counts map[string]*counter // read-only after StartServer
	done   chan struct{}
}

// StartServer starts a Server on a free port of 127.0.0.1. The caller
// must call [Server.Close] when done with it.
func StartServer() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("locusttest: listen on loopback: %w", err)
	}

	s := &Server{
		url:    "http://" + ln.Addr().String(),
		counts: make(map[string]*counter, len(routes)),
		done:   make(chan struct{}),
	}
	mux := http.NewServeMux()
	for _, rt := range routes {
		c := new(counter)
		s.counts[rt.name] = c
		mux.Handle(rt.pattern, s.handler(rt, c))
	}
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	go func() {
		defer close(s.done)
		// Serve returns ErrServerClosed after Close; any other error
		// shows up to the caller as refused connections.
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// handler answers one endpoint after its latency. A request whose client
// goes away during the delay is dropped uncounted, so that the counts
// describe responses actually written.
func (s *Server) handler(rt route, c *counter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		timer := time.NewTimer(rt.latency)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return
		}

		// Numbering requests as they complete, not as they arrive,
		// keeps the failure share exact even when some are dropped.
		n, fail := c.record(rt.failing)
		if fail {
			http.Error(w, "conflict: submodel already exists", http.StatusConflict)
			return
		}

		w.Header().Set("Content-Type", "application/json")
		switch r.Method {
		case http.MethodPost:
			w.WriteHeader(http.StatusCreated)
		case http.MethodPut:
			w.WriteHeader(http.StatusNoContent)
			return
		}
		fmt.Fprintf(w, "{\"request\":%d}\n", n)
	})
}

// URL returns the server's base URL, http://127.0.0.1:PORT, without a
// trailing slash.
func (s *Server) URL() string {
	return s.url
}

// Counts returns a snapshot of the requests served and failures returned
// so far, keyed by the names [Endpoints] returns. Every endpoint has an
// entry, zero if it saw no traffic. The map is the caller's to keep.
func (s *Server) Counts() map[string]EndpointCount {
	out := make(map[string]EndpointCount, len(s.counts))
	for name, c := range s.counts {
		out[name] = c.snapshot()
	}
	return out
}

// Close stops the server at once, dropping connections and any requests
// still waiting out their delay, and waits for the listener to shut.
// Close may be called more than once.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}
