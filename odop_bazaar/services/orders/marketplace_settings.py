"""Numbers the administrator sets: the delivery charge rule and the marketplace's commission."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import MarketplaceSetting
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
