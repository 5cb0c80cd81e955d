"""Numbers the administrator sets: the delivery charge rule and the marketplace's commission."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import MarketplaceSetting
from odop_bazaar.money import parse_rupees
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.workflow import record

# name: (default, highest allowed). Commission is in basis points: 250 is 2.5 %.
SETTINGS = {
    "delivery_charge_paise": (6000, 10**9),
    "free_delivery_from_paise": (99900, 10**11),
    "commission_bps": (0, 10000),
}


def current(*names: str) -> dict[str, int]:
    """The settings asked for (all when none are named), with defaults for those never set."""
    names = names or tuple(SETTINGS)
    stored = dict(db.session.execute(select(MarketplaceSetting.name, MarketplaceSetting.value)
                                     .where(MarketplaceSetting.name.in_(names))).all())
    return {name: stored.get(name, SETTINGS[name][0]) for name in names}


def read_typed(*, charge: str, free_from: str, commission: str) -> dict[str, int]:
    """The settings as an administrator types them (rupees, and a percentage for commission),
    as the numbers save() takes: paise and basis points.

    Raises:
        FieldErrors: by the names above, every answer that is not an amount or a percentage
            (an amount is at most Rs 1 crore, within every setting's limit).
    """
    values, errors = {}, {}
    for name, setting, text, read in (
            ("charge", "delivery_charge_paise", charge, _rupees_or_zero),
            ("free_from", "free_delivery_from_paise", free_from, _rupees_or_zero),
            ("commission", "commission_bps", commission, _percent_as_basis_points)):
        try:
            values[setting] = read(text)
        except InvalidIdentifier as error:
            errors[name] = error
    if errors:
        raise FieldErrors(errors)
    return values


def _rupees_or_zero(text) -> int:
    """An amount in rupees where 0 is allowed (free delivery; never free)."""
    if re.fullmatch(r"\s*0+(\.0{1,2})?\s*", text or ""):
        return 0
    return parse_rupees(text or "")


def _percent_as_basis_points(text) -> int:
    """'2.5' (per cent) as 250 basis points; up to two decimals, 0 to 100."""
    text = (text or "").strip().removesuffix("%").strip()
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,2})?", text) or float(text) > 100:
        raise InvalidIdentifier(_l("Enter the commission as a percentage from 0 to 100, "
                                   "like 2.5."))
    whole, _dot, fraction = text.partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


def save(values: dict[str, int], actor: User) -> None:
    """Save settings; each change audited. Commits once.

    Raises:
        FieldErrors: an unknown name, or a value below zero or above its limit.
    """
    for name, value in values.items():
        if name not in SETTINGS or not 0 <= value <= SETTINGS[name][1]:
            raise FieldErrors({name: _l("Enter a number within the allowed range.")})
    for name, value in values.items():
        setting = db.session.get(MarketplaceSetting, name)
        old = setting.value if setting else SETTINGS[name][0]
        if old == value:
            continue
        if setting is None:
            setting = MarketplaceSetting(name=name, value=value)
            db.session.add(setting)
        setting.value, setting.updated_by_id = value, actor.id
        db.session.flush()
        record(actor_id=actor.id, object_type="setting", object_id=0, action=name,
               from_status=str(old), to_status=str(value))
    db.session.commit()
