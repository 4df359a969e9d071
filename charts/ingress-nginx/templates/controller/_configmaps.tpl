{{- /*
The tcp / udp ConfigMap the controller reads its stream services from, rendered
only when entries exist (the --tcp/udp-services-configmap argument is then
present too). Call with (dict "root" $ "protocol" "tcp"|"udp").
*/ -}}
{{- define "ingress-nginx.controller.streamConfigMap" -}}
{{- $root := .root -}}
{{- $entries := index $root.Values .protocol -}}
{{- $settings := index $root.Values.controller .protocol | default dict -}}
{{- if $entries -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "ingress-nginx.fullname" $root }}-{{ .protocol }}
  namespace: {{ $settings.configMapNamespace | default (include "ingress-nginx.namespace" $root) }}
  labels:
    {{- include "ingress-nginx.controller.objectLabels" $root | nindent 4 }}
  {{- with $settings.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
data:
  {{- range $port, $target := $entries }}
  {{ $port | quote }}: {{ tpl (include "ingress-nginx.controller.scalar" $target) $root | quote }}
  {{- end }}
{{- end -}}
{{- end -}}

{{- /*
A ConfigMap of custom headers, named <fullname>-<suffix>, rendered only when the
map has entries: the controller ConfigMap refers to it only then.
*/ -}}
{{- define "ingress-nginx.controller.headersConfigMap" -}}
{{- if .headers -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "ingress-nginx.fullname" .root }}-{{ .suffix }}
  namespace: {{ include "ingress-nginx.namespace" .root }}
  labels:
    {{- include "ingress-nginx.controller.objectLabels" .root | nindent 4 }}
data:
  {{- range $name, $value := .headers }}
  {{ $name | quote }}: {{ include "ingress-nginx.controller.scalar" $value | quote }}
  {{- end }}
{{- end -}}
{{- end -}}
