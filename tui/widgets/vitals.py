"""Counts and the quorum gauge: present / summoned / base, the bar, what each door recorded, the
rule and its arithmetic."""

from collections.abc import Sequence
from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from session.doors import DoorCount
from session.doors import describe as describe_doors
from session.i18n import number, t
from session.quorum import QuorumVerdict, explain
from tui.widgets.redraw import show


class QuorumBar(Widget):
    """One line: those present as a filled bar, with a tick where a decision becomes possible."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "quorum-bar--filled",
        "quorum-bar--empty",
        "quorum-bar--mark",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._present = 0
        self._scale = 0
        self._mark: int | None = None

    def show(self, present: int, scale: int, mark: int | None) -> None:
        self._present, self._scale, self._mark = present, scale, mark
        self.refresh()

    def render(self) -> Text:
        width = max(self.size.width, 1)
        scale = max(self._scale, self._present, 1)
        filled = round(width * self._present / scale)
        mark = None
        if self._mark is not None:
            mark = min(width - 1, max(0, round(width * self._mark / scale) - 1))
        styles = {
            name: self.get_component_rich_style(f"quorum-bar--{name}")
            for name in ("filled", "empty", "mark")
        }
        bar = Text(no_wrap=True, overflow="crop")
        for i in range(width):
            if i == mark:
                bar.append("┃", styles["mark"])
            elif i < filled:
                bar.append("█", styles["filled"])
            else:
                bar.append("░", styles["empty"])
        return bar


class Vitals(Vertical):
    """Present, summoned and base; the gauge, green when decisions can pass, red with reasons."""

    def compose(self) -> ComposeResult:
        yield Static(t("tui.vitals.loading"), markup=False, id="counts")
        yield QuorumBar(id="quorum-bar")
        yield Static(markup=False, id="doors")
        yield Static(markup=False, id="quorum-rule")
        yield Static(markup=False, id="quorum-sum")
        yield Static(markup=False, id="quorum-problems")

    def on_mount(self) -> None:
        self.border_title = t("tui.vitals.title")

    def show(self, v: QuorumVerdict) -> None:
        att = v.attendance
        self.set_class(v.ok, "-ok")
        self.set_class(not v.ok, "-not-ok")
        self.border_subtitle = t("tui.vitals.ok") if v.ok else t("tui.vitals.not_ok")
        show(
            self.query_one("#counts", Static),
            t(
                "tui.vitals.counts",
                present=number(att.present),
                summoned=number(att.summoned),
                base=number(att.base),
                guests=number(att.guests),
            ),
        )
        if v.decision_needs is not None:  # present against the base, tick at what a decision needs
            self.query_one(QuorumBar).show(att.present, att.base, v.decision_needs)
        else:  # no fixed base: present against the summoned, tick at the attendance quorum
            self.query_one(QuorumBar).show(att.present, att.summoned, v.quorum_needs)
        arithmetic, problems = explain(v)
        show(
            self.query_one("#quorum-rule", Static),
            t("tui.vitals.rule", rule=t(f"quorum.rule.{v.rules.ruleset.value}")),
        )
        show(self.query_one("#quorum-sum", Static), arithmetic)
        show(self.query_one("#quorum-problems", Static), "\n".join(problems))
        self.query_one("#quorum-problems").display = bool(problems)

    def show_doors(self, doors: Sequence[DoorCount], zone: tzinfo) -> None:
        show(self.query_one("#doors", Static), describe_doors(doors, zone))
