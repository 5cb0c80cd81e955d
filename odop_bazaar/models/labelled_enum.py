"""The base of every enum whose members are shown to people: each member carries its label."""

import enum


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members are written `MEMBER = "stored value", _l("What people read")`.

    The value is what the database stores and forms post; `member.label` is the translatable
    text, so a status and its words are defined once, in one place.
    """

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member
