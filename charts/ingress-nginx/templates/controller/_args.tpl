{{- /*
Arguments of the controller container, as a YAML list. The order and the
conditions follow the upstream chart 4.15.1 exactly: a release upgraded from it
must not see its pods rolled only because the arguments moved around.
*/ -}}
{{- define "ingress-nginx.controller.args" -}}
{{- $c := .Values.controller -}}
- /nginx-ingress-controller
{{- if not $c.enableAnnotationValidations }}
- --enable-annotation-validation=false
{{- end }}
{{- if .Values.defaultBackend.enabled }}
- --default-backend-service=$(POD_NAMESPACE)/{{ include "ingress-nginx.defaultBackend.fullname" . }}
{{- end }}
{{- if and $c.publishService.enabled $c.service.enabled }}
{{- $path := $c.publishService.pathOverride | default (printf "$(POD_NAMESPACE)/%s" (include "ingress-nginx.controller.fullname" .)) }}
{{- if $c.service.external.enabled }}
- --publish-service={{ $path }}
{{- else if $c.service.internal.enabled }}
- --publish-service={{ $path }}-internal
{{- end }}
{{- end }}
- --election-id={{ include "ingress-nginx.controller.electionID" . }}
- --controller-class={{ $c.ingressClassResource.controllerValue }}
{{- with $c.ingressClass }}
- --ingress-class={{ . }}
{{- end }}
- --configmap={{ $c.configMapNamespace | default "$(POD_NAMESPACE)" }}/{{ include "ingress-nginx.controller.fullname" . }}
{{- if .Values.tcp }}
- --tcp-services-configmap={{ $c.tcp.configMapNamespace | default "$(POD_NAMESPACE)" }}/{{ include "ingress-nginx.fullname" . }}-tcp
{{- end }}
{{- if .Values.udp }}
- --udp-services-configmap={{ $c.udp.configMapNamespace | default "$(POD_NAMESPACE)" }}/{{ include "ingress-nginx.fullname" . }}-udp
{{- end }}
{{- if $c.scope.enabled }}
- --watch-namespace={{ $c.scope.namespace | default "$(POD_NAMESPACE)" }}
{{- else if $c.scope.namespaceSelector }}
- --watch-namespace-selector={{ $c.scope.namespaceSelector }}
{{- end }}
{{- if and $c.reportNodeInternalIp $c.hostNetwork }}
- --report-node-internal-ip-address=true
{{- end }}
{{- if $c.admissionWebhooks.enabled }}
- --validating-webhook=:{{ include "ingress-nginx.controller.scalar" $c.admissionWebhooks.port }}
- --validating-webhook-certificate={{ $c.admissionWebhooks.certificate }}
- --validating-webhook-key={{ $c.admissionWebhooks.key }}
{{- end }}
{{- with $c.maxmindLicenseKey }}
- --maxmind-license-key={{ . }}
{{- end }}
{{- with $c.healthCheckHost }}
- --healthz-host={{ . }}
{{- end }}
{{- if and $c.healthCheckPath (ne $c.healthCheckPath "/healthz") }}
- --health-check-path={{ $c.healthCheckPath }}
{{- end }}
{{- if $c.ingressClassByName }}
- --ingress-class-by-name=true
{{- end }}
{{- if $c.watchIngressWithoutClass }}
- --watch-ingress-without-class=true
{{- end }}
{{- if $c.metrics.enabled }}
- --enable-metrics=true
{{- end }}
{{- if $c.enableTopologyAwareRouting }}
- --enable-topology-aware-routing=true
{{- end }}
{{- if $c.disableLeaderElection }}
- --disable-leader-election=true
{{- end }}
{{- with $c.electionTTL }}
- --election-ttl={{ . }}
{{- end }}
{{- range $key, $value := $c.extraArgs }}
{{- $items := kindIs "slice" $value | ternary $value (list $value) }}
{{- range $items }}
- {{ include "ingress-nginx.controller.flag" (dict "key" $key "value" .) | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- /*
One extraArgs flag. `false` must stay explicit: a bare `--flag` would switch a
boolean flag on, the opposite of what was asked.
*/ -}}
{{- define "ingress-nginx.controller.flag" -}}
{{- if or (kindIs "invalid" .value) (and (kindIs "string" .value) (eq .value "")) -}}
--{{ .key }}
{{- else -}}
--{{ .key }}={{ include "ingress-nginx.controller.scalar" .value }}
{{- end -}}
{{- end -}}
