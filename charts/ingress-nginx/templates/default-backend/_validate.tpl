{{- define "ingress-nginx.validate.defaultBackend" -}}
{{- $backend := .Values.defaultBackend -}}
{{- if $backend.enabled -}}
{{- $autoscaling := $backend.autoscaling | default dict -}}
{{- if and $autoscaling.enabled (gt (int64 $autoscaling.minReplicas) (int64 $autoscaling.maxReplicas)) -}}
{{- fail (printf "defaultBackend.autoscaling.minReplicas: %d is greater than defaultBackend.autoscaling.maxReplicas (%d), which the HorizontalPodAutoscaler refuses. Lower minReplicas or raise maxReplicas." (int64 $autoscaling.minReplicas) (int64 $autoscaling.maxReplicas)) -}}
{{- end -}}
{{- range $index, $configMap := $backend.extraConfigMaps -}}
{{- if not (and (kindIs "map" $configMap) $configMap.name) -}}
{{- fail (printf "defaultBackend.extraConfigMaps[%d].name: the item has no name, and a ConfigMap cannot be created without one. Give every item of defaultBackend.extraConfigMaps a name." $index) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
