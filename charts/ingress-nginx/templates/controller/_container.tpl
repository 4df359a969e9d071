{{- /*
The controller container, shared by the Deployment and the DaemonSet through
_pod.tpl. Port names are part of the contract with the Services, which target
them by name: http, https, the metrics port name, webhook, and for every tcp /
udp entry the name given by ingress-nginx.controller.streamPortName (_ports.tpl).
*/ -}}
{{- define "ingress-nginx.controller.container" -}}
{{- $c := .Values.controller -}}
- name: {{ $c.containerName }}
  image: {{ include "ingress-nginx.image" (dict "image" $c.image "path" "controller.image" "root" .) | quote }}
  imagePullPolicy: {{ $c.image.pullPolicy }}
  {{- with $c.lifecycle }}
  lifecycle:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  args:
    {{- include "ingress-nginx.controller.args" . | nindent 4 }}
  securityContext:
    {{- include "ingress-nginx.controller.containerSecurityContext" . | nindent 4 }}
  env:
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    - name: POD_NAMESPACE
      valueFrom:
        fieldRef:
          fieldPath: metadata.namespace
    {{- if $c.enableMimalloc }}
    - name: LD_PRELOAD
      value: /usr/local/lib/libmimalloc.so
    {{- end }}
    {{- with $c.extraEnvs }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $c.startupProbe }}
  startupProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.livenessProbe }}
  livenessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.readinessProbe }}
  readinessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    {{- include "ingress-nginx.controller.containerPorts" . | trim | nindent 4 }}
  {{- with (include "ingress-nginx.controller.volumeMounts" . | trim) }}
  volumeMounts:
    {{- . | nindent 4 }}
  {{- end }}
  {{- with $c.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.resizePolicy }}
  resizePolicy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- /*
An explicit controller.containerSecurityContext replaces the defaults whole, as
upstream does. The chroot image unshares a mount namespace and chroots into it,
which needs privilege escalation, SYS_CHROOT, and SYS_ADMIN when a seccomp
profile filters the unshare call.
*/ -}}
{{- define "ingress-nginx.controller.containerSecurityContext" -}}
{{- $c := .Values.controller -}}
{{- if $c.containerSecurityContext -}}
{{- toYaml $c.containerSecurityContext -}}
{{- else -}}
{{- $image := $c.image -}}
{{- $add := list "NET_BIND_SERVICE" -}}
{{- if $image.chroot -}}
{{- if $image.seccompProfile }}{{ $add = append $add "SYS_ADMIN" }}{{ end -}}
{{- $add = append $add "SYS_CHROOT" -}}
{{- end -}}
{{- $context := dict
  "runAsNonRoot" $image.runAsNonRoot
  "runAsUser" $image.runAsUser
  "runAsGroup" $image.runAsGroup
  "allowPrivilegeEscalation" (or $image.allowPrivilegeEscalation $image.chroot | default false)
  "capabilities" (dict "drop" (list "ALL") "add" $add)
  "readOnlyRootFilesystem" $image.readOnlyRootFilesystem
-}}
{{- with $image.seccompProfile }}{{ $_ := set $context "seccompProfile" . }}{{ end -}}
{{- range $key, $value := $context -}}
{{- if kindIs "invalid" $value }}{{ $_ := unset $context $key }}{{ end -}}
{{- end -}}
{{- toYaml $context -}}
{{- end -}}
{{- end -}}

{{- define "ingress-nginx.controller.containerPorts" -}}
{{- $c := .Values.controller -}}
{{- $hostPort := $c.hostPort.enabled -}}
{{- range $name, $port := $c.containerPort }}
- name: {{ $name }}
  containerPort: {{ include "ingress-nginx.controller.scalar" $port }}
  protocol: TCP
  {{- if $hostPort }}
  hostPort: {{ include "ingress-nginx.controller.scalar" (index ($c.hostPort.ports | default dict) $name | default $port) }}
  {{- end }}
{{- end }}
{{- if $c.metrics.enabled }}
- name: {{ $c.metrics.portName }}
  containerPort: {{ include "ingress-nginx.controller.scalar" $c.metrics.port }}
  protocol: TCP
{{- end }}
{{- if $c.admissionWebhooks.enabled }}
- name: webhook
  containerPort: {{ include "ingress-nginx.controller.scalar" $c.admissionWebhooks.port }}
  protocol: TCP
{{- end }}
{{- range $protocol := list "tcp" "udp" }}
{{- range $port, $_ := index $.Values $protocol }}
- name: {{ include "ingress-nginx.controller.streamPortName" (dict "root" $ "port" $port "protocol" $protocol) }}
  containerPort: {{ $port }}
  protocol: {{ upper $protocol }}
  {{- if $hostPort }}
  hostPort: {{ $port }}
  {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "ingress-nginx.controller.volumeMounts" -}}
{{- $c := .Values.controller -}}
{{- if $c.extraModules }}
- name: modules
  mountPath: /modules_mount
{{- end }}
{{- if $c.customTemplate.configMapName }}
- name: nginx-template-volume
  mountPath: /etc/nginx/template
  readOnly: true
{{- end }}
{{- if $c.admissionWebhooks.enabled }}
- name: webhook-cert
  mountPath: /usr/local/certificates/
  readOnly: true
{{- end }}
{{- with $c.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}
