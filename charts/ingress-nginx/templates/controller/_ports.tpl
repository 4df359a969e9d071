{{/*
Port names and Service port lists shared by the controller Services. The
container declares every tcp/udp entry under the same name, so a Service can
target it by name and stay right when the container port number changes.
*/}}

{{/*
Name of one tcp/udp entry: [<portNamePrefix>-]<port>-<tcp|udp>.
Call with (dict "root" $ "port" <key> "protocol" "tcp"|"udp").
*/}}
{{- define "ingress-nginx.controller.streamPortName" -}}
{{- with .root.Values.portNamePrefix }}{{ . }}-{{ end -}}
{{- printf "%v-%s" .port .protocol -}}
{{- end -}}

{{/*
Whether a Service of this type may carry nodePorts: Kubernetes refuses them on
ClusterIP Services.
*/}}
{{- define "ingress-nginx.controller.typeTakesNodePorts" -}}
{{- if has . (list "NodePort" "LoadBalancer") }}true{{ end -}}
{{- end -}}

{{/*
The `ports` list of the main and the internal Service.
Call with (dict "root" $ "type" <Service type> "ports" <http/https map>
"targetPorts" <http/https map> "nodePorts" <nodePorts block> "appProtocol" <bool>).
http and https leave out a fixed nodePort on a ClusterIP Service, as upstream
does, rather than have the API server refuse the Service.
*/}}
{{- define "ingress-nginx.controller.servicePorts" -}}
{{- $root := .root -}}
{{- $service := $root.Values.controller.service -}}
{{- $nodePorts := .nodePorts | default dict -}}
{{- $takesNodePorts := include "ingress-nginx.controller.typeTakesNodePorts" .type -}}
{{- range $name := list "http" "https" }}
{{- if index $service (printf "enable%s" (title $name)) }}
- name: {{ $name }}
  port: {{ index $.ports $name }}
  protocol: TCP
  targetPort: {{ index $.targetPorts $name }}
  {{- if $.appProtocol }}
  appProtocol: {{ $name }}
  {{- end }}
  {{- $nodePort := index $nodePorts $name }}
  {{- if and $takesNodePorts (not (empty $nodePort)) }}
  nodePort: {{ $nodePort }}
  {{- end }}
{{- end }}
{{- end }}
{{- range $protocol := list "tcp" "udp" }}
{{- $fixed := index $nodePorts $protocol | default dict }}
{{- range $port, $_ := index $root.Values $protocol | default dict }}
{{- $portName := include "ingress-nginx.controller.streamPortName" (dict "root" $root "port" $port "protocol" $protocol) }}
- name: {{ $portName }}
  port: {{ int64 $port }}
  protocol: {{ upper $protocol }}
  targetPort: {{ $portName }}
  {{- with index $fixed $port }}
  nodePort: {{ . }}
  {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
One controller Service (main or internal) from its values block.
Call with (dict "root" $ "name" <object name> "values" <values block>
"type" <type> "labels" <extra label maps> "ports" <http/https map>
"targetPorts" <http/https map>).
*/}}
{{- define "ingress-nginx.controller.service" -}}
{{- $root := .root -}}
{{- $values := .values -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  namespace: {{ include "ingress-nginx.namespace" $root }}
  labels:
    {{- include "ingress-nginx.componentLabels" (dict "root" $root "component" "controller" "extra" .labels) | nindent 4 }}
  {{- with $values.annotations }}
  annotations:
    {{- range $key, $value := . }}
    {{- /* Evaluated as templates, as upstream does, e.g. a DNS name built from the release. */}}
    {{ $key }}: {{ tpl (toString $value) $root | quote }}
    {{- end }}
  {{- end }}
spec:
  type: {{ .type }}
  {{- with $values.clusterIP }}
  clusterIP: {{ . }}
  {{- end }}
  {{- with $values.clusterIPs }}
  clusterIPs:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.externalIPs }}
  externalIPs:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.loadBalancerIP }}
  loadBalancerIP: {{ . }}
  {{- end }}
  {{- with $values.loadBalancerSourceRanges }}
  loadBalancerSourceRanges:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.loadBalancerClass }}
  loadBalancerClass: {{ . }}
  {{- end }}
  {{- if kindIs "bool" $values.allocateLoadBalancerNodePorts }}
  allocateLoadBalancerNodePorts: {{ $values.allocateLoadBalancerNodePorts }}
  {{- end }}
  {{- with $values.externalTrafficPolicy }}
  externalTrafficPolicy: {{ . }}
  {{- end }}
  {{- with $values.sessionAffinity }}
  sessionAffinity: {{ . }}
  {{- end }}
  {{- with $values.healthCheckNodePort }}
  healthCheckNodePort: {{ . }}
  {{- end }}
  {{- /* The field arrived in Kubernetes 1.31; older API servers would drop it silently. */}}
  {{- if semverCompare ">=1.31.0-0" $root.Capabilities.KubeVersion.Version }}
  {{- with $values.trafficDistribution }}
  trafficDistribution: {{ . }}
  {{- end }}
  {{- end }}
  {{- with $values.ipFamilyPolicy }}
  ipFamilyPolicy: {{ . }}
  {{- end }}
  {{- with $values.ipFamilies }}
  ipFamilies:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    {{- include "ingress-nginx.controller.servicePorts" (dict "root" $root "type" .type "ports" .ports "targetPorts" .targetPorts "nodePorts" $values.nodePorts "appProtocol" $values.appProtocol) | trim | nindent 4 }}
  selector:
    {{- include "ingress-nginx.controller.matchLabels" $root | nindent 4 }}
{{- end -}}

{{/* The internal Service keeps the external Service's type unless it names its own. */}}
{{- define "ingress-nginx.controller.internalServiceType" -}}
{{- $service := .Values.controller.service -}}
{{- ($service.internal | default dict).type | default $service.type -}}
{{- end -}}
