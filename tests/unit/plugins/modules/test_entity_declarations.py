"""Every module's entity supplies the aspects the ensure runner calls, so none fails at its first call."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from ansible_collections.oco.oco.plugins import modules
from ansible_collections.oco.oco.plugins.module_utils.ensure import Entity, Runner
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError, OcoInvalidRequestError
from ansible_collections.oco.oco.plugins.modules.oco_installation import Installation
from ansible_collections.oco.oco.plugins.modules.oco_job import Job


def entity_classes():
    for info in pkgutil.iter_modules(modules.__path__):
        module = importlib.import_module("%s.%s" % (modules.__name__, info.name))
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Entity) and value is not Entity:
                yield value


ENTITY_CLASSES = sorted(set(entity_classes()), key=lambda cls: cls.__name__)


def test_the_modules_entity_classes_are_all_found():
    assert {"Installation", "Job", "JobContainer", "Package"} <= {cls.__name__ for cls in ENTITY_CLASSES}


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda cls: cls.__name__)
def test_module_entity_supplies_every_aspect(cls):
    # __new__ alone runs the declaration check without the module's constructor arguments.
    assert isinstance(cls.__new__(cls), cls)


class FakeModule:
    check_mode = False

    def __init__(self):
        self.partial_result = {}


class RefusingClient:
    def call(self, method, data=None):
        raise OcoInvalidRequestError("OCO request %s: refused" % method, method=method, server_message="refused")


@pytest.mark.parametrize("entity, obj, named", [
    (Job(RefusingClient(), 5), {"id": 5}, "job 5"),
    (Installation(RefusingClient()), {"id": 9, "package_id": 2, "computer_id": 3},
     r"installation 9 \(package id 2 on computer id 3\)"),
], ids=["job", "installation"])
def test_a_refused_remove_fails_naming_the_object(entity, obj, named):
    # Neither module has a force option, so the message does not offer one.
    with pytest.raises(OcoError, match="^cannot remove %s: refused$" % named):
        Runner(FakeModule(), entity).remove_once(obj)


def test_a_refused_remove_offers_force_where_the_module_has_it():
    module = FakeModule()
    module.params = {"force": False}
    with pytest.raises(OcoError, match="^cannot remove job 5: refused; set force: true to remove it anyway$"):
        Runner(module, Job(RefusingClient(), 5)).remove_once({"id": 5})
