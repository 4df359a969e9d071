{{/*
Names, labels and images shared by every object of the chart. Object names and
selector labels must stay exactly as upstream 4.15.1 renders them: Deployments
and DaemonSets refuse a changed selector, so a release installed with the
upstream chart could not be upgraded in place otherwise.
*/}}

{{- define "ingress-nginx.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ingress-nginx.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ingress-nginx.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ingress-nginx.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels a workload selects on; nothing may be added here. */}}
{{- define "ingress-nginx.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ingress-nginx.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every object, without the component label. */}}
{{- define "ingress-nginx.labels" -}}
helm.sh/chart: {{ include "ingress-nginx.chart" . }}
{{ include "ingress-nginx.selectorLabels" . }}
{{- with .Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
app.kubernetes.io/part-of: {{ include "ingress-nginx.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The labels block of every object: the common labels, the component
(controller, default-backend, admission-webhook; none for cluster-wide RBAC, as
upstream) and then each map of `extra` in order, e.g. controller.labels.
Call with (dict "root" $ "component" <name or ""> "extra" (list <map> ...)).
*/}}
{{- define "ingress-nginx.componentLabels" -}}
{{ include "ingress-nginx.labels" .root }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- range .extra }}
{{- with . }}
{{ toYaml . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* What a component's objects select on: (dict "root" $ "component" <name>). */}}
{{- define "ingress-nginx.componentSelectorLabels" -}}
{{ include "ingress-nginx.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
An image reference from an image values block.
Call with (dict "image" <block> "path" <its values path> "root" $): `repository`
wins over <registry or global.image.registry>/<image>; `chroot` picks the
-chroot image and its own digest. The schema refuses most bad parts, but a null
removes its key before the schema looks, and an empty tag is a reference no
runtime can parse.
*/}}
{{- define "ingress-nginx.image" -}}
{{- $image := .image -}}
{{- $chroot := and (hasKey $image "chroot") $image.chroot -}}
{{- if not (or $image.repository $image.image) -}}
{{- fail (printf "%s.image: is empty or null, so the image has no name. Set %s.image (the chart's default names one), or %s.repository to the whole name." .path .path .path) -}}
{{- end -}}
{{- if or (kindIs "invalid" $image.tag) (eq (toString $image.tag) "") -}}
{{- fail (printf "%s.tag: is empty or null, so the image reference would end in a bare colon, which no container runtime parses. Set %s.tag (the chart's default is the version it was tested with)." .path .path) -}}
{{- end -}}
{{- if $image.repository -}}
{{- $image.repository -}}
{{- else -}}
{{- /* global may be null (a parent chart's or a user's), so it is read with dig. */ -}}
{{- $registry := $image.registry | default (dig "image" "registry" "" (.root.Values.global | default dict)) -}}
{{- if not $registry -}}
{{- fail (printf "global.image.registry: the image %s has no registry (global is null, or global.image.registry and the image's own registry are empty), so the kubelet could not pull it. Set global.image.registry: registry.k8s.io, or give the image its own registry or repository." $image.image) -}}
{{- end -}}
{{- printf "%s/%s" $registry $image.image -}}
{{- if $chroot }}-chroot{{ end -}}
{{- end -}}
{{- printf ":%s" (toString $image.tag) -}}
{{- $digest := ternary $image.digestChroot $image.digest $chroot -}}
{{- with $digest }}@{{ . }}{{ end -}}
{{- end -}}

{{/* imagePullSecrets of every pod. */}}
{{- define "ingress-nginx.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- /*
A values subtree written out as YAML after evaluating it as a template, for the
keys upstream treats that way: selectors such as
`app.kubernetes.io/instance: '{{ .Release.Name }}'` must keep matching after a
switch of charts. Call with (dict "value" <subtree> "root" $).
*/ -}}
{{- define "ingress-nginx.values.asTemplate" -}}
{{- tpl (toYaml .value) .root -}}
{{- end -}}

{{- /*
"true" when a boolean value is on. A quoted "false" means false here, where a
plain Go template test would take any non-empty string as true.
*/ -}}
{{- define "ingress-nginx.values.isTrue" -}}
{{- if kindIs "string" . -}}
{{- if eq (lower (trim .)) "true" }}true{{ end -}}
{{- else if . -}}
true
{{- end -}}
{{- end -}}
