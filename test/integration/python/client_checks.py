"""Drives k8ts with Debian's python3-kubernetes the way a Python operator would, and prints what it saw
as one JSON object on stdout; python-client.int.test.ts asserts on it.

Usage: client_checks.py KUBECONFIG NAMESPACE
"""
import json
import sys
import threading

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

LABELS = {"app": "py-client"}


def api_error(call):
    """Runs call, which must fail, and returns the status code and the Status body's reason."""
    try:
        call()
    except ApiException as e:
        body = json.loads(e.body or "{}")
        return {"status": e.status, "reason": body.get("reason"), "kind": body.get("kind"), "message": body.get("message")}
    raise AssertionError("the call succeeded")


def config_map(name, data):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=LABELS), data=data)


def main(kubeconfig, ns):
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    apps = client.AppsV1Api()
    out = {}

    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))

    # ConfigMap CRUD: every call returns a typed model built from our JSON.
    created = core.create_namespaced_config_map(ns, config_map("cm", {"a": "1"}))
    read = core.read_namespaced_config_map("cm", ns)
    read_data = dict(read.data)
    read.data["a"] = "2"
    replaced = core.replace_namespaced_config_map("cm", ns, read)
    # A dict body goes out as a strategic merge patch.
    patched = core.patch_namespaced_config_map("cm", ns, {"data": {"b": "3"}})
    core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="unlabelled")))
    listed = core.list_namespaced_config_map(ns, label_selector="app=py-client")
    out["configMap"] = {
        "createdUid": bool(created.metadata.uid),
        "createdRv": created.metadata.resource_version,
        "createdTimestamp": created.metadata.creation_timestamp.isoformat(),
        "readData": read_data,
        "replacedData": replaced.data,
        "replacedRv": replaced.metadata.resource_version,
        "patchedData": patched.data,
        "listKind": listed.kind,
        "listApiVersion": listed.api_version,
        "listRv": bool(listed.metadata.resource_version),
        "listNames": sorted(i.metadata.name for i in listed.items),
        # An empty list still carries items: [] (the model rejects a missing one).
        "emptyListItems": core.list_namespaced_config_map(ns, label_selector="app=none").items,
        "conflict": api_error(lambda: core.create_namespaced_config_map(ns, config_map("cm", {}))),
    }
    deleted = core.delete_namespaced_config_map("cm", ns)
    out["configMap"]["deleteStatus"] = deleted.status
    out["configMap"]["notFound"] = api_error(lambda: core.read_namespaced_config_map("cm", ns))

    # A Deployment comes back with the defaults the server filled in.
    deployment = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1DeploymentSpec(
            selector=client.V1LabelSelector(match_labels={"app": "web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "web"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx")]),
            ),
        ),
    )
    apps.create_namespaced_deployment(ns, deployment)
    d = apps.read_namespaced_deployment("web", ns)
    c = d.spec.template.spec.containers[0]
    out["deployment"] = {
        "replicas": d.spec.replicas,
        "strategyType": d.spec.strategy.type,
        "maxSurge": d.spec.strategy.rolling_update.max_surge,
        "maxUnavailable": d.spec.strategy.rolling_update.max_unavailable,
        "revisionHistoryLimit": d.spec.revision_history_limit,
        "progressDeadlineSeconds": d.spec.progress_deadline_seconds,
        "restartPolicy": d.spec.template.spec.restart_policy,
        "dnsPolicy": d.spec.template.spec.dns_policy,
        "terminationMessagePolicy": c.termination_message_policy,
        "imagePullPolicy": c.image_pull_policy,
        "generation": d.metadata.generation,
    }
    scale = apps.patch_namespaced_deployment_scale("web", ns, {"spec": {"replicas": 3}})
    out["scale"] = {"kind": scale.kind, "replicas": scale.spec.replicas, "selector": scale.status.selector}

    # Watch from the list's resourceVersion while another thread writes: every change arrives in order.
    start = core.list_namespaced_config_map(ns, label_selector="app=py-client").metadata.resource_version

    def writes():
        core.create_namespaced_config_map(ns, config_map("watched", {"v": "1"}))
        core.patch_namespaced_config_map("watched", ns, {"data": {"v": "2"}})
        core.delete_namespaced_config_map("watched", ns)

    writer = threading.Thread(target=writes)
    writer.start()
    events = []
    w = watch.Watch()
    for e in w.stream(core.list_namespaced_config_map, ns, label_selector="app=py-client", resource_version=start, timeout_seconds=30):
        obj = e["object"]
        events.append({"type": e["type"], "name": obj.metadata.name, "data": obj.data, "rv": obj.metadata.resource_version})
        if e["type"] == "DELETED":
            w.stop()
    writer.join()
    # With timeout_seconds the client does not retry: the loop ends when the server ends the stream.
    quiet = list(watch.Watch().stream(core.list_namespaced_config_map, ns, label_selector="app=none", timeout_seconds=1))
    out["watch"] = {"start": start, "events": events, "quietEvents": len(quiet)}

    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
