package main

import (
	"fmt"
	"os"
	"time"

	"github.com/loadgate/loadgate/generate"
	"github.com/spf13/cobra"
)

// loadFlags describe a simulated load: the scenario and what overrides
// it. generate and calibrate simulate share them.
type loadFlags struct {
	scenario     string
	users        int
	spawnRate    float64
	duration     time.Duration
	runNoise     float64
	serviceNoise float64
	inject       []string
}

func (f *loadFlags) register(cmd *cobra.Command, injectHelp string) {
	fl := cmd.Flags()
	fl.StringVar(&f.scenario, "scenario", "", "scenario YAML file (default: the built-in scenario)")
	fl.IntVarP(&f.users, "users", "u", 0, "peak number of users (default: the scenario's)")
	fl.Float64VarP(&f.spawnRate, "spawn-rate", "r", 0, "users started per second (default: the scenario's)")
	fl.DurationVarP(&f.duration, "duration", "t", 0, "length of the test (default: the scenario's)")
	fl.Float64Var(&f.runNoise, "run-noise", generate.DefaultRunNoise, "run-to-run spread of the machine's speed (log scale, on the client's time)")
	fl.Float64Var(&f.serviceNoise, "service-noise", generate.DefaultServiceNoise, "run-to-run spread of the service's and each endpoint's speed (log scale)")
	fl.StringArrayVar(&f.inject, "inject", nil, injectHelp)
}

// options reads the scenario and applies the flags that were set.
func (f *loadFlags) options(cmd *cobra.Command) (generate.Options, error) {
	sc := generate.DefaultScenario()
	if f.scenario != "" {
		data, err := os.ReadFile(f.scenario)
		if err != nil {
			return generate.Options{}, fmt.Errorf("--scenario: %v", err)
		}
		if sc, err = generate.ParseScenario(data, f.scenario); err != nil {
			return generate.Options{}, err
		}
	}
	o := generate.Options{
		Scenario: sc, Users: sc.Users, SpawnRate: sc.SpawnRate, Duration: time.Duration(sc.Duration),
		RunNoise: f.runNoise, ServiceNoise: f.serviceNoise,
	}
	if cmd.Flags().Changed("users") {
		o.Users = f.users
	}
	if cmd.Flags().Changed("spawn-rate") {
		o.SpawnRate = f.spawnRate
	}
	if cmd.Flags().Changed("duration") {
		o.Duration = f.duration
	}
	for _, in := range f.inject {
		r, err := generate.ParseRule(in)
		if err != nil {
			return o, usageError{err}
		}
		o.Inject = append(o.Inject, r)
	}
	if err := o.Check(); err != nil {
		return o, usageError{err}
	}
	return o, nil
}
