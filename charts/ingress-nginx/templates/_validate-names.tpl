{{- /*
Refuses names the API server would refuse although every value is valid on its
own: Service names are built from the release name, fullnameOverride and a
suffix, and Helm allows release names (up to 53 characters, dots allowed) that
make them longer than 63 characters or no DNS label at all. Object names are
kept exactly as upstream builds them (an upgrade in place needs that), so the
chart refuses instead of shortening them.
*/ -}}
{{- define "ingress-nginx.validate.names" -}}
{{- $c := .Values.controller -}}
{{- /* Each Service as (rendered name, what follows the fullname in it, the value that part comes from), to say what to shorten. */ -}}
{{- $services := list -}}
{{- $controller := include "ingress-nginx.controller.fullname" . -}}
{{- $own := printf "-%s" $c.name -}}
{{- if $c.service.enabled -}}
{{- $services = append $services (list $controller $own "controller.name") -}}
{{- if ($c.service.internal | default dict).enabled -}}
{{- $services = append $services (list (printf "%s-internal" $controller) (printf "%s-internal" $own) "controller.name") -}}
{{- end -}}
{{- end -}}
{{- if $c.metrics.enabled -}}
{{- $services = append $services (list (printf "%s-metrics" $controller) (printf "%s-metrics" $own) "controller.name") -}}
{{- end -}}
{{- if $c.admissionWebhooks.enabled -}}
{{- $services = append $services (list (printf "%s-admission" $controller) (printf "%s-admission" $own) "controller.name") -}}
{{- end -}}
{{- if .Values.defaultBackend.enabled -}}
{{- $services = append $services (list (include "ingress-nginx.defaultBackend.fullname" .) (printf "-%s" .Values.defaultBackend.name) "defaultBackend.name") -}}
{{- end -}}
{{- range $service := $services -}}
{{- $name := index $service 0 -}}
{{- $room := sub 63 (len (index $service 1)) -}}
{{- if and (gt (len $name) 63) (lt $room 2) -}}
{{- fail (printf "%s: the Service name %q is %d characters, but Kubernetes allows 63 for a Service, and the part from %s alone leaves no room for a prefix. Shorten %s." (index $service 2) $name (len $name) (index $service 2) (index $service 2)) -}}
{{- end -}}
{{- if gt (len $name) 63 -}}
{{- fail (printf "fullnameOverride: the Service name %q is %d characters, but Kubernetes allows 63 for a Service. Set fullnameOverride to a name of at most %d characters, shorten %s, or install under a shorter release name." $name (len $name) $room (index $service 2)) -}}
{{- end -}}
{{- if not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $name) -}}
{{- fail (printf "fullnameOverride: the Service name %q is not a DNS label (lowercase letters, digits and '-', starting with a letter), which Kubernetes requires of a Service name; the release name %q is part of it. Set fullnameOverride to such a name of at most %d characters, or install under a release name that starts with a letter and has no dots." $name $.Release.Name $room) -}}
{{- end -}}
{{- end -}}
{{- include "ingress-nginx.validate.chartLabels" . -}}
{{- end -}}

{{- /*
The chart writes these labels itself; the same key in a user label map would
appear twice in one object (the API server keeps one of them, and a selector
label that changes breaks the workload's selector).
*/ -}}
{{- define "ingress-nginx.validate.chartLabels" -}}
{{- $owned := list "helm.sh/chart" "app.kubernetes.io/name" "app.kubernetes.io/instance" "app.kubernetes.io/version" "app.kubernetes.io/part-of" "app.kubernetes.io/managed-by" "app.kubernetes.io/component" -}}
{{- $c := .Values.controller -}}
{{- $maps := dict
  "commonLabels" .Values.commonLabels
  "controller.labels" $c.labels
  "controller.podLabels" $c.podLabels
  "controller.service.labels" $c.service.labels
  "controller.service.internal.labels" ($c.service.internal | default dict).labels
  "controller.service.external.labels" ($c.service.external | default dict).labels
  "controller.admissionWebhooks.labels" $c.admissionWebhooks.labels
  "controller.admissionWebhooks.patch.labels" $c.admissionWebhooks.patch.labels
  "controller.metrics.service.labels" $c.metrics.service.labels
  "defaultBackend.labels" .Values.defaultBackend.labels
  "defaultBackend.podLabels" .Values.defaultBackend.podLabels -}}
{{- range $path, $labels := $maps -}}
{{- range $key, $_ := $labels | default dict -}}
{{- if has $key $owned -}}
{{- fail (printf "%s: the label %q is one the chart sets itself (selector and ownership labels), so the object would carry it twice. Remove %q from %s; to name the app differently set nameOverride." $path $key $key $path) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
