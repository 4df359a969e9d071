{{- define "ingress-nginx.defaultBackend.fullname" -}}
{{- printf "%s-%s" (include "ingress-nginx.fullname" .) .Values.defaultBackend.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ingress-nginx.defaultBackend.serviceAccountName" -}}
{{- if .Values.defaultBackend.serviceAccount.create -}}
{{- default (printf "%s-backend" (include "ingress-nginx.fullname" .)) .Values.defaultBackend.serviceAccount.name -}}
{{- else -}}
{{- /* Not "default": upstream names this account when the chart does not create it. */ -}}
{{- default "default-backend" .Values.defaultBackend.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The backend's image reference. Upstream ships the default image by tag only;
the chart adds the digest of default-backend-pin.yaml while no digest is set
and the reference resolves to the pinned one. The resolved reference is
compared, not the keys, so `repository` or `global.image.registry` spelling the
same image keeps the pin, and a mirror (whose copy may have another digest) or
another tag never gets it.
*/}}
{{- define "ingress-nginx.defaultBackend.image" -}}
{{- $image := .Values.defaultBackend.image -}}
{{- $reference := include "ingress-nginx.image" (dict "image" $image "path" "defaultBackend.image" "root" .) -}}
{{- $pin := .Files.Get "default-backend-pin.yaml" | fromYaml -}}
{{- $reference -}}
{{- if and (not $image.digest) (eq $reference $pin.reference) }}@{{ $pin.digest }}{{ end -}}
{{- end -}}

{{/* defaultBackend.labels reach every object of the backend, not only the Deployment. */}}
{{- define "ingress-nginx.defaultBackend.labels" -}}
{{ include "ingress-nginx.componentLabels" (dict "root" . "component" "default-backend" "extra" (list .Values.defaultBackend.labels)) }}
{{- end -}}

{{/* What the Deployment, its Service, PDB and NetworkPolicy select on; as upstream, so upgrades keep the immutable selector. */}}
{{- define "ingress-nginx.defaultBackend.selectorLabels" -}}
{{ include "ingress-nginx.componentSelectorLabels" (dict "root" . "component" "default-backend") }}
{{- end -}}

{{/*
Replicas the PDB has to protect: the autoscaler's floor when it owns the
count, else replicaCount.
*/}}
{{- define "ingress-nginx.defaultBackend.effectiveReplicas" -}}
{{- $backend := .Values.defaultBackend -}}
{{- if $backend.autoscaling.enabled -}}
{{- int64 $backend.autoscaling.minReplicas -}}
{{- else -}}
{{- int64 $backend.replicaCount -}}
{{- end -}}
{{- end -}}

{{/*
extraArgs as flags, in key order. An empty or null value is a flag without a
value (`--flag`); false is kept as `--flag=false`, because a bare boolean
flag would mean true.
*/}}
{{- define "ingress-nginx.defaultBackend.args" -}}
{{- range $key, $value := .Values.defaultBackend.extraArgs }}
{{- if or (kindIs "invalid" $value) (eq (toString $value) "") }}
- --{{ $key }}
{{- else }}
- --{{ $key }}={{ $value }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
containerSecurityContext replaces the whole context; otherwise it is built
from the defaultBackend.image.* keys, always dropping every capability since
the backend only serves HTTP on an unprivileged port.
*/}}
{{- define "ingress-nginx.defaultBackend.containerSecurityContext" -}}
{{- $backend := .Values.defaultBackend -}}
{{- if $backend.containerSecurityContext -}}
{{ toYaml $backend.containerSecurityContext }}
{{- else -}}
{{- $image := $backend.image -}}
{{- range $key := list "runAsNonRoot" "allowPrivilegeEscalation" "readOnlyRootFilesystem" }}
{{- if kindIs "bool" (index $image $key) }}
{{ $key }}: {{ index $image $key }}
{{- end }}
{{- end }}
{{- range $key := list "runAsUser" "runAsGroup" }}
{{- if not (kindIs "invalid" (index $image $key)) }}
{{ $key }}: {{ int64 (index $image $key) }}
{{- end }}
{{- end }}
{{- with $image.seccompProfile }}
seccompProfile:
  {{- toYaml . | nindent 2 }}
{{- end }}
capabilities:
  drop:
    - ALL
{{- end -}}
{{- end -}}
