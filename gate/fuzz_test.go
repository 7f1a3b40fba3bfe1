package gate

import (
	"os"
	"testing"
)

// FuzzParseConfig: any text gives a configuration or an error, never a
// panic, and a configuration that parses can be evaluated.
func FuzzParseConfig(f *testing.F) {
	f.Add(string(DefaultYAML))
	if b, err := os.ReadFile("../examples/loadgate.yaml"); err == nil {
		f.Add(string(b))
	}
	f.Add("criteria:\n  - {metric: p50, target: \"<=1ms\", critical: 2s}\n")
	f.Add("criteria:\n  - {metric: rps, scope: {names: [\"re:(\"]}, target: 1, critical: 0}\n")
	f.Add("classes:\n  a: {except: [a]}\n")
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := ParseConfig([]byte(text), "f.yaml")
		if err != nil {
			return
		}
		for _, c := range cfg.Criteria {
			if c.Target.Op == "" || c.Critical.Op == "" {
				t.Fatalf("criterion %q has an unresolved level", c.Name)
			}
		}
		_, _, _ = ParseMetricFlag(cfg, "cache_hit_rate="+text)
	})
}
