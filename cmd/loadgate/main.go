// Command loadgate turns Locust load-test results into decisions a CI
// pipeline can act on. See the README for its use.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
