// chart-renderer renders Helm charts the way `helm template` does, many times per
// process: the test tiers render thousands of values sets, and starting a Helm
// process for each one (and parsing its YAML in Python) cost more than the
// rendering itself.
//
// Protocol: one JSON request per line on stdin, one JSON response per line on
// stdout, in order.
//
//	request:  {"chart": PATH, "values": {...}, "release": NAME, "namespace": NS, "isUpgrade": BOOL}
//	response: {"manifest": TEXT, "objects": [...]}  or  {"error": TEXT}
//
// TEXT is byte for byte what `helm template` prints (helm 3 of the same release and
// link flags); objects are its documents converted as the API server's YAML reader
// converts them (sigs.k8s.io/yaml), empty documents dropped.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"sigs.k8s.io/yaml"
)

type request struct {
	Chart     string                 `json:"chart"`
	Values    map[string]interface{} `json:"values"`
	Release   string                 `json:"release"`
	Namespace string                 `json:"namespace"`
	IsUpgrade bool                   `json:"isUpgrade"`
}

type response struct {
	Manifest string            `json:"manifest,omitempty"`
	Objects  []json.RawMessage `json:"objects,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// A chart is read, and its values schema compiled, once per process: Helm
// compiles the schema again for every render, which for a large schema costs
// more than rendering the templates. A chart that changes on disk needs a new
// process.
type loadedChart struct {
	chart     *chart.Chart
	validator *jsonschema.Schema
}

type chartCache struct {
	mu     sync.Mutex
	charts map[string]*loadedChart
}

func (c *chartCache) load(path string) (*loadedChart, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if loaded, ok := c.charts[path]; ok {
		return loaded, nil
	}
	read, err := loader.Load(path)
	if err != nil {
		return nil, err
	}
	if len(read.Dependencies()) > 0 {
		return nil, fmt.Errorf("chart-renderer: %s has subcharts, whose schemas it does not check", path)
	}
	loaded := &loadedChart{chart: read}
	if read.Schema != nil {
		if loaded.validator, err = compileSchema(read.Schema); err != nil {
			return nil, err
		}
	}
	c.charts[path] = loaded
	return loaded, nil
}

// compileSchema compiles a values schema with the library and resource name Helm
// uses, so that validation messages read exactly as Helm's. Remote references
// are not loaded: a test run must not reach the network.
func compileSchema(schemaJSON []byte) (*jsonschema.Schema, error) {
	document, err := jsonschema.UnmarshalJSON(strings.NewReader(string(schemaJSON)))
	if err != nil {
		return nil, err
	}
	compiler := jsonschema.NewCompiler()
	compiler.UseLoader(jsonschema.SchemeURLLoader{"file": jsonschema.FileLoader{}})
	if err := compiler.AddResource(schemaResource, document); err != nil {
		return nil, err
	}
	return compiler.Compile(schemaResource)
}

const schemaResource = "file:///values.schema.json"

// validate checks the chart's defaults merged with the user's values, as Helm
// does before rendering, and words a failure the way Helm's install action does.
func (c *loadedChart) validate(values map[string]interface{}) error {
	if c.validator == nil {
		return nil
	}
	merged, err := chartutil.CoalesceValues(c.chart, values)
	if err != nil {
		return err
	}
	if err := c.validator.Validate(merged.AsMap()); err != nil {
		detail := strings.TrimPrefix(err.Error(), "jsonschema validation failed with '"+schemaResource+"#'\n")
		return fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%s:\n%s\n",
			c.chart.Name(), detail)
	}
	return nil
}

var documentSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

func render(cache *chartCache, req request) response {
	loaded, err := cache.load(req.Chart)
	if err != nil {
		return response{Error: err.Error()}
	}
	values := req.Values
	if values == nil {
		values = map[string]interface{}{}
	}
	if err := loaded.validate(values); err != nil {
		return response{Error: err.Error()}
	}
	install := action.NewInstall(&action.Configuration{Log: func(string, ...interface{}) {}})
	// The settings of `helm template` (cmd/helm/template.go of the same release).
	install.DryRun = true
	install.DryRunOption = "true"
	install.Replace = true
	install.ClientOnly = true
	install.ReleaseName = req.Release
	install.Namespace = req.Namespace
	install.IsUpgrade = req.IsUpgrade
	// Checked above against the compiled schema, with the same result.
	install.SkipSchemaValidation = true
	rel, err := install.Run(loaded.chart, values)
	if err != nil {
		message := err.Error()
		if rel != nil {
			message += "\n\nUse --debug flag to render out invalid YAML"
		}
		return response{Error: message}
	}
	var text strings.Builder
	fmt.Fprintln(&text, strings.TrimSpace(rel.Manifest))
	for _, hook := range rel.Hooks {
		fmt.Fprintf(&text, "---\n# Source: %s\n%s\n", hook.Path, hook.Manifest)
	}
	out := response{Manifest: text.String()}
	for _, document := range documentSeparator.Split(out.Manifest, -1) {
		converted, err := yaml.YAMLToJSON([]byte(document))
		if err != nil {
			return response{Error: fmt.Sprintf("rendered output is not YAML: %v", err)}
		}
		if trimmed := strings.TrimSpace(string(converted)); trimmed == "null" || trimmed == "" {
			continue
		}
		out.Objects = append(out.Objects, json.RawMessage(converted))
	}
	return out
}

func main() {
	cache := &chartCache{charts: map[string]*loadedChart{}}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			var req request
			var resp response
			if decodeErr := json.Unmarshal(line, &req); decodeErr != nil {
				resp = response{Error: fmt.Sprintf("chart-renderer: bad request: %v", decodeErr)}
			} else {
				resp = render(cache, req)
			}
			if encodeErr := encoder.Encode(resp); encodeErr != nil {
				fmt.Fprintln(os.Stderr, encodeErr)
				os.Exit(1)
			}
			if flushErr := out.Flush(); flushErr != nil {
				os.Exit(1)
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
