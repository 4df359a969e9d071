{{- /*
The snippet gate and the other ConfigMap keys the chart derives from its own
values live in exactly one place: their chart key. The same key in
controller.config would be written twice into the ConfigMap, and the copy that
wins could turn snippets on behind controller.allowSnippetAnnotations: false.
*/ -}}
{{- define "ingress-nginx.validate.controllerConfig" -}}
{{- $c := .Values.controller -}}
{{- $owned := dict
  "allow-snippet-annotations" "controller.allowSnippetAnnotations"
  "add-headers" "controller.addHeaders"
  "proxy-set-headers" "controller.proxySetHeaders"
  "ssl-dh-param" "dhParam" -}}
{{- range $key, $chartKey := $owned -}}
{{- if hasKey ($c.config | default dict) $key -}}
{{- fail (printf "controller.config.%s: the chart writes this ConfigMap key itself from %s, so it would appear twice and the wrong copy could win. Remove %s from controller.config and set %s instead." $key $chartKey $key $chartKey) -}}
{{- end -}}
{{- end -}}
{{- $template := $c.customTemplate -}}
{{- if and $template.configMapName (not $template.configMapKey) -}}
{{- fail "controller.customTemplate.configMapKey: controller.customTemplate.configMapName is set without the key of the template in that ConfigMap, and the pod's volume needs both. Set controller.customTemplate.configMapKey (for example nginx.tmpl), or clear configMapName." -}}
{{- end -}}
{{- if and $template.configMapKey (not $template.configMapName) -}}
{{- fail "controller.customTemplate.configMapName: controller.customTemplate.configMapKey is set without the ConfigMap that holds the template, so the chart would mount nothing. Set controller.customTemplate.configMapName, or clear configMapKey." -}}
{{- end -}}
{{- end -}}
