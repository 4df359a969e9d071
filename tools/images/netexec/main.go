// Command netexec is the test backend: it answers the requests the e2e tests send
// to agnhost's netexec (GET /hostname, GET /echo?msg=X, GET /healthz) and takes the
// same arguments (`netexec --http-port=8080`), so it runs under agnhost's image
// reference and the tests written for kind run unchanged on the local node.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "netexec" {
		fmt.Fprintln(os.Stderr, "usage: netexec --http-port=PORT (the only agnhost subcommand this image has)")
		os.Exit(2)
	}
	flags := flag.NewFlagSet("netexec", flag.ExitOnError)
	port := flags.Int("http-port", 8080, "TCP port of the HTTP server")
	_ = flags.Parse(os.Args[2:])

	hostname, err := os.Hostname()
	if err != nil {
		log.Fatalf("cannot read the host name: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/hostname", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, hostname) })
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, r.URL.Query().Get("msg")) })
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	mux.HandleFunc("/clientip", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, r.RemoteAddr) })
	// Like agnhost, any other path answers 200; naming the pod shows who answered.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s answered %s %s\n", hostname, r.Method, r.URL.Path)
	})
	// One log line per request: the e2e tests read them back through the API server.
	logged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s from %s", r.Method, r.URL.RequestURI(), r.RemoteAddr)
		mux.ServeHTTP(w, r)
	})
	address := net.JoinHostPort("", fmt.Sprint(*port))
	log.Printf("netexec %s listening on %s", hostname, address)
	log.Fatal(http.ListenAndServe(address, logged))
}
