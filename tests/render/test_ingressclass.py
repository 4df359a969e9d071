"""IngressClass resources of controller.ingressClassResource."""
from __future__ import annotations

DEFAULT_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"


def test_default_class(render):
    classes = render().of_kind("IngressClass")
    assert [c["metadata"]["name"] for c in classes] == ["nginx"]
    ingress_class = classes[0]
    assert ingress_class["apiVersion"] == "networking.k8s.io/v1"
    assert ingress_class["spec"] == {"controller": "k8s.io/ingress-nginx"}
    assert "annotations" not in ingress_class["metadata"]
    assert ingress_class["metadata"]["labels"]["app.kubernetes.io/component"] == "controller"


def test_default_flag_aliases_parameters_annotations(render):
    parameters = {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb"}
    values = {"controller": {"labels": {"team": "edge"}, "ingressClassResource": {
        "name": "public", "default": True, "controllerValue": "example.com/ingress-nginx",
        "aliases": ["web", "www"], "parameters": parameters, "annotations": {"example.com/owner": "edge"},
    }}}
    classes = {c["metadata"]["name"]: c for c in render(values).of_kind("IngressClass")}
    assert set(classes) == {"public", "web", "www"}
    assert classes["public"]["metadata"]["annotations"] == {DEFAULT_ANNOTATION: "true", "example.com/owner": "edge"}
    for alias in ("web", "www"):
        assert classes[alias]["metadata"]["annotations"] == {"example.com/owner": "edge"}
    for ingress_class in classes.values():
        assert ingress_class["spec"] == {"controller": "example.com/ingress-nginx", "parameters": parameters}
        assert ingress_class["metadata"]["labels"]["team"] == "edge"


def test_disabled(render):
    values = {"controller": {"ingressClassResource": {"enabled": False, "aliases": ["web"]}}}
    assert render(values).of_kind("IngressClass") == []


def test_helm4_same_classes(render):
    values = {"controller": {"ingressClassResource": {"aliases": ["web"], "default": True}}}
    assert render(values, helm="helm4").of_kind("IngressClass") == render(values).of_kind("IngressClass")
