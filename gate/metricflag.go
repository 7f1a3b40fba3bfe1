package gate

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// ParseMetricFlag reads "NAME=VALUE" for an external metric defined in
// cfg, with VALUE in the metric's unit ("0.97" or "97%" for a ratio).
func ParseMetricFlag(cfg *Config, s string) (string, Measurement, error) {
	name, val, ok := strings.Cut(s, "=")
	if !ok || name == "" || val == "" {
		return "", Measurement{}, fmt.Errorf("--metric %q: want NAME=VALUE, such as cache_hit_rate=0.97", s)
	}
	m := cfg.Metrics[name]
	if m == nil {
		return "", Measurement{}, fmt.Errorf("--metric %q: no metric %q under metrics: in the configuration", s, name)
	}
	var l Level
	if err := l.UnmarshalYAML(&yaml.Node{Kind: yaml.ScalarNode, Value: val}); err != nil || l.Op != "" {
		return "", Measurement{}, fmt.Errorf("--metric %q: want a value such as 0.97 or 97%%", s)
	}
	if err := l.resolve(kindExternal, m.Unit, m.Better == "higher"); err != nil {
		return "", Measurement{}, fmt.Errorf("--metric %q: %s", s, strings.Replace(err.Error(), "level ", "value ", 1))
	}
	return name, Measurement{Value: l.Value, Source: "--metric"}, nil
}
