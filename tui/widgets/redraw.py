"""Redrawing only what changed. Updating a text lays out and paints the whole screen again, so
a screen that rewrites all its texts at every change of the log keeps the desk waiting.

:func:`show` updates a Static only when its text differs. :class:`Footer`, the key bar, is
rebuilt only when the keys it shows change: Textual's Footer throws its keys away and mounts new
ones whenever the screen's bindings *may* have changed (every focus change, every dialog opened
or closed, on the screen beneath too, every ``refresh_bindings()``, once per signal even when
several come before the next frame), and each rebuild mounts a dozen widgets and restyles each
twice: three or four rebuilds of unchanged keys per dialog.
"""

from typing import Any

from rich.cells import cell_len
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets import Static


def show(widget: Static, text: str) -> None:
    """`text` on `widget`, unless it is there already; laid out again only when its size may
    change (a layout redraws every widget the change moves; most texts keep their line)."""
    old = widget.content
    if old == text:
        return
    widget.update(text, layout=not _same_single_line(widget, str(old), text))


def _same_single_line(widget: Static, old: str, new: str) -> bool:
    """Both texts on one line of `widget` as it stands, and, if its width follows its text,
    as wide as each other: the widget's size does not change."""
    width = widget.content_size.width
    old_cells, new_cells = cell_len(old), cell_len(new)
    if "\n" in old or "\n" in new or not 0 < max(old_cells, new_cells) <= width:
        return False
    return old_cells == new_cells or not widget.styles.width or not widget.styles.width.is_auto


class Footer(TextualFooter):
    """Textual's Footer, recomposed only when the keys it would show differ from those shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)  # (80 columns: every key on two lines)
        super().__init__(*args, **kwargs)
        self._shown: object = None  # the keys as last composed

    def compose(self) -> Any:
        yield from super().compose()
        # Textual sets the grid's columns to the number of keys, inline, on every compose. At
        # 80 columns the keys are laid out on a grid (app.tcss): as many columns as fit.
        self.styles.grid_size_columns = self._columns_that_fit()

    def on_resize(self) -> None:
        columns = self._columns_that_fit()
        if columns != self.styles.grid_size_columns:
            self.styles.grid_size_columns = columns

    def _columns_that_fit(self) -> int:
        """The most columns of keys whose widest entries fit side by side on the terminal."""
        app = self.app
        active = self.screen.active_bindings
        widths = [
            cell_len(app.get_key_display(b)) + 1 + cell_len(b.description)
            for _node, b, _enabled, _tooltip in active.values()
            if b.show
        ]
        widths.append(cell_len(app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, ""))) + 9)
        room = app.size.width
        for columns in range(min(len(widths), 12), 0, -1):
            need = sum(max(widths[i::columns]) for i in range(columns)) + columns - 1
            if need <= room:
                return columns
        return 1

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._refresh_keys)

    async def _refresh_keys(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()

    def _keys(self) -> object:
        """Everything :meth:`Footer.compose` draws from."""
        app = self.app
        active = self.screen.active_bindings
        shown = tuple(
            (b.key, app.get_key_display(b), b.description, b.action, b.group, enabled, tooltip)
            for _node, b, enabled, tooltip in active.values()
            if b.show
        )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, b, enabled, _tooltip = found
                palette = (b.key, app.get_key_display(b), b.description, enabled, b.tooltip)
        return shown, palette, self.compact, self.combine_groups
