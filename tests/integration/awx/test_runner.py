"""Run the collection the way AWX / AAP runs it: ansible-runner with a private data dir, the
credential of the type in extensions/awx/ rendered into env/envvars and nothing else.

(a) the inventory source (``plugin: oco.oco.oco``) through ansible_runner.get_inventory, as an
AWX inventory update does; (b) a job template's playbook with the deploy role through
ansible_runner.run, against the test server with its simulated agents.
"""

from __future__ import annotations

import json
import os
import sys

import ansible_runner
import jinja2.sandbox
import pytest
import yaml

import oco_helpers
from awx_jobs import run_job_template
from oco_test_server import OcoTestServer

CREDENTIAL_TYPE = oco_helpers.REPO_ROOT / "extensions" / "awx" / "oco_credential_type.yml"
DEPLOY_PLAYBOOK = {
    "name": "Roll out a package (AWX job template)",
    "hosts": "localhost",
    "gather_facts": False,
    "connection": "local",
    "roles": [{"role": "oco.oco.deploy", "vars": {
        "oco_deploy_package": {"family": "Agent tools", "version": "2.0", "install_procedure": "setup.exe /S"},
        "oco_deploy_computer_groups": ["Office"],
        "oco_deploy_poll_interval": 0.2,
    }}],
}


def render_credential(inputs, file_dir):
    """The injectors of the credential type, rendered as AWX does (sandboxed Jinja, strict).

    File templates are written into ``file_dir`` and named as ``tower.filename.<id>``, as AWX
    does with its private files; the env injector is returned.
    """
    credential_type = yaml.safe_load(CREDENTIAL_TYPE.read_text(encoding="utf-8"))
    fields = credential_type["inputs"]["fields"]
    missing = [name for name in credential_type["inputs"]["required"] if not inputs.get(name)]
    assert not missing, f"required inputs missing: {missing}"
    namespace = {field["id"]: inputs.get(field["id"], field.get("default", "")) for field in fields}
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    filenames = {}
    for key, template in credential_type["injectors"].get("file", {}).items():
        file_id = key.split(".", 1)[1]
        path = os.path.join(file_dir, "credential-" + file_id)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(env.from_string(template).render(**namespace))
        filenames[file_id] = path
    namespace["tower"] = {"filename": filenames}
    return {name: env.from_string(template).render(**namespace)
            for name, template in credential_type["injectors"]["env"].items()}


@pytest.fixture
def awx_env(monkeypatch):
    """The execution environment's settings: this collection, this Python, no OCO_* from outside."""
    for name in oco_helpers.outside_settings():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", str(oco_helpers.collections_root()))
    monkeypatch.setenv("ANSIBLE_PYTHON_INTERPRETER", sys.executable)
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    # AWX inventory updates fail on a source that does not parse instead of returning nothing.
    monkeypatch.setenv("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true")


@pytest.fixture
def office(oco_server):
    admin = oco_server.admin
    group = admin.create_computer_group("Office")
    for host in ("pc1", "pc2"):
        admin.add_computer_to_group(admin.create_computer(host, os="Windows 11"), group)
    admin.create_computer("lab1")
    return group


def private_data_dir(tmp_path, server, password="oco-admin-pw", **extra_inputs):
    """project/, inventory/ and env/envvars holding only the rendered credential."""
    pdd = tmp_path / "pdd"
    (pdd / "env").mkdir(parents=True)
    (pdd / "project").mkdir()
    (pdd / "inventory").mkdir()
    inputs = dict(url=server.url, username="admin", password=password, **extra_inputs)
    (pdd / "env" / "envvars").write_text(yaml.safe_dump(render_credential(inputs, str(tmp_path))), encoding="utf-8")
    (pdd / "inventory" / "oco.yml").write_text("plugin: oco.oco.oco\n", encoding="utf-8")
    (pdd / "project" / "deploy.yml").write_text(yaml.safe_dump([DEPLOY_PLAYBOOK], sort_keys=False), encoding="utf-8")
    return pdd


def test_credential_type_injects_every_connection_variable(tmp_path, oco_server):
    env = render_credential({"url": "https://oco.example.com", "username": "ansible", "password": "s3cret"}, str(tmp_path))
    assert env == {"OCO_URL": "https://oco.example.com", "OCO_USERNAME": "ansible", "OCO_PASSWORD": "s3cret",
                   "OCO_API_KEY": "", "OCO_VALIDATE_CERTS": "True", "OCO_CA_PATH": ""}
    secret_fields = {f["id"] for f in yaml.safe_load(CREDENTIAL_TYPE.read_text())["inputs"]["fields"] if f.get("secret")}
    assert secret_fields == {"password", "api_key"}


def test_inventory_source_through_ansible_runner(tmp_path, oco_server, office, awx_env):
    pdd = private_data_dir(tmp_path, oco_server)
    out, err = ansible_runner.get_inventory(action="list", inventories=[str(pdd / "inventory" / "oco.yml")],
                                            response_format="json", private_data_dir=str(pdd), quiet=True)
    assert not err or "ERROR" not in str(err), err
    inventory = oco_helpers.unwrap_unsafe(out if isinstance(out, dict) else json.loads(out))
    hosts = set(inventory["_meta"]["hostvars"])
    assert hosts == {"pc1", "pc2", "lab1"}
    assert set(inventory["oco_office"]["hosts"]) == {"pc1", "pc2"}
    assert "oco-admin-pw" not in json.dumps(inventory)


def test_inventory_source_fails_with_a_wrong_password(tmp_path, oco_server, office, awx_env):
    pdd = private_data_dir(tmp_path, oco_server, password="wrong")
    out, err = ansible_runner.get_inventory(action="list", inventories=[str(pdd / "inventory" / "oco.yml")],
                                            response_format="json", private_data_dir=str(pdd), quiet=True)
    assert not out or not (isinstance(out, dict) and out.get("_meta", {}).get("hostvars"))
    assert "401" in str(err) or "user name or password" in str(err).lower() or "authentication" in str(err).lower(), err
    assert "wrong" not in str(err).replace("wrong password", "")


def runner_events(result, event):
    return [e["event_data"] for e in result.events if e.get("event") == event]


def test_job_template_with_the_deploy_role(tmp_path, oco_server, office, awx_env):
    oco_server.admin.agent_clock(every=1)
    pdd = private_data_dir(tmp_path, oco_server)
    result = run_job_template(pdd, "deploy.yml")
    stdout = result.stdout
    assert result.status == "successful" and result.rc == 0, stdout
    facts = [e["res"]["ansible_facts"]["oco_deploy_result"] for e in runner_events(result, "runner_on_ok")
             if "oco_deploy_result" in e.get("res", {}).get("ansible_facts", {})]
    assert facts and facts[-1]["succeeded"] == ["pc1", "pc2"] and facts[-1]["status"] == "succeeded"
    assert "Succeeded (2): pc1, pc2" in stdout
    assert "oco-admin-pw" not in stdout
    assert "oco-admin-pw" not in json.dumps([e.get("event_data") for e in result.events], default=str)
    # a second launch of the job template changes nothing
    again = run_job_template(pdd, "deploy.yml")
    assert again.status == "successful"
    assert again.stats["changed"] == {}


def test_job_template_fails_when_a_job_fails(tmp_path, oco_server, office, awx_env):
    oco_server.admin.agent_clock(every=1, fail_hostnames=["pc2"])
    pdd = private_data_dir(tmp_path, oco_server)
    result = run_job_template(pdd, "deploy.yml")
    stdout = result.stdout
    assert result.status == "failed" and result.rc != 0, stdout
    failed = runner_events(result, "runner_on_failed")
    assert [e["task"] for e in failed] == ["Fail when a job failed"]
    assert "pc2 (Agent tools 2.0: failed" in failed[0]["res"]["msg"]


def test_ca_certificate_input_reaches_the_inventory_source(tmp_path, awx_env):
    """An HTTPS server with a private CA: the credential's CA input is the only trust given."""
    with OcoTestServer(db=":memory:", https=True) as server:
        group = server.admin.create_computer_group("Office")
        server.admin.add_computer_to_group(server.admin.create_computer("pc1"), group)
        ca_pem = open(server.ca_path, encoding="utf-8").read()
        for label, extra in (("with the CA", {"ca_cert": ca_pem}), ("without it", {})):
            pdd = private_data_dir(tmp_path / label.replace(" ", "_"), server, **extra)
            inventory_file = str(pdd / "inventory" / "oco.yml")
            out, err = ansible_runner.get_inventory(action="list", inventories=[inventory_file], response_format="json",
                                                    private_data_dir=str(pdd), quiet=True)
            if extra:
                inventory = oco_helpers.unwrap_unsafe(out if isinstance(out, dict) else json.loads(out))
                assert set(inventory["_meta"]["hostvars"]) == {"pc1"}, (label, err)
            else:
                assert "certificate" in str(err).lower(), (label, err)
