{{/*
Names, labels and value formatting of the controller's objects, used by every
template under controller/ (and by the IngressClass and the default backend's
NetworkPolicy, which admits traffic from the controller pods).
*/}}

{{/* Controller objects: <fullname>-<controller.name>. */}}
{{- define "ingress-nginx.controller.fullname" -}}
{{- printf "%s-%s" (include "ingress-nginx.fullname" .) .Values.controller.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ingress-nginx.controller.electionID" -}}
{{- .Values.controller.electionID | default (printf "%s-leader" (include "ingress-nginx.fullname" .)) -}}
{{- end -}}

{{- define "ingress-nginx.controller.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ingress-nginx.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels of every controller object: the common ones, the component and controller.labels. */}}
{{- define "ingress-nginx.controller.objectLabels" -}}
{{ include "ingress-nginx.componentLabels" (dict "root" . "component" "controller" "extra" (list .Values.controller.labels)) }}
{{- end -}}

{{/* What the controller's workload, Services, PDB and policies select on; immutable, so as upstream. */}}
{{- define "ingress-nginx.controller.matchLabels" -}}
{{ include "ingress-nginx.componentSelectorLabels" (dict "root" . "component" "controller") }}
{{- end -}}

{{- /*
A scalar as text (flags, sysctls, ConfigMap data). Helm reads numbers of values
files as floats, so 1000000 would otherwise print as 1e+06; whole numbers print
as integers. Every number a controller template prints goes through it; the
default backend and webhook templates print integer fields with `int64`, which
writes the same digits for every whole number their schema admits.
*/ -}}
{{- define "ingress-nginx.controller.scalar" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) -}}
{{- int64 . -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}
