"""Printouts: delegate cards and the list of card codes (PDF, reportlab, bundled DejaVu fonts).

Nothing here imports textual: the CLI, the demo and the TUI all print through these modules.
"""
