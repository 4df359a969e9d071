{{- define "ingress-nginx.validate.admissionWebhooks" -}}
{{- $webhooks := .Values.controller.admissionWebhooks -}}
{{- /* The schema refuses an empty or invalid suffix; null removes the key before it looks. */ -}}
{{- range $job, $default := dict "createSecretJob" "create" "patchWebhookJob" "patch" -}}
{{- if not (index $webhooks $job).name -}}
{{- fail (printf "controller.admissionWebhooks.%s.name: is null, and the Job's name is the chart's admission name followed by this suffix. Set controller.admissionWebhooks.%s.name to a suffix such as %s (the chart's default), or remove the key." $job $job $default) -}}
{{- end -}}
{{- end -}}
{{- if eq (toString $webhooks.createSecretJob.name) (toString $webhooks.patchWebhookJob.name) -}}
{{- fail (printf "controller.admissionWebhooks.patchWebhookJob.name: %s is also controller.admissionWebhooks.createSecretJob.name, so both Jobs would get one name and the second could not be created. Give the two Jobs different suffixes (the defaults are create and patch)." (toString $webhooks.patchWebhookJob.name)) -}}
{{- end -}}
{{- if and $webhooks.enabled $webhooks.certManager.enabled -}}
{{- $issuerRef := $webhooks.certManager.issuerRef -}}
{{- /* An empty issuerRef means the chart's own CA; a partial one names no issuer cert-manager can find. */}}
{{- if and $issuerRef (not $issuerRef.name) -}}
{{- fail "controller.admissionWebhooks.certManager.issuerRef.name: an issuerRef is given without the name of the issuer, so cert-manager cannot sign the admission certificate. Set issuerRef.name (and issuerRef.kind: Issuer or ClusterIssuer), or leave issuerRef empty to let the chart create its own CA." -}}
{{- end -}}
{{- end -}}
{{- end -}}
