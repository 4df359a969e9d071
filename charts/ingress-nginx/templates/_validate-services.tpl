{{- /*
A Service's clusterIPs must start with its clusterIP: the API server refuses
clusterIPs without clusterIP, or with another first entry, at install time,
where the message no longer names the values. Shared by the controller's and
the default backend's Services. Call with (dict "path" <values path>
"values" <the Service's values block>).
*/ -}}
{{- define "ingress-nginx.validate.clusterIPs" -}}
{{- $path := .path -}}
{{- $values := .values -}}
{{- with $values.clusterIPs }}
{{- $first := toString (first .) }}
{{- if not $values.clusterIP }}
{{- fail (printf "%s.clusterIPs: is set while %s.clusterIP is empty, and Kubernetes requires clusterIP to be the first entry of clusterIPs. Set %s.clusterIP to %s, or remove %s.clusterIPs." $path $path $path $first $path) }}
{{- end }}
{{- if ne $first (toString $values.clusterIP) }}
{{- fail (printf "%s.clusterIPs: its first entry %s differs from %s.clusterIP (%s), and Kubernetes requires them to be equal. Start %s.clusterIPs with %s, or change %s.clusterIP." $path $first $path (toString $values.clusterIP) $path (toString $values.clusterIP) $path) }}
{{- end }}
{{- end }}
{{- end -}}
