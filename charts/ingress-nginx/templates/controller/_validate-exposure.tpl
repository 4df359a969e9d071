{{- define "ingress-nginx.validate.exposure" -}}
{{- end -}}
