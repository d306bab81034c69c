"""The input plugins, and which of them can have nothing to read among a scan's files (told by the names alone).

Why here: every scan imports this package (`reading`), and a scan of Terraform files alone (the pre-commit case)
then imports neither the device-config, CloudFormation nor plan plugin (`plugins.INPUT_GATES`). Each test answers
True only when that plugin's `xborder_collect` would return no unit for these files and change nothing else;
tests/perf/test_startup.py checks them against the plugins.
"""

from __future__ import annotations

from typing import Any

#: CloudFormation templates are looked for only in files with these endings (in any case)
TEMPLATE_ENDINGS = (".yaml", ".yml", ".json", ".template")
#: Never plans: Terraform sources and the formats other plugins read (in any case)
NOT_PLAN_ENDINGS = (".tf", ".tf.json", ".tofu", ".tofu.json", ".tfvars", ".tfvars.json", ".hcl", ".yaml", ".yml", ".md",
                    ".py", ".tfstate")
# Endings the device-config reader never opens (`detect.SKIP_EXTENSIONS`) and leaves to other inputs when a file is
# named (`netconf.plugin.OTHER_INPUTS`), unless a format of policies/unread_configs.yaml adds them (`unread`)
_NOT_DEVICE_CONFIG = frozenset({".tf", ".tofu", ".tfvars", ".hcl", ".json"})


def reads_no_template(files: list[str], ctx: Any = None) -> bool:
    """Whether no file can be a CloudFormation template (`cloudformation.plugin.xborder_collect`)."""
    return not any(rel.lower().endswith(TEMPLATE_ENDINGS) for rel in files)


def reads_no_plan(files: list[str], ctx: Any = None) -> bool:
    """Whether no file can be a plan (`plan.plugin.xborder_collect`)."""
    return all(rel.lower().endswith(NOT_PLAN_ENDINGS) for rel in files)


def reads_no_device_config(files: list[str], ctx: Any = None) -> bool:
    """Whether the device-config plugin passes over every file by its ending (`detect.skipped_by_name`, whose ending
    this is), named on the command line or not: then it reports nothing either."""
    endings = set()
    for rel in files:
        name = rel.rpartition("/")[2]
        i = name.rfind(".")
        ending = name[i:].lower() if 0 < i < len(name) - 1 else ""
        if ending not in _NOT_DEVICE_CONFIG:
            return False
        endings.add(ending)
    if not endings:
        return True
    from xborder.inputs.netconf import unread  # noqa: PLC0415 - policy data: the endings a format adds

    return not endings & unread.extra_extensions()
