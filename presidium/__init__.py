"""Presidium: the application shell (command line, demo, reports) around the headless core."""
