"""The validating webhook and the kube-webhook-certgen Jobs that give it a certificate."""
from __future__ import annotations

from typing import Any

import pytest
import yaml

from manifests import Render, container
from paths import SEED_VALUES as SEED


ALL_EVENTS = "pre-install,pre-upgrade,post-install,post-upgrade"
DELETE_POLICY = "before-hook-creation,hook-succeeded"
CERTGEN_RBAC = (
    ("ServiceAccount", "ingress-nginx-admission"),
    ("Role", "ingress-nginx-admission"),
    ("RoleBinding", "ingress-nginx-admission"),
    ("ClusterRole", "ingress-nginx-admission"),
    ("ClusterRoleBinding", "ingress-nginx-admission"),
)
JOBS = ("ingress-nginx-admission-create", "ingress-nginx-admission-patch")


def webhooks(values: dict[str, Any]) -> dict[str, Any]:
    return {"controller": {"admissionWebhooks": values}}


def pod_spec(job: dict[str, Any]) -> dict[str, Any]:
    return job["spec"]["template"]["spec"]


def env_names(item: dict[str, Any]) -> list[str]:
    return [entry["name"] for entry in item.get("env", [])]


# Defaults


def test_webhook_configuration_defaults(render: Render) -> None:
    config = render().get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert config["apiVersion"] == "admissionregistration.k8s.io/v1"
    assert config["metadata"]["labels"]["app.kubernetes.io/component"] == "admission-webhook"
    assert "annotations" not in config["metadata"]
    [hook] = config["webhooks"]
    assert hook == {
        "name": "validate.nginx.ingress.kubernetes.io",
        "matchPolicy": "Equivalent",
        "rules": [{
            "apiGroups": ["networking.k8s.io"],
            "apiVersions": ["v1"],
            "operations": ["CREATE", "UPDATE"],
            "resources": ["ingresses"],
        }],
        "failurePolicy": "Fail",
        "sideEffects": "None",
        "admissionReviewVersions": ["v1"],
        "clientConfig": {"service": {
            "namespace": "ingress-nginx",
            "name": "ingress-nginx-controller-admission",
            "path": "/networking/v1/ingresses",
            "port": 443,
        }},
    }


def test_create_job_defaults(render: Render) -> None:
    job = render().get("Job", "ingress-nginx-admission-create")
    assert job["metadata"]["namespace"] == "ingress-nginx"
    assert job["metadata"]["annotations"] == {
        "helm.sh/hook": "pre-install,pre-upgrade",
        "helm.sh/hook-delete-policy": DELETE_POLICY,
    }
    assert job["metadata"]["labels"]["app.kubernetes.io/component"] == "admission-webhook"
    assert job["spec"]["ttlSecondsAfterFinished"] == 0
    assert "activeDeadlineSeconds" not in job["spec"]
    spec = pod_spec(job)
    assert spec["restartPolicy"] == "OnFailure"
    assert spec["serviceAccountName"] == "ingress-nginx-admission"
    assert spec["automountServiceAccountToken"] is True
    assert spec["nodeSelector"] == {"kubernetes.io/os": "linux"}
    assert "securityContext" not in spec
    create = container(job, "create")
    assert create["image"] == (
        "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9"
        "@sha256:01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd"
    )
    assert create["imagePullPolicy"] == "IfNotPresent"
    assert create["args"] == [
        "create",
        "--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc",
        "--namespace=$(POD_NAMESPACE)",
        "--secret-name=ingress-nginx-admission",
    ]
    assert create["env"] == [{"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}]
    assert create["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 65532,
        "runAsGroup": 65532,
        "allowPrivilegeEscalation": False,
        "seccompProfile": {"type": "RuntimeDefault"},
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": True,
    }
    assert "resources" not in create


def test_patch_job_defaults(render: Render) -> None:
    job = render().get("Job", "ingress-nginx-admission-patch")
    assert job["metadata"]["annotations"] == {
        "helm.sh/hook": "post-install,post-upgrade",
        "helm.sh/hook-delete-policy": DELETE_POLICY,
    }
    assert job["spec"]["ttlSecondsAfterFinished"] == 0
    assert pod_spec(job)["restartPolicy"] == "OnFailure"
    assert pod_spec(job)["serviceAccountName"] == "ingress-nginx-admission"
    assert container(job, "patch")["args"] == [
        "patch",
        "--webhook-name=ingress-nginx-admission",
        "--namespace=$(POD_NAMESPACE)",
        "--patch-mutating=false",
        "--secret-name=ingress-nginx-admission",
        "--patch-failure-policy=Fail",
    ]


def test_certgen_rbac_defaults(render: Render) -> None:
    manifests = render()
    for kind, name in CERTGEN_RBAC:
        obj = manifests.get(kind, name)
        assert obj["metadata"]["annotations"] == {
            "helm.sh/hook": ALL_EVENTS,
            "helm.sh/hook-delete-policy": DELETE_POLICY,
        }, kind
        assert obj["metadata"]["labels"]["app.kubernetes.io/component"] == "admission-webhook", kind
    assert manifests.get("ServiceAccount", "ingress-nginx-admission")["automountServiceAccountToken"] is True
    assert manifests.get("Role", "ingress-nginx-admission")["rules"] == [
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "create"]},
    ]
    assert manifests.get("ClusterRole", "ingress-nginx-admission")["rules"] == [{
        "apiGroups": ["admissionregistration.k8s.io"],
        "resources": ["validatingwebhookconfigurations"],
        # Safer than upstream (differences.yaml): only this release's configuration.
        "resourceNames": ["ingress-nginx-admission"],
        "verbs": ["get", "update"],
    }]
    subject = [{"kind": "ServiceAccount", "name": "ingress-nginx-admission", "namespace": "ingress-nginx"}]
    role_binding = manifests.get("RoleBinding", "ingress-nginx-admission")
    assert role_binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "ingress-nginx-admission",
    }
    assert role_binding["subjects"] == subject
    cluster_binding = manifests.get("ClusterRoleBinding", "ingress-nginx-admission")
    assert cluster_binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "ingress-nginx-admission",
    }
    assert cluster_binding["subjects"] == subject


def test_defaults_have_no_job_network_policy_nor_cert_manager(render: Render) -> None:
    manifests = render()
    assert manifests.find("NetworkPolicy", "ingress-nginx-admission") is None
    assert manifests.of_kind("Certificate") == []
    assert manifests.of_kind("Issuer") == []


def test_names_follow_release_and_namespace(render: Render) -> None:
    manifests = render(release="edge", namespace="web")
    config = manifests.get("ValidatingWebhookConfiguration", "edge-ingress-nginx-admission")
    assert config["webhooks"][0]["clientConfig"]["service"]["name"] == "edge-ingress-nginx-controller-admission"
    assert config["webhooks"][0]["clientConfig"]["service"]["namespace"] == "web"
    create = manifests.get("Job", "edge-ingress-nginx-admission-create")
    assert create["metadata"]["namespace"] == "web"
    assert "--secret-name=edge-ingress-nginx-admission" in container(create, "create")["args"]
    patch = manifests.get("Job", "edge-ingress-nginx-admission-patch")
    assert "--webhook-name=edge-ingress-nginx-admission" in container(patch, "patch")["args"]
    assert manifests.get("RoleBinding", "edge-ingress-nginx-admission")["subjects"][0]["namespace"] == "web"


def test_namespace_override_moves_jobs_and_service_reference(render: Render) -> None:
    manifests = render({"namespaceOverride": "elsewhere"})
    config = manifests.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert config["webhooks"][0]["clientConfig"]["service"]["namespace"] == "elsewhere"
    for name in JOBS:
        assert manifests.get("Job", name)["metadata"]["namespace"] == "elsewhere"
    assert manifests.get("Role", "ingress-nginx-admission")["metadata"]["namespace"] == "elsewhere"
    assert manifests.get("ClusterRoleBinding", "ingress-nginx-admission")["subjects"][0]["namespace"] == "elsewhere"


def test_admission_name_renames_objects_and_the_mounted_secret(render: Render) -> None:
    manifests = render(webhooks({"name": "guard"}))
    manifests.get("ValidatingWebhookConfiguration", "ingress-nginx-guard")
    create = manifests.get("Job", "ingress-nginx-guard-create")
    patch = manifests.get("Job", "ingress-nginx-guard-patch")
    assert pod_spec(create)["serviceAccountName"] == "ingress-nginx-guard"
    assert "--webhook-name=ingress-nginx-guard" in container(patch, "patch")["args"]
    # Upstream names the Secret <fullname>-<name> in the Jobs and the controller's mount alike.
    assert "--secret-name=ingress-nginx-guard" in container(create, "create")["args"]
    assert "--secret-name=ingress-nginx-guard" in container(patch, "patch")["args"]
    volumes = pod_spec(manifests.controller())["volumes"]
    assert {"name": "webhook-cert", "secret": {"secretName": "ingress-nginx-guard"}} in volumes


# Switches


def test_webhook_disabled_renders_nothing_of_it(render: Render) -> None:
    manifests = render(webhooks({"enabled": False}))
    assert manifests.of_kind("ValidatingWebhookConfiguration") == []
    assert manifests.of_kind("Job") == []
    assert [
        obj for obj in manifests.objects
        if obj["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "admission-webhook"
    ] == []


def test_patch_disabled_keeps_webhook_without_certgen(render: Render) -> None:
    manifests = render(webhooks({"patch": {"enabled": False}}))
    manifests.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert manifests.of_kind("Job") == []
    for kind, name in CERTGEN_RBAC:
        assert manifests.find(kind, name) is None, kind


def test_rbac_create_false_keeps_jobs_and_service_account(render: Render) -> None:
    manifests = render(webhooks({"patch": {"rbac": {"create": False}}}))
    for name in JOBS:
        manifests.get("Job", name)
    manifests.get("ServiceAccount", "ingress-nginx-admission")
    for kind in ("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"):
        assert manifests.find(kind, "ingress-nginx-admission") is None, kind


def test_existing_service_account(render: Render) -> None:
    manifests = render(webhooks({"patch": {"serviceAccount": {
        "create": False, "name": "certgen", "automountServiceAccountToken": False,
    }}}))
    assert manifests.find("ServiceAccount", "ingress-nginx-admission") is None
    assert manifests.find("ServiceAccount", "certgen") is None
    for name in JOBS:
        spec = pod_spec(manifests.get("Job", name))
        assert spec["serviceAccountName"] == "certgen"
        assert spec["automountServiceAccountToken"] is False
    assert manifests.get("RoleBinding", "ingress-nginx-admission")["subjects"][0]["name"] == "certgen"
    assert manifests.get("ClusterRoleBinding", "ingress-nginx-admission")["subjects"][0]["name"] == "certgen"


def test_named_service_account_is_created_under_that_name(render: Render) -> None:
    manifests = render(webhooks({"patch": {"serviceAccount": {"name": "certgen"}}}))
    account = manifests.get("ServiceAccount", "certgen")
    assert account["metadata"]["annotations"]["helm.sh/hook"] == ALL_EVENTS
    assert pod_spec(manifests.get("Job", "ingress-nginx-admission-create"))["serviceAccountName"] == "certgen"


WEBHOOK_SWITCHES: dict[str, Any] = {
    "failurePolicy": "Ignore",
    "timeoutSeconds": 12,
    "annotations": {"example.com/owner": "platform"},
    "labels": {"team": "edge"},
    "namespaceSelector": {"matchLabels": {"ingress": "checked"}},
    "objectSelector": {"matchExpressions": [{"key": "skip", "operator": "DoesNotExist"}]},
    "service": {"servicePort": 8443},
}


def test_webhook_configuration_switches(render: Render) -> None:
    manifests = render(webhooks(WEBHOOK_SWITCHES))
    config = manifests.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert config["metadata"]["annotations"] == {"example.com/owner": "platform"}
    assert config["metadata"]["labels"]["team"] == "edge"
    [hook] = config["webhooks"]
    assert hook["failurePolicy"] == "Ignore"
    assert hook["timeoutSeconds"] == 12
    assert hook["namespaceSelector"] == {"matchLabels": {"ingress": "checked"}}
    assert hook["objectSelector"] == {"matchExpressions": [{"key": "skip", "operator": "DoesNotExist"}]}
    assert hook["clientConfig"]["service"]["port"] == 8443
    patch = manifests.get("Job", "ingress-nginx-admission-patch")
    assert "--patch-failure-policy=Ignore" in container(patch, "patch")["args"]


def test_timeout_zero_is_omitted(render: Render) -> None:
    config = render(webhooks({"timeoutSeconds": 0})).get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert "timeoutSeconds" not in config["webhooks"][0]


JOB_SWITCHES: dict[str, Any] = {
    "extraEnvs": [{"name": "HTTPS_PROXY", "value": "http://proxy:3128"}],
    "createSecretJob": {
        "name": "make",
        "activeDeadlineSeconds": 120,
        "securityContext": {"runAsUser": 1234, "seccompProfile": None},
        "resources": {"requests": {"cpu": "5m"}},
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
        "volumes": [{"name": "tmp", "emptyDir": {}}],
    },
    "patchWebhookJob": {
        "name": "apply",
        "activeDeadlineSeconds": 60,
        "resources": {"limits": {"memory": "32Mi"}},
    },
    "patch": {
        "image": {"registry": "mirror.example", "image": "tools/certgen", "tag": "v9", "digest": "",
                  "pullPolicy": "Always"},
        "podAnnotations": {"sidecar.istio.io/inject": "false"},
        "labels": {"cost-center": "ops"},
        "priorityClassName": "system-cluster-critical",
        "runtimeClassName": "gvisor",
        "nodeSelector": {"pool": "system"},
        "tolerations": [{"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}],
        "securityContext": {"fsGroup": 2000},
        "networkPolicy": {"enabled": True},
    },
}


def test_job_switches(render: Render) -> None:
    manifests = render({"imagePullSecrets": [{"name": "pull"}], **webhooks(JOB_SWITCHES)})
    create = manifests.get("Job", "ingress-nginx-admission-make")
    patch = manifests.get("Job", "ingress-nginx-admission-apply")
    assert create["spec"]["activeDeadlineSeconds"] == 120
    assert patch["spec"]["activeDeadlineSeconds"] == 60
    for job, name in ((create, "create"), (patch, "patch")):
        item = container(job, name)
        assert item["image"] == "mirror.example/tools/certgen:v9"
        assert item["imagePullPolicy"] == "Always"
        assert env_names(item) == ["POD_NAMESPACE", "HTTPS_PROXY"]
        template = job["spec"]["template"]
        assert template["metadata"]["annotations"] == {"sidecar.istio.io/inject": "false"}
        assert template["metadata"]["labels"]["cost-center"] == "ops"
        assert job["metadata"]["labels"]["cost-center"] == "ops"
        spec = template["spec"]
        assert spec["priorityClassName"] == "system-cluster-critical"
        assert spec["runtimeClassName"] == "gvisor"
        assert spec["nodeSelector"] == {"kubernetes.io/os": "linux", "pool": "system"}
        assert spec["tolerations"] == [{"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}]
        assert spec["securityContext"] == {"fsGroup": 2000}
        assert spec["imagePullSecrets"] == [{"name": "pull"}]
    make = container(create, "create")
    # Helm merges the map into the default one; null drops a default key.
    assert make["securityContext"]["runAsUser"] == 1234
    assert make["securityContext"]["runAsGroup"] == 65532
    assert "seccompProfile" not in make["securityContext"]
    assert make["resources"] == {"requests": {"cpu": "5m"}}
    assert make["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]
    assert pod_spec(create)["volumes"] == [{"name": "tmp", "emptyDir": {}}]
    apply = container(patch, "patch")
    assert apply["resources"] == {"limits": {"memory": "32Mi"}}
    assert "volumeMounts" not in apply
    assert "volumes" not in pod_spec(patch)
    assert manifests.get("ServiceAccount", "ingress-nginx-admission")["metadata"]["labels"]["cost-center"] == "ops"


def test_job_network_policy(render: Render) -> None:
    manifests = render(webhooks(JOB_SWITCHES))
    policy = manifests.get("NetworkPolicy", "ingress-nginx-admission")
    assert policy["metadata"]["annotations"] == {
        "helm.sh/hook": ALL_EVENTS, "helm.sh/hook-delete-policy": DELETE_POLICY,
    }
    assert policy["spec"]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "ingress-nginx",
        "app.kubernetes.io/instance": "ingress-nginx",
        "app.kubernetes.io/component": "admission-webhook",
    }
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in policy["spec"]
    # Safer than upstream (differences.yaml): egress only to the API server's ports.
    assert policy["spec"]["egress"] == [{"ports": [{"protocol": "TCP", "port": 443}, {"protocol": "TCP", "port": 6443}]}]
    pod_labels = manifests.get("Job", "ingress-nginx-admission-make")["spec"]["template"]["metadata"]["labels"]
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= pod_labels.items()


def test_job_network_policy_needs_the_jobs(render: Render) -> None:
    manifests = render(webhooks({"patch": {"enabled": False, "networkPolicy": {"enabled": True}}}))
    assert manifests.find("NetworkPolicy", "ingress-nginx-admission") is None


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ({"repository": "quay.io/own/certgen", "tag": "v2", "digest": None}, "quay.io/own/certgen:v2"),
        ({"image": "own/certgen", "tag": "v2", "digest": "sha256:abc"}, "global.example/own/certgen:v2@sha256:abc"),
    ],
    ids=["repository", "global-registry"],
)
def test_job_image_reference(render: Render, image: dict[str, Any], expected: str) -> None:
    manifests = render({"global": {"image": {"registry": "global.example"}}, **webhooks({"patch": {"image": image}})})
    assert container(manifests.get("Job", "ingress-nginx-admission-create"), "create")["image"] == expected


def test_null_values_do_not_crash(render: Render) -> None:
    manifests = render(webhooks({
        "timeoutSeconds": None,
        "createSecretJob": {"activeDeadlineSeconds": None, "resources": None, "volumes": None},
        "patch": {"nodeSelector": None, "image": {"digest": None}},
    }))
    create = manifests.get("Job", "ingress-nginx-admission-create")
    assert "activeDeadlineSeconds" not in create["spec"]
    assert "nodeSelector" not in pod_spec(create)
    assert "@" not in container(create, "create")["image"]


# The seed values file


def test_seed_file_certgen_jobs(render: Render) -> None:
    manifests = render(yaml.safe_load(SEED.read_text()))
    small = {"limits": {"cpu": "10m", "memory": "20Mi"}, "requests": {"cpu": "10m", "memory": "20Mi"}}
    for name, container_name in zip(JOBS, ("create", "patch")):
        item = container(manifests.get("Job", name), container_name)
        assert item["resources"] == small
        assert item["image"] == "registry.cn-hangzhou.aliyuncs.com/xxk8s/kube-webhook-certgen:v20220916-gd32f8c343"
    manifests.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    for kind, name in CERTGEN_RBAC:
        manifests.get(kind, name)


# Helm 4


def test_helm4_renders_the_same_certgen_objects(render: Render) -> None:
    helm3 = render()
    helm4 = render(helm="helm4")
    for kind, name in (("ValidatingWebhookConfiguration", "ingress-nginx-admission"), *CERTGEN_RBAC):
        assert helm4.get(kind, name) == helm3.get(kind, name), kind
    for name in JOBS:
        assert helm4.get("Job", name) == helm3.get("Job", name), name
