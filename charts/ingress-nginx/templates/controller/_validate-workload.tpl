{{- /*
Refuses workload settings that cannot work at all: an autoscaler on a
DaemonSet, two autoscalers on one Deployment, bounds that cross, and container
ports the API server would reject, and probes or hooks without exactly one
handler (_validate-containers.tpl). Odd but working combinations are left to
the values linter.
*/ -}}
{{- define "ingress-nginx.validate.workload" -}}
{{- $c := .Values.controller -}}
{{- /* The schema has already refused an empty or invalid name; null removes the key before it looks. */ -}}
{{- if not $c.containerName -}}
{{- fail "controller.containerName: is null, and Kubernetes requires every container to have a name. Set controller.containerName to a name such as controller (the chart's default), or remove the key." -}}
{{- end -}}
{{- if not (has $c.kind (list "Deployment" "DaemonSet")) -}}
{{- fail (printf "controller.kind: %v is not a workload kind this chart renders, so no controller would run. Set controller.kind to Deployment or DaemonSet." $c.kind) -}}
{{- end -}}
{{- if eq $c.kind "DaemonSet" -}}
{{- if $c.autoscaling.enabled -}}
{{- fail "controller.autoscaling.enabled: a DaemonSet runs one pod per node and cannot be scaled by a HorizontalPodAutoscaler. Set controller.kind to Deployment or controller.autoscaling.enabled to false." -}}
{{- end -}}
{{- if $c.keda.enabled -}}
{{- fail "controller.keda.enabled: a DaemonSet runs one pod per node and cannot be scaled by a KEDA ScaledObject. Set controller.kind to Deployment or controller.keda.enabled to false." -}}
{{- end -}}
{{- end -}}
{{- if and $c.autoscaling.enabled $c.keda.enabled -}}
{{- fail "controller.autoscaling.enabled and controller.keda.enabled: KEDA creates its own HorizontalPodAutoscaler, and two autoscalers would fight over the replica count. Enable only one of them." -}}
{{- end -}}
{{- range $name := list "autoscaling" "keda" -}}
{{- $scaler := index $c $name -}}
{{- if and $scaler.enabled (gt (int64 ($scaler.minReplicas | default 0)) (int64 ($scaler.maxReplicas | default 0))) -}}
{{- fail (printf "controller.%s.minReplicas: %v is greater than controller.%s.maxReplicas (%v), which the autoscaler refuses. Lower controller.%s.minReplicas or raise controller.%s.maxReplicas." $name (int64 ($scaler.minReplicas | default 0)) $name (int64 ($scaler.maxReplicas | default 0)) $name $name) -}}
{{- end -}}
{{- end -}}
{{- if and $c.keda.enabled (not $c.keda.triggers) -}}
{{- fail "controller.keda.triggers: is empty while controller.keda.enabled is true, and KEDA refuses a ScaledObject without a trigger (it scales on nothing). Add a trigger to controller.keda.triggers (values.yaml shows a prometheus one), or set controller.keda.enabled to false." -}}
{{- end -}}
{{- /* A Deployment's progress deadline (controller.progressDeadlineSeconds, else 600) must exceed minReadySeconds. */ -}}
{{- $deadline := int64 ($c.progressDeadlineSeconds | default 600) -}}
{{- if and (eq $c.kind "Deployment") (ge (int64 ($c.minReadySeconds | default 0)) $deadline) -}}
{{- fail (printf "controller.minReadySeconds: %v is not below the Deployment's progress deadline of %v seconds (controller.progressDeadlineSeconds), which the API server requires. Lower controller.minReadySeconds or raise controller.progressDeadlineSeconds." (int64 $c.minReadySeconds) $deadline) -}}
{{- end -}}
{{- include "ingress-nginx.validate.workloadPorts" . -}}
{{- include "ingress-nginx.validate.containerHandlers" (dict "path" "controller" "container" $c "init" false "dropsEmptyProbes" true) -}}
{{- range $index, $container := $c.extraContainers -}}
{{- include "ingress-nginx.validate.containerHandlers" (dict "path" (printf "controller.extraContainers[%d]" $index) "container" $container "init" false "dropsEmptyProbes" false) -}}
{{- end -}}
{{- range $index, $container := $c.extraInitContainers -}}
{{- include "ingress-nginx.validate.containerHandlers" (dict "path" (printf "controller.extraInitContainers[%d]" $index) "container" $container "init" true "dropsEmptyProbes" false) -}}
{{- end -}}
{{- end -}}

{{- define "ingress-nginx.validate.workloadPorts" -}}
{{- $c := .Values.controller -}}
{{- range $protocol := list "tcp" "udp" -}}
{{- range $port, $_ := index $.Values $protocol -}}
{{- if not (regexMatch "^[0-9]+$" $port) | or (lt (int64 $port) 1) | or (gt (int64 $port) 65535) -}}
{{- fail (printf "%s.%s: the key must be the port number the controller listens on, 1 to 65535. Rename the entry to its port number, for example %s.\"9000\": \"<namespace>/<service>:<port>\"." $protocol $port $protocol) -}}
{{- end -}}
{{- $name := include "ingress-nginx.controller.streamPortName" (dict "root" $ "port" $port "protocol" $protocol) -}}
{{- if gt (len $name) 15 -}}
{{- fail (printf "portNamePrefix: the container port name %q of %s.%s is longer than the 15 characters Kubernetes allows. Shorten portNamePrefix to at most %d characters." $name $protocol $port (sub 15 (add (len $port) 5) | max 0)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- /* On the host network a container port is the host port; Kubernetes refuses any other hostPort. */ -}}
{{- if and $c.hostNetwork $c.hostPort.enabled -}}
{{- range $name, $port := $c.containerPort -}}
{{- $hostPort := index ($c.hostPort.ports | default dict) $name | default $port -}}
{{- if ne (int64 $hostPort) (int64 $port) -}}
{{- fail (printf "controller.hostPort.ports.%s: %v differs from controller.containerPort.%s (%v), but with controller.hostNetwork the host port is the container port. Set controller.hostPort.ports.%s to %v, or turn off controller.hostPort.enabled (hostNetwork already listens on the node)." $name (int64 $hostPort) $name (int64 $port) $name (int64 $port)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
