{{- define "ingress-nginx.validate.admissionWebhooks" -}}
{{- end -}}
