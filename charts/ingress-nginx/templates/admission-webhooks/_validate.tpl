{{- define "ingress-nginx.validate.admissionWebhooks" -}}
{{- $webhooks := .Values.controller.admissionWebhooks -}}
{{- if and $webhooks.enabled $webhooks.certManager.enabled -}}
{{- $issuerRef := $webhooks.certManager.issuerRef -}}
{{- /* An empty issuerRef means the chart's own CA; a partial one names no issuer cert-manager can find. */}}
{{- if and $issuerRef (not $issuerRef.name) -}}
{{- fail "controller.admissionWebhooks.certManager.issuerRef.name: an issuerRef is given without the name of the issuer, so cert-manager cannot sign the admission certificate. Set issuerRef.name (and issuerRef.kind: Issuer or ClusterIssuer), or leave issuerRef empty to let the chart create its own CA." -}}
{{- end -}}
{{- end -}}
{{- end -}}
