{{- define "ingress-nginx.validate.defaultBackend" -}}
{{- end -}}
