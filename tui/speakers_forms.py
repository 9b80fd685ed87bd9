"""The lists of speakers' dialog: a delegate put on an item's list.

Found by name (without diacritics), number or unit, or already known from the card scanned at
the desk; the kind of contribution (a comment from the floor unless chosen), its title and the
minutes asked (empty: the kind's limit). Like every form it stays open until the Store answers:
a refusal (the list closed, the same delegate already waiting...) is shown in it.
"""

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Static

from db.store import DelegateInfo
from session.candidates import delegate_person_id
from session.i18n import t
from session.speakers import SpeechKind
from session.speakers.kinds import LONGEST_MINUTES, MINUTE
from tui.dialog import Choice, labelled
from tui.forms import FormDialog, Send
from tui.picker import DelegateChosen, DelegatePicker, Search
from tui.view import who_line


@dataclass(frozen=True, slots=True)
class NewSpeaker:
    person: str
    name: str
    unit: str
    kind: SpeechKind
    title: str
    asked: int  # seconds; 0: the kind's limit
    by_card: bool


class AddSpeakerDialog(FormDialog[NewSpeaker]):
    ACTION = "tui.speakers.add.confirm"

    def __init__(
        self, send: Send, search: Search, item: str, delegate: DelegateInfo | None = None
    ) -> None:
        super().__init__(send)
        self._search = search
        self._item = item
        self._delegate = delegate  # known from a scanned card: no search

    def title_text(self) -> str:
        return t("tui.speakers.add.title", item=self._item)

    def help_text(self) -> str:
        return t("tui.speakers.add.help")

    def body(self) -> ComposeResult:
        if self._delegate is None:
            yield DelegatePicker(self._search, id="picker", required=True)
        else:
            yield Static(
                f"{who_line(self._delegate)} · {self._delegate.unit}",
                markup=False,
                id="speaker-who",
            )
        kinds = [(t(f"speakers.kind.{k.value}"), k.value) for k in SpeechKind]
        yield labelled(
            t("tui.speakers.add.kind"),
            Choice(kinds, value=SpeechKind.FLOOR.value, id="kind"),
            required=True,
        )
        yield labelled(
            t("tui.speakers.add.subject"),
            self.text_field("subject", t("tui.speakers.add.subject_hint")),
        )
        yield labelled(
            t("tui.speakers.add.minutes"),
            self.text_field("minutes", t("tui.speakers.add.minutes_hint")),
        )

    def on_delegate_chosen(self, message: DelegateChosen) -> None:
        message.stop()
        self.query_one("#kind").focus()

    def request(self) -> NewSpeaker | None:
        delegate = self._chosen()
        if delegate is None:
            return None
        asked = self._minutes()
        if asked is None:
            return None
        kind = SpeechKind(self.query_one("#kind", Choice).chosen or SpeechKind.FLOOR)
        return NewSpeaker(
            delegate_person_id(delegate.number),
            delegate.full_name,
            delegate.unit,
            kind,
            self.value("subject"),
            asked * MINUTE,
            self._delegate is not None,
        )

    def _chosen(self) -> DelegateInfo | None:
        if self._delegate is not None:
            return self._delegate
        picker = self.query_one(DelegatePicker)
        if picker.waiting:  # Enter before the search answered: go on once it has
            picker.then(self.submit)
            return None
        if picker.selected is None:
            self.fail(picker.missing_text())
            picker.focus_query()
        return picker.selected

    def _minutes(self) -> int | None:
        """The whole minutes asked (0: none typed), or None after saying what is wrong."""
        typed = self.value("minutes")
        if not typed:
            return 0
        if not typed.isdigit() or not 1 <= int(typed) <= LONGEST_MINUTES:
            self.fail(t("tui.speakers.add.bad_minutes", value=typed, most=LONGEST_MINUTES))
            self.query_one("#minutes").focus()
            return None
        return int(typed)
