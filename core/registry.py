"""Finds each installed app's `reference` and `demo` modules, so that later apps add
their own data without touching the commands."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def app_modules(name: str):
    found = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{name}"
        if find_spec(dotted) is not None:
            module = import_module(dotted)
            found.append((getattr(module, "ORDER", 100), config.name, module))
    return [m for _, _, m in sorted(found, key=lambda t: (t[0], t[1]))]
