{{/*
Checks of the controller's Services, tcp/udp entries, IngressClasses and RBAC.
Each refuses a combination that Kubernetes or nginx would refuse later, at a
point where the message can still name the values involved.
*/}}
{{- define "ingress-nginx.validate.exposure" -}}
{{- include "ingress-nginx.validate.streamPorts" . -}}
{{- include "ingress-nginx.validate.controllerServices" . -}}
{{- include "ingress-nginx.validate.ingressClass" . -}}
{{- include "ingress-nginx.validate.ingressClassOwner" . -}}
{{- include "ingress-nginx.validate.rbacScope" . -}}
{{- end -}}

{{/*
tcp/udp keys become port numbers on the Services, the container and nginx's
stream listeners, so none may reuse a port that something else of the same
protocol already holds ("80" and "080" are one port). That each key is a port
number at all is checked with the container ports (_validate-workload.tpl).
*/}}
{{- define "ingress-nginx.validate.streamPorts" -}}
{{- $controller := .Values.controller -}}
{{- $service := $controller.service -}}
{{- $internal := $service.internal | default dict -}}
{{- /* Every TCP port the pod or a controller Service already holds, with the values path that sets it. */}}
{{- $taken := dict -}}
{{- range $name := list "http" "https" }}
{{- $_ := set $taken (toString (index $controller.containerPort $name)) (printf "controller.containerPort.%s" $name) }}
{{- end }}
{{- $_ := set $taken (toString $controller.metrics.port) "controller.metrics.port" -}}
{{- if $controller.admissionWebhooks.enabled }}
{{- $_ := set $taken (toString $controller.admissionWebhooks.port) "controller.admissionWebhooks.port" }}
{{- end }}
{{- if $controller.hostPort.enabled }}
{{- range $name := list "http" "https" }}
{{- $_ := set $taken (toString (index ($controller.hostPort.ports | default dict) $name)) (printf "controller.hostPort.ports.%s" $name) }}
{{- end }}
{{- end }}
{{- if $service.enabled }}
{{- range $name := list "http" "https" }}
{{- if index $service (printf "enable%s" (title $name)) }}
{{- if ($service.external | default dict).enabled }}
{{- $_ := set $taken (toString (index ($service.ports | default dict) $name)) (printf "controller.service.ports.%s" $name) }}
{{- end }}
{{- if $internal.enabled }}
{{- $own := index ($internal.ports | default dict) $name }}
{{- if $own }}
{{- $_ := set $taken (toString $own) (printf "controller.service.internal.ports.%s" $name) }}
{{- else }}
{{- $_ := set $taken (toString (index ($service.ports | default dict) $name)) (printf "controller.service.ports.%s (used by the internal Service)" $name) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- range $protocol := list "tcp" "udp" }}
{{- $seen := ternary $taken dict (eq $protocol "tcp") }}
{{- range $key, $_ := index $.Values $protocol | default dict }}
{{- $port := atoi $key }}
{{- $holder := index $seen (toString $port) }}
{{- if $holder }}
{{- fail (printf "%s.%s: port %d/%s is already used by %s. Move this entry to a free port or change %s." $protocol $key $port (upper $protocol) $holder $holder) }}
{{- end }}
{{- $_ := set $seen (toString $port) (printf "%s.%s" $protocol $key) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fields that the API server only accepts on some Service types.
Call with (dict "path" <values path> "values" <values block> "type" <type>
"streamNodePorts" <bool: tcp/udp nodePorts apply>).
*/}}
{{- define "ingress-nginx.validate.serviceFields" -}}
{{- $path := .path -}}
{{- $values := .values -}}
{{- include "ingress-nginx.validate.serviceAddresses" (dict "path" $path "values" $values "type" .type) }}
{{- if ne .type "LoadBalancer" }}
{{- if $values.loadBalancerSourceRanges }}
{{- fail (printf "%s.loadBalancerSourceRanges: Kubernetes accepts source ranges only on a LoadBalancer Service, and this one is %s. Set %s.type to LoadBalancer or remove %s.loadBalancerSourceRanges." $path .type $path $path) }}
{{- end }}
{{- if $values.loadBalancerClass }}
{{- fail (printf "%s.loadBalancerClass: Kubernetes accepts a load balancer class only on a LoadBalancer Service, and this one is %s. Set %s.type to LoadBalancer or remove %s.loadBalancerClass." $path .type $path $path) }}
{{- end }}
{{- end }}
{{- if and $values.healthCheckNodePort (not (and (eq .type "LoadBalancer") (eq (toString $values.externalTrafficPolicy) "Local"))) }}
{{- fail (printf "%s.healthCheckNodePort: Kubernetes accepts it only on a LoadBalancer Service with externalTrafficPolicy Local. Set %s.type to LoadBalancer and %s.externalTrafficPolicy to Local, or remove %s.healthCheckNodePort." $path $path $path $path) }}
{{- end }}
{{- if and .streamNodePorts (not (include "ingress-nginx.controller.typeTakesNodePorts" .type)) }}
{{- range $protocol := list "tcp" "udp" }}
{{- range $port, $nodePort := index ($values.nodePorts | default dict) $protocol | default dict }}
{{- if and $nodePort (hasKey (index $.root.Values $protocol | default dict) $port) }}
{{- fail (printf "%s.nodePorts.%s.%s: a %s Service cannot have node ports. Set %s.type to NodePort or LoadBalancer, or remove %s.nodePorts.%s.%s." $path $protocol $port $.type $path $path $protocol $port) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "ingress-nginx.validate.controllerServices" -}}
{{- $controller := .Values.controller -}}
{{- $service := $controller.service -}}
{{- $internal := $service.internal | default dict -}}
{{- if $service.enabled }}
{{- if and (not $service.enableHttp) (not $service.enableHttps) (not .Values.tcp) (not .Values.udp) (or ($service.external | default dict).enabled $internal.enabled) }}
{{- fail "controller.service.enableHttp: enableHttp and enableHttps are both false and tcp/udp are empty, so the controller Service would have no ports, which Kubernetes refuses. Enable controller.service.enableHttp or controller.service.enableHttps, add tcp/udp entries, or set controller.service.enabled to false." }}
{{- end }}
{{- if ($service.external | default dict).enabled }}
{{- include "ingress-nginx.validate.serviceFields" (dict "root" $ "path" "controller.service" "values" $service "type" $service.type "streamNodePorts" true) }}
{{- end }}
{{- if $internal.enabled }}
{{- include "ingress-nginx.validate.serviceFields" (dict "root" $ "path" "controller.service.internal" "values" $internal "type" (include "ingress-nginx.controller.internalServiceType" .) "streamNodePorts" true) }}
{{- end }}
{{- end }}
{{- $metricsService := $controller.metrics.service | default dict -}}
{{- if and $controller.metrics.enabled $metricsService.enabled }}
{{- include "ingress-nginx.validate.serviceFields" (dict "root" $ "path" "controller.metrics.service" "values" $metricsService "type" $metricsService.type "streamNodePorts" false) }}
{{- end }}
{{- $webhookService := $controller.admissionWebhooks.service | default dict -}}
{{- if $controller.admissionWebhooks.enabled }}
{{- include "ingress-nginx.validate.serviceFields" (dict "root" $ "path" "controller.admissionWebhooks.service" "values" $webhookService "type" $webhookService.type "streamNodePorts" false) }}
{{- end }}
{{- end -}}

{{/* IngressClass names are cluster-wide object names: each must be set and unique. */}}
{{- define "ingress-nginx.validate.ingressClass" -}}
{{- $class := .Values.controller.ingressClassResource -}}
{{- if $class.enabled }}
{{- if not $class.name }}
{{- fail "controller.ingressClassResource.name: is empty while controller.ingressClassResource.enabled is true. Set a class name (upstream's default is nginx) or set controller.ingressClassResource.enabled to false." }}
{{- end }}
{{- $seen := list $class.name }}
{{- range $alias := $class.aliases | default list }}
{{- if not $alias }}
{{- fail "controller.ingressClassResource.aliases: contains an empty name. Remove the empty entry." }}
{{- end }}
{{- if eq (toString $alias) (toString $class.name) }}
{{- fail (printf "controller.ingressClassResource.aliases: %q is the class name itself (controller.ingressClassResource.name). Remove it from the aliases." $alias) }}
{{- end }}
{{- if has $alias $seen }}
{{- fail (printf "controller.ingressClassResource.aliases: %q is listed more than once. Keep one entry per alias." $alias) }}
{{- end }}
{{- $seen = append $seen $alias }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
An IngressClass is cluster-wide, so a second release that reuses a class name
would be stopped by Helm's ownership check with a message about annotations.
Looking the class up first (only possible against a cluster: `helm template`
sees nothing) lets the refusal say which values to change, before any object
or hook is created.
*/}}
{{- define "ingress-nginx.validate.ingressClassOwner" -}}
{{- $class := .Values.controller.ingressClassResource -}}
{{- if $class.enabled }}
{{- range $index, $name := prepend ($class.aliases | default list) $class.name }}
{{- $existing := lookup "networking.k8s.io/v1" "IngressClass" "" (toString $name) }}
{{- if $existing }}
{{- $annotations := $existing.metadata.annotations | default dict }}
{{- $release := index $annotations "meta.helm.sh/release-name" | default "" }}
{{- $namespace := index $annotations "meta.helm.sh/release-namespace" | default "" }}
{{- if or (ne $release $.Release.Name) (ne $namespace $.Release.Namespace) }}
{{- $path := ternary "controller.ingressClassResource.name" "controller.ingressClassResource.aliases" (eq $index 0) }}
{{- $owner := ternary (printf "Helm release %q in namespace %q" $release $namespace) "an object created outside Helm" (ne $release "") }}
{{- fail (printf "%s: the IngressClass %q already exists in the cluster and belongs to %s. Give this release a class of its own (set %s, with its own controller.ingressClassResource.controllerValue and controller.electionID), or set controller.ingressClassResource.enabled to false to let the existing class stand." $path $name $owner $path) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Without the ClusterRole the controller cannot watch other namespaces, so it
must be confined to one, as upstream also insists.
*/}}
{{- define "ingress-nginx.validate.rbacScope" -}}
{{- if and .Values.rbac.create .Values.rbac.scope (not .Values.controller.scope.enabled) }}
{{- fail "rbac.scope: is true while controller.scope.enabled is false, so the controller would watch every namespace without the ClusterRole that allows it. Set controller.scope.enabled to true as well, or set rbac.scope to false." }}
{{- end }}
{{- end -}}
