{{- /*
The one controller pod template (metadata and spec), used by deployment.yaml and
daemonset.yaml so that switching controller.kind never changes the pods.
*/ -}}
{{- define "ingress-nginx.controller.podTemplate" -}}
{{- $c := .Values.controller -}}
metadata:
  {{- with $c.podAnnotations }}
  annotations:
    {{- range $key, $value := . }}
    {{ $key }}: {{ include "ingress-nginx.controller.scalar" $value | quote }}
    {{- end }}
  {{- end }}
  labels:
    {{- include "ingress-nginx.controller.objectLabels" . | nindent 4 }}
    {{- with $c.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- with $c.dnsConfig }}
  dnsConfig:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.hostAliases }}
  hostAliases:
    {{- include "ingress-nginx.values.asTemplate" (dict "value" . "root" $) | nindent 4 }}
  {{- end }}
  {{- with $c.hostname }}
  hostname: {{ toYaml . | nindent 4 }}
  {{- end }}
  dnsPolicy: {{ $c.dnsPolicy | default "ClusterFirst" }}
  {{- with (include "ingress-nginx.imagePullSecrets" . | trim) }}
  {{- . | nindent 2 }}
  {{- end }}
  {{- with $c.priorityClassName }}
  priorityClassName: {{ . | quote }}
  {{- end }}
  {{- with $c.runtimeClassName }}
  runtimeClassName: {{ . | quote }}
  {{- end }}
  {{- with (include "ingress-nginx.controller.podSecurityContext" . | fromYaml) }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $c.shareProcessNamespace }}
  shareProcessNamespace: true
  {{- end }}
  containers:
    {{- include "ingress-nginx.controller.container" . | nindent 4 }}
    {{- with $c.extraContainers }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if or $c.extraInitContainers $c.extraModules }}
  initContainers:
    {{- with $c.extraInitContainers }}
    {{- include "ingress-nginx.values.asTemplate" (dict "value" . "root" $) | nindent 4 }}
    {{- end }}
    {{- range $index, $module := $c.extraModules }}
    {{- include "ingress-nginx.controller.moduleInitContainer" (dict "module" $module "path" (printf "controller.extraModules[%d]" $index) "root" $) | nindent 4 }}
    {{- end }}
  {{- end }}
  {{- if $c.hostNetwork }}
  hostNetwork: true
  {{- end }}
  {{- with $c.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.affinity }}
  affinity:
    {{- include "ingress-nginx.values.asTemplate" (dict "value" . "root" $) | nindent 4 }}
  {{- end }}
  {{- with $c.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- include "ingress-nginx.values.asTemplate" (dict "value" . "root" $) | nindent 4 }}
  {{- end }}
  serviceAccountName: {{ include "ingress-nginx.controller.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken | default false }}
  {{- if not (kindIs "invalid" $c.terminationGracePeriodSeconds) }}
  terminationGracePeriodSeconds: {{ include "ingress-nginx.controller.scalar" $c.terminationGracePeriodSeconds }}
  {{- end }}
  {{- with (include "ingress-nginx.controller.volumes" . | trim) }}
  volumes:
    {{- . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- /*
controller.sysctls is a map for ease of writing; the pod wants a list of
name/value pairs, kept after any sysctls given in podSecurityContext itself.
*/ -}}
{{- define "ingress-nginx.controller.podSecurityContext" -}}
{{- $c := .Values.controller -}}
{{- $context := deepCopy ($c.podSecurityContext | default dict) -}}
{{- if $c.sysctls -}}
{{- $sysctls := $context.sysctls | default list -}}
{{- range $name, $value := $c.sysctls -}}
{{- $sysctls = append $sysctls (dict "name" $name "value" (include "ingress-nginx.controller.scalar" $value)) -}}
{{- end -}}
{{- $_ := set $context "sysctls" $sysctls -}}
{{- end -}}
{{- if $context }}{{ toYaml $context }}{{ end -}}
{{- end -}}

{{- /*
An extraModules entry: an init container whose image carries an NGINX module and
copies it into the shared `modules` emptyDir, mounted by the controller at
/modules_mount. Distroless images have no shell, so their copier runs directly.
*/ -}}
{{- define "ingress-nginx.controller.moduleInitContainer" -}}
{{- $module := .module -}}
{{- $image := $module.image | default dict -}}
- name: {{ $module.name }}
  image: {{ include "ingress-nginx.image" (dict "image" $image "path" (printf "%s.image" .path) "root" .root) | quote }}
  {{- if $image.distroless }}
  command:
    - /init_module
  {{- else }}
  command:
    - sh
    - -c
    - /usr/local/bin/init_module.sh
  {{- end }}
  {{- with $module.containerSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $module.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: modules
      mountPath: /modules_mount
{{- end -}}

{{- define "ingress-nginx.controller.volumes" -}}
{{- $c := .Values.controller -}}
{{- if $c.extraModules }}
- name: modules
  emptyDir: {}
{{- end }}
{{- if $c.customTemplate.configMapName }}
- name: nginx-template-volume
  configMap:
    name: {{ $c.customTemplate.configMapName }}
    items:
      - key: {{ $c.customTemplate.configMapKey }}
        path: nginx.tmpl
{{- end }}
{{- if $c.admissionWebhooks.enabled }}
- name: webhook-cert
  secret:
    secretName: {{ include "ingress-nginx.admissionWebhooks.secretName" . }}
    {{- /* cert-manager writes tls.crt/tls.key; the controller's flags name the certgen file names. */}}
    {{- if $c.admissionWebhooks.certManager.enabled }}
    items:
      - {key: tls.crt, path: cert}
      - {key: tls.key, path: key}
    {{- end }}
{{- end }}
{{- with $c.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}
