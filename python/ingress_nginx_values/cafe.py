"""The cafe example: host cafe.example.com, /coffee and /tea routed to two Services.

Used by `make demo`, `make bench` and the e2e tests on the real node. Both
backends are the test backend image (agnhost netexec's reference), which names
the pod that answered, so a routed request shows where it went.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import requests
from kubernetes import client

from .cluster.images import image_by_name

HOST = "cafe.example.com"
# Service name -> replicas.
BACKENDS = {"coffee": 2, "tea": 1}


@dataclass(frozen=True)
class Answer:
    request: str
    status: int
    body: str

    def line(self) -> str:
        first = self.body.strip().splitlines()[0] if self.body.strip() else "(empty body)"
        return f"{self.request} -> {self.status}: {first}"


def deploy(api: client.ApiClient, namespace: str = "default", ingress_class: str = "nginx") -> None:
    apps, core = client.AppsV1Api(api), client.CoreV1Api(api)
    paths = []
    for name, replicas in BACKENDS.items():
        labels = {"app": name}
        container = client.V1Container(
            name=name, image=image_by_name("netexec").reference, args=["netexec", "--http-port=8080"],
            ports=[client.V1ContainerPort(container_port=8080, name="http")],
            readiness_probe=client.V1Probe(http_get=client.V1HTTPGetAction(path="/healthz", port=8080),
                                           period_seconds=1),
        )
        apps.create_namespaced_deployment(namespace, client.V1Deployment(
            metadata=client.V1ObjectMeta(name=name),
            spec=client.V1DeploymentSpec(
                replicas=replicas, selector=client.V1LabelSelector(match_labels=labels),
                template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels=labels),
                                                  spec=client.V1PodSpec(containers=[container]))),
        ))
        core.create_namespaced_service(namespace, client.V1Service(
            metadata=client.V1ObjectMeta(name=name),
            spec=client.V1ServiceSpec(selector=labels,
                                      ports=[client.V1ServicePort(name="http", port=80, target_port="http")]),
        ))
        paths.append(client.V1HTTPIngressPath(path=f"/{name}", path_type="Prefix", backend=client.V1IngressBackend(
            service=client.V1IngressServiceBackend(name=name, port=client.V1ServiceBackendPort(name="http")))))
    ingress = client.V1Ingress(
        metadata=client.V1ObjectMeta(name="cafe"),
        spec=client.V1IngressSpec(ingress_class_name=ingress_class, rules=[
            client.V1IngressRule(host=HOST, http=client.V1HTTPIngressRuleValue(paths=paths))]),
    )
    # The admission webhook answers only once the controller has loaded its certificate.
    deadline = time.monotonic() + 120
    while True:
        try:
            client.NetworkingV1Api(api).create_namespaced_ingress(namespace, ingress)
            return
        except client.exceptions.ApiException:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def get(address: str, path: str, host: str = HOST, port: int = 80) -> Answer:
    response = requests.get(f"http://{address}:{port}{path}", headers={"Host": host}, timeout=5)
    return Answer(f"GET http://{host}{path}", response.status_code, response.text)


def wait_routed(address: str, paths: tuple[str, ...] = ("/coffee", "/tea"), timeout: float = 120.0) -> Answer:
    """The first answer once every path gets 200 three times in a row.

    Right after a reload, nginx's old workers still answer for a moment with the
    configuration before the Ingress; three in a row rides that out.
    """
    deadline = time.monotonic() + timeout
    last: Answer | str = "no answer"
    streak: list[Answer] = []
    while time.monotonic() < deadline:
        try:
            answers = [get(address, path) for path in paths]
            last = next((a for a in answers if a.status != 200), answers[0])
            streak = streak + answers if all(a.status == 200 for a in answers) else []
            if len(streak) >= 3 * len(paths):
                return streak[0]
        except requests.RequestException as error:
            last, streak = str(error), []
        time.sleep(0.2)
    raise TimeoutError(f"{', '.join(paths)} of {HOST} at {address} were not routed within {timeout:.0f} s; last: {last}")
