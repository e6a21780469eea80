"""The deployment files in deploy/: what they declare, checked offline without starting them.

The running deployment (supervisord, HAProxy, replicas, a replica killed) is proved in
tests/test_browser_replicas.py; here, the Kubernetes manifests against the API's schemas
(kubernetes-validate, strict) and the supervisor's config as supervisord reads it.
"""

from __future__ import annotations

import os
import subprocess

import kubernetes_validate
import pytest
import yaml

from tests.browser import haproxy_binary
from tests.conftest import ROOT

K8S = ROOT / "deploy" / "kubernetes"
K8S_VERSION = "1.30.0"


def manifests() -> dict[str, dict]:
    found = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            found[doc["kind"]] = doc
    return found


def test_every_kubernetes_manifest_is_valid_for_the_api_strictly():
    docs = manifests()
    assert set(docs) == {"Deployment", "Service", "Ingress"}
    for doc in docs.values():
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_a_manifest_with_a_mistake_is_rejected_by_the_same_check():
    # The check can fail: a misspelt field and a port given as a list are refused.
    broken = manifests()["Deployment"]
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)
    service = manifests()["Service"]
    service["spec"]["ports"][0]["port"] = ["80"]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(service, K8S_VERSION, strict=True)


def test_the_deployment_probes_health_shares_the_secret_and_the_ingress_is_sticky():
    docs = manifests()
    dep, svc, ing = docs["Deployment"], docs["Service"], docs["Ingress"]
    pod = dep["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}
    assert {"name": "http", "containerPort": 8501} in container["ports"]
    (env,) = [e for e in container["env"] if e["name"] == "STREAMLIT_SERVER_COOKIE_SECRET"]
    assert env["valueFrom"]["secretKeyRef"] == {
        "name": "atlas-cookie-secret",
        "key": "cookie-secret",
    }
    # The Service selects exactly the pods; the Ingress routes to the Service by its port name.
    assert svc["spec"]["selector"] == dep["spec"]["selector"]["matchLabels"]
    assert pod["metadata"]["labels"] == dep["spec"]["selector"]["matchLabels"]
    (rule,) = ing["spec"]["rules"]
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": svc["metadata"]["name"], "port": {"name": "http"}}
    notes = ing["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == "SERVERID"
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[f"nginx.ingress.kubernetes.io/{timeout}"]) >= 3600
    assert "_stcore.*(upload_file|metrics)" in notes["nginx.ingress.kubernetes.io/server-snippet"]


def test_the_supervisor_runs_n_replicas_on_consecutive_ports_and_restarts_them(
    monkeypatch, tmp_path
):
    from supervisor.datatypes import RestartUnconditionally
    from supervisor.options import ServerOptions

    env = {
        "ATLAS_ROOT": str(ROOT), "ATLAS_PYTHON": "/venv/bin/python", "ATLAS_REPLICAS": "3",
        "REPLICA_BASE_PORT": "9101", "ATLAS_HAPROXY": "/usr/sbin/haproxy",
        "ATLAS_HAPROXY_CFG": str(tmp_path / "haproxy.cfg"), "ATLAS_RUN_DIR": str(tmp_path),
    }  # fmt: skip
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    options = ServerOptions()
    options.realize(["-c", str(ROOT / "deploy" / "supervisord.conf")])
    groups = {g.name: g for g in options.process_group_configs}
    replicas = groups["replica"].process_configs
    assert [p.name for p in replicas] == ["replica-9101", "replica-9102", "replica-9103"]
    for p in replicas:
        port = p.name.split("-")[1]
        assert f"--server.port {port} --server.address 127.0.0.1" in p.command
        assert p.autorestart is RestartUnconditionally  # whatever way it exits
        assert p.stopasgroup and p.killasgroup
    (proxy,) = groups["haproxy"].process_configs
    assert proxy.command.endswith(f"-db -f {tmp_path / 'haproxy.cfg'}")
    assert proxy.autorestart is RestartUnconditionally
    assert proxy.priority > replicas[0].priority  # started after the replicas


@pytest.mark.slow
def test_haproxy_accepts_the_config_as_serve_replicas_writes_it(tmp_path):
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(
        (ROOT / "deploy" / "haproxy.cfg").read_text()
        + "    server r1 127.0.0.1:9101 check cookie r1\n"
    )
    done = subprocess.run(
        [haproxy_binary(), "-c", "-f", str(cfg)],
        capture_output=True, text=True, env={"ATLAS_PROXY_BIND": "127.0.0.1:9100"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_serve_replicas_says_why_haproxy_refused_and_leaves_no_folder_behind(tmp_path):
    # A step failing under `set -e` once the script has made its run folder (here HAProxy's
    # check of a port it cannot bind) used to leave the folder, and said nothing (`-c -q`).
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_RUN_DIR"}
    done = subprocess.run(
        [str(ROOT / "scripts" / "serve_replicas.sh"), "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**env, "PORT": "99999", "PROXY_BIND": "127.0.0.1", "TMPDIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "serve_replicas: HAProxy refuses its config" in done.stderr
    assert "check PORT and PROXY_BIND" in done.stderr
    assert "invalid port '99999'" in done.stderr  # HAProxy's own words, kept under ours
    assert list(tmp_path.iterdir()) == []  # mktemp made its folder here; the exit removed it
