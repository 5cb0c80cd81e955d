"""What an import of the ODOP list did, or would do: the counts, the rows it corrected or
rejected, and the text shown on the command line, in the staff console and in the audit log."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

# A list that would retire more than this share of the live products is probably partial.
MASS_RETIRE_SHARE = 0.5


@dataclass
class RowNote:
    line: int
    text: str


@dataclass
class ImportReport:
    source_name: str
    sha256: str
    states_added: int = 0
    districts_added: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    rejected: list[RowNote] = field(default_factory=list)
    corrected: list[RowNote] = field(default_factory=list)
    blank_rows: int = 0
    applied: bool = False
    changed_product_ids: set[int] = field(default_factory=set)  # their listings are reindexed
    live_after: int = 0  # products not retired once the list is applied

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.states_added
                    or self.districts_added)

    @property
    def live_before_retiring(self) -> int:
        return self.live_after + len(self.retired)

    @property
    def retires_most(self) -> bool:
        """Whether the list would retire more than MASS_RETIRE_SHARE of the products."""
        return bool(self.retired) and len(self.retired) > MASS_RETIRE_SHARE * self.live_before_retiring

    def summary(self) -> str:
        """The file and its counts in two lines, for the audit log and messages."""
        lines = self.lines()
        return "\n".join((lines[0], lines[2]))

    def lines(self) -> list[str]:
        """The report as text lines, for the command line and the staff console."""
        out = [
            _("ODOP list: %(name)s", name=self.source_name),
            _("States/UTs added: %(n)d, districts added: %(m)d",
              n=self.states_added, m=self.districts_added),
            _("Products added: %(added)d, changed: %(changed)d, left as they were: %(same)d, "
              "retired: %(retired)d, rejected rows: %(rejected)d, blank rows skipped: %(blank)d",
              added=len(self.added), changed=len(self.changed), same=self.unchanged,
              retired=len(self.retired), rejected=len(self.rejected), blank=self.blank_rows),
        ]
        out += ["  " + _("changed: %(what)s", what=text) for text in self.changed]
        out += ["  " + _("retired: %(what)s", what=text) for text in self.retired]
        out += ["  " + _("row %(line)d corrected: %(text)s", line=n.line, text=n.text)
                for n in self.corrected]
        out += ["  " + _("row %(line)d rejected: %(text)s", line=n.line, text=n.text)
                for n in self.rejected]
        return out
