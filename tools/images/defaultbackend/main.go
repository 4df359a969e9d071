// Command defaultbackend answers what the controller sends to its default backend:
// 404 for every path, 200 on /healthz for the kubelet's probes. Port 8080, like
// the image the chart's defaultBackend.image names.
package main

import (
	"fmt"
	"log"
	"net/http"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "default backend - 404")
	})
	log.Fatal(http.ListenAndServe(":8080", mux))
}
