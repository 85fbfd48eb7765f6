"""Contracts as code: YAML (`apiVersion: mittari/v1`, `kind: Contract`) → engine policies.

    load_contract(path)     all versions in one file, sorted by effective_from
    load_contracts(paths)   versions per customer from files and folders
    load_contract_texts(t)  the same for (name, text) pairs, e.g. stored contract files
    check_contract(path)    every problem of one file, each with its line (empty = valid)

Layers: `yamllines` reads documents with the line of every field; `models` validates
them as written (pydantic); `resolve` applies defaults and returns the frozen
`ContractPolicy` objects of `mittari.engine.types`. The format is documented field by
field in examples/contracts/README.md.
"""

from mittari.spec.calendars import build_calendar
from mittari.spec.durations import DurationError, parse_duration
from mittari.spec.load import check_contract, load_contract, load_contract_texts, load_contracts
from mittari.spec.models import ContractModel

__all__ = [
    "ContractModel",
    "DurationError",
    "build_calendar",
    "check_contract",
    "load_contract",
    "load_contract_texts",
    "load_contracts",
    "parse_duration",
]
