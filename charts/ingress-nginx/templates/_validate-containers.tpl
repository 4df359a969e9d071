{{- /*
Probes and lifecycle hooks the chart renders from values. The API server wants
exactly one handler in each, and Helm merges a user's probe into the chart's
default one, so `livenessProbe: {exec: ...}` keeps the default httpGet beside
it: counting here lets the message say which handler to set to null, where the
schema could only say "oneOf failed". Call with (dict "path" <values path>
"value" <the probe or hook> "handlers" <the handler keys Kubernetes allows, the
one the chart's defaults use first, so that the messages suggest it>).
A key set to null is no handler: it renders as null, which Kubernetes ignores.
*/ -}}
{{- define "ingress-nginx.validate.handlers" -}}
{{- $path := .path -}}
{{- $value := .value -}}
{{- $set := list -}}
{{- range $name := .handlers }}
{{- if not (kindIs "invalid" (index $value $name)) }}
{{- $set = append $set $name }}
{{- end }}
{{- end }}
{{- if eq (len $set) 0 }}
{{- fail (printf "%s: has no handler, and Kubernetes requires exactly one. Set %s.%s, or one of %s instead." $path $path (first .handlers) (join ", " (rest .handlers))) }}
{{- end }}
{{- if gt (len $set) 1 }}
{{- fail (printf "%s: has %d handlers (%s), and Kubernetes accepts exactly one. Keep the one you want and set each other one to null, e.g. %s.%s: null (Helm keeps a handler of the chart's defaults beside yours until it is set to null)." $path (len $set) (join ", " $set) $path (first $set)) }}
{{- end }}
{{- end -}}

{{- /*
The probes and hooks of one container written in values. A probe present as a
map is rendered as written, even empty, unless "dropsEmptyProbes" (the
controller's own container skips empty ones). Init containers may carry probes
and hooks only as sidecars (restartPolicy Always). Call with (dict "path"
<values path of the container> "container" <its values> "init" <bool>
"dropsEmptyProbes" <bool>).
*/ -}}
{{- define "ingress-nginx.validate.containerHandlers" -}}
{{- $path := .path -}}
{{- $container := .container -}}
{{- if kindIs "map" $container }}
{{- range $field := list "startupProbe" "livenessProbe" "readinessProbe" "lifecycle" }}
{{- if and $.init (not (kindIs "invalid" (index $container $field))) (ne (toString $container.restartPolicy) "Always") }}
{{- fail (printf "%s.%s: Kubernetes accepts probes and lifecycle hooks on an init container only when it runs as a sidecar. Set %s.restartPolicy to Always, or remove %s.%s." $path $field $path $path $field) }}
{{- end }}
{{- end }}
{{- range $probe := list "startupProbe" "livenessProbe" "readinessProbe" }}
{{- $value := index $container $probe }}
{{- if and (kindIs "map" $value) (or $value (not $.dropsEmptyProbes)) }}
{{- include "ingress-nginx.validate.handlers" (dict "path" (printf "%s.%s" $path $probe) "value" $value "handlers" (list "httpGet" "exec" "tcpSocket" "grpc")) }}
{{- end }}
{{- end }}
{{- $lifecycle := $container.lifecycle }}
{{- if kindIs "map" $lifecycle }}
{{- range $hook, $handler := $lifecycle }}
{{- if kindIs "map" $handler }}
{{- include "ingress-nginx.validate.handlers" (dict "path" (printf "%s.lifecycle.%s" $path $hook) "value" $handler "handlers" (list "exec" "httpGet" "tcpSocket" "sleep")) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
