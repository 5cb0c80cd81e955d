"""The onboarding checklist's sections, one module each, collected in checklist order.

A section module defines SECTION (a Section: its words, fields, documents, rules and the check
of its answers). Its form is in onboarding/forms.py, its page in
templates/onboarding/sections/<key>.html and what staff see in templates/staff/sections/<key>.html.
The checklist's order is SectionKey's, in models/checklist.py.
"""

import importlib
import pkgutil

from odop_bazaar.models.checklist import SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.sections.base import Section


def _collect() -> tuple[Section, ...]:
    found = {}
    for module in pkgutil.iter_modules(__path__):
        section = getattr(importlib.import_module(f"{__name__}.{module.name}"), "SECTION", None)
        if section is not None:
            found[section.key] = section
    missing = [key.value for key in SectionKey if key not in found]
    if missing:
        raise RuntimeError(f"No section module defines the section(s) {', '.join(missing)}")
    return tuple(found[key] for key in SectionKey)


SECTIONS: tuple[Section, ...] = _collect()
SPEC: dict[SectionKey, Section] = {section.key: section for section in SECTIONS}


def section_required(seller: Seller, key: SectionKey) -> bool:
    return SPEC[key].required(seller)
