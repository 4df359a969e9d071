"""ServiceMonitor and PrometheusRule of the controller metrics."""
from __future__ import annotations

CONTROLLER = "ingress-nginx-controller"


def test_service_monitor_defaults(render):
    values = {"controller": {"metrics": {"enabled": True, "serviceMonitor": {"enabled": True}}}}
    monitor = render(values).get("ServiceMonitor", CONTROLLER)
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["metadata"]["namespace"] == "ingress-nginx"
    assert monitor["spec"] == {
        "endpoints": [{"port": "metrics", "interval": "30s"}],
        "namespaceSelector": {"matchNames": ["ingress-nginx"]},
        "selector": {"matchLabels": {
            "app.kubernetes.io/name": "ingress-nginx",
            "app.kubernetes.io/instance": "ingress-nginx",
            "app.kubernetes.io/component": "controller",
        }},
    }


def test_service_monitor_every_value(render):
    relabel = [{"action": "replace", "sourceLabels": ["__meta_kubernetes_pod_node_name"], "targetLabel": "node"}]
    metric_relabel = [{"action": "drop", "regex": "nginx_ingress_controller_ssl.*", "sourceLabels": ["__name__"]}]
    values = {"controller": {"metrics": {"enabled": True, "portName": "prom", "serviceMonitor": {
        "enabled": True, "namespace": "monitoring", "additionalLabels": {"release": "kps"},
        "annotations": {"example.com/a": "b"}, "namespaceSelector": {"any": True},
        "scrapeInterval": "15s", "scrapeTimeout": "10s", "honorLabels": True, "jobLabel": "app.kubernetes.io/name",
        "targetLabels": ["team"], "relabelings": relabel, "metricRelabelings": metric_relabel,
        "labelLimit": 10, "labelNameLengthLimit": 20, "labelValueLengthLimit": 30, "sampleLimit": 40, "targetLimit": 50,
    }}}}
    monitor = render(values).get("ServiceMonitor", CONTROLLER)
    assert monitor["metadata"]["namespace"] == "monitoring"
    assert monitor["metadata"]["labels"]["release"] == "kps"
    assert monitor["metadata"]["annotations"] == {"example.com/a": "b"}
    spec = monitor["spec"]
    assert spec["endpoints"] == [{
        "port": "prom", "interval": "15s", "scrapeTimeout": "10s", "honorLabels": True,
        "relabelings": relabel, "metricRelabelings": metric_relabel,
    }]
    assert spec["namespaceSelector"] == {"any": True}
    assert spec["jobLabel"] == "app.kubernetes.io/name"
    assert spec["targetLabels"] == ["team"]
    assert (spec["labelLimit"], spec["labelNameLengthLimit"], spec["labelValueLengthLimit"],
            spec["sampleLimit"], spec["targetLimit"]) == (10, 20, 30, 40, 50)


def test_service_monitor_needs_metrics(render):
    values = {"controller": {"metrics": {"enabled": False, "serviceMonitor": {"enabled": True},
                                          "prometheusRule": {"enabled": True}}}}
    assert not render(values).kinds() & {"ServiceMonitor", "PrometheusRule"}


def test_prometheus_rule(render):
    rules = [{"alert": "NginxConfigFailed", "expr": "count(nginx_ingress_controller_config_last_reload_successful == 0) > 0",
              "for": "1s", "labels": {"severity": "critical"}}]
    values = {"controller": {"metrics": {"enabled": True, "prometheusRule": {
        "enabled": True, "namespace": "monitoring", "additionalLabels": {"release": "kps"},
        "annotations": {"example.com/a": "b"}, "rules": rules,
    }}}}
    rule = render(values).get("PrometheusRule", CONTROLLER)
    assert rule["metadata"]["namespace"] == "monitoring"
    assert rule["metadata"]["labels"]["release"] == "kps"
    assert rule["metadata"]["labels"]["app.kubernetes.io/component"] == "controller"
    assert rule["metadata"]["annotations"] == {"example.com/a": "b"}
    assert rule["spec"] == {"groups": [{"name": "ingress-nginx", "rules": rules}]}


def test_prometheus_rule_defaults_to_release_namespace(render):
    values = {"controller": {"metrics": {"enabled": True, "prometheusRule": {"enabled": True}}}}
    rule = render(values, helm="helm4").get("PrometheusRule", CONTROLLER)
    assert rule["metadata"]["namespace"] == "ingress-nginx"
    assert rule["spec"] == {"groups": []}
