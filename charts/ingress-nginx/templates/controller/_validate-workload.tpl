{{- define "ingress-nginx.validate.workload" -}}
{{- end -}}
