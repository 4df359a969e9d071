{{/*
Helpers of the admission webhook area. The certgen objects (Jobs, their
ServiceAccount, RBAC and NetworkPolicy) are Helm hooks: they must exist before
the release's own objects on install and upgrade, and be gone once they did
their work, so that nothing long-lived can create or patch webhook secrets.
*/}}

{{/* "true" when kube-webhook-certgen Jobs make the certificate; cert-manager replaces them. */}}
{{- define "ingress-nginx.admissionWebhooks.certgen.enabled" -}}
{{- $webhooks := .Values.controller.admissionWebhooks -}}
{{- if and $webhooks.enabled $webhooks.patch.enabled (not $webhooks.certManager.enabled) -}}
true
{{- end -}}
{{- end -}}

{{- define "ingress-nginx.admissionWebhooks.certgen.rbacEnabled" -}}
{{- if and (include "ingress-nginx.admissionWebhooks.certgen.enabled" .) .Values.controller.admissionWebhooks.patch.rbac.create -}}
true
{{- end -}}
{{- end -}}

{{/* The Service the API server calls; the controller area renders it under this name. */}}
{{- define "ingress-nginx.admissionWebhooks.serviceName" -}}
{{- printf "%s-admission" (include "ingress-nginx.controller.fullname" .) -}}
{{- end -}}

{{/*
The Secret holding the serving certificate: named like the webhook objects, so a
release upgraded from upstream keeps mounting the Secret it already has.
*/}}
{{- define "ingress-nginx.admissionWebhooks.secretName" -}}
{{- include "ingress-nginx.admissionWebhooks.fullname" . -}}
{{- end -}}

{{- define "ingress-nginx.admissionWebhooks.createSecretJob.fullname" -}}
{{- printf "%s-%s" (include "ingress-nginx.admissionWebhooks.fullname" .) .Values.controller.admissionWebhooks.createSecretJob.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ingress-nginx.admissionWebhooks.patchWebhookJob.fullname" -}}
{{- printf "%s-%s" (include "ingress-nginx.admissionWebhooks.fullname" .) .Values.controller.admissionWebhooks.patchWebhookJob.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ingress-nginx.admissionWebhooks.fullname" -}}
{{- printf "%s-%s" (include "ingress-nginx.fullname" .) .Values.controller.admissionWebhooks.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ingress-nginx.admissionWebhooks.serviceAccountName" -}}
{{- $patch := .Values.controller.admissionWebhooks.patch -}}
{{- if $patch.serviceAccount.create -}}
{{- default (include "ingress-nginx.admissionWebhooks.fullname" .) $patch.serviceAccount.name -}}
{{- else -}}
{{- default "default" $patch.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels of every admission webhook object except the webhook configuration itself. */}}
{{- define "ingress-nginx.admissionWebhooks.certgen.labels" -}}
{{ include "ingress-nginx.componentLabels" (dict "root" . "component" "admission-webhook" "extra" (list .Values.controller.admissionWebhooks.patch.labels)) }}
{{- end -}}

{{/*
The certgen ServiceAccount, RBAC and NetworkPolicy serve both Jobs, the first
of which runs pre-install, so they are hooks of every event a Job runs on.
*/}}
{{- define "ingress-nginx.admissionWebhooks.certgen.sharedHookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade,post-install,post-upgrade
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

{{/*
One certgen Job. Call with (dict "root" $ "name" <Job name> "hook" <events>
"container" <container name> "job" <createSecretJob or patchWebhookJob values>
"args" <list>). Both Jobs share the pod settings of `patch.*`.
*/}}
{{- define "ingress-nginx.admissionWebhooks.certgen.job" -}}
{{- $root := .root -}}
{{- $webhooks := $root.Values.controller.admissionWebhooks -}}
{{- $patch := $webhooks.patch -}}
{{- $job := .job | default dict -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .name }}
  namespace: {{ include "ingress-nginx.namespace" $root }}
  annotations:
    {{- with $webhooks.annotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    helm.sh/hook: {{ .hook }}
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
  labels:
    {{- include "ingress-nginx.admissionWebhooks.certgen.labels" $root | nindent 4 }}
spec:
  ttlSecondsAfterFinished: 0
  {{- if gt (int64 $job.activeDeadlineSeconds) 0 }}
  activeDeadlineSeconds: {{ int64 $job.activeDeadlineSeconds }}
  {{- end }}
  template:
    metadata:
      name: {{ .name }}
      {{- with $patch.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      labels:
        {{- include "ingress-nginx.admissionWebhooks.certgen.labels" $root | nindent 8 }}
    spec:
      {{- with $patch.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with $patch.runtimeClassName }}
      runtimeClassName: {{ . }}
      {{- end }}
      {{- with include "ingress-nginx.imagePullSecrets" $root }}
      {{- trim . | nindent 6 }}
      {{- end }}
      containers:
        - name: {{ .container }}
          image: {{ include "ingress-nginx.image" (dict "image" $patch.image "path" "controller.admissionWebhooks.patch.image" "root" $root) | quote }}
          {{- with $patch.image.pullPolicy }}
          imagePullPolicy: {{ . }}
          {{- end }}
          args:
            {{- toYaml .args | nindent 12 }}
          env:
            {{- /* The arguments name the namespace through this variable, as upstream's do. */}}
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            {{- with $webhooks.extraEnvs }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with $job.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $job.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $job.volumeMounts }}
          volumeMounts:
            {{- toYaml . | nindent 12 }}
          {{- end }}
      {{- with $job.volumes }}
      volumes:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      restartPolicy: OnFailure
      serviceAccountName: {{ include "ingress-nginx.admissionWebhooks.serviceAccountName" $root }}
      {{- if kindIs "bool" $patch.serviceAccount.automountServiceAccountToken }}
      automountServiceAccountToken: {{ $patch.serviceAccount.automountServiceAccountToken }}
      {{- end }}
      {{- with $patch.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $patch.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $patch.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
