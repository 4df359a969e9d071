{{- define "ingress-nginx.validate.defaultBackend" -}}
{{- $backend := .Values.defaultBackend -}}
{{- if $backend.enabled -}}
{{- include "ingress-nginx.validate.serviceAddresses" (dict "path" "defaultBackend.service" "values" $backend.service "type" ($backend.service.type | default "ClusterIP")) -}}
{{- if ge (int64 ($backend.minReadySeconds | default 0)) 600 -}}
{{- fail (printf "defaultBackend.minReadySeconds: %v is not below the Deployment's progress deadline of 600 seconds, which the API server requires. Set defaultBackend.minReadySeconds below 600." (int64 $backend.minReadySeconds)) -}}
{{- end -}}
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
