"""The roll-call screen's widgets: they render state and post messages, nothing more."""
