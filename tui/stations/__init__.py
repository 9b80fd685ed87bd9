"""The role terminals: each role but the operator has one home screen, and nothing else.

- :mod:`.door`: a door station (one scan field, a result the size of the screen);
- :mod:`.teller`: a teller's vote screen of their sector, with the ballot boxes' steps;
- :mod:`.counting_room`: the counting room's desk, which opens the round being counted;
- :mod:`.display`: the projector, with nothing to press;
- :mod:`.speakers_desk`: the secretariat's desk of the lists of speakers;
- :mod:`.terminal`: what every one of them shares (the message it posts once mounted, the red
  NOT CONNECTED banner).

Their styles are in ``stations.tcss`` (shared, the teller's and the counting room's),
``door.tcss`` and ``display.tcss``. What they read after a change is :mod:`tui.station_feed`'s,
outside this package: the desk that reads it sits below the screens.
"""
