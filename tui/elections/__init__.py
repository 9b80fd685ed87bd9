"""The election screens: the secret-ballot elections (F9) and their counting, and the bodies.

- :mod:`.screen`: the election screen itself (:class:`~.screen.ElectionScreen`): its layout,
  what it draws, its keys, and the form F2 opens for each step of domain rules 4;
- the steps, grouped by concept over the screen (:mod:`.step_group`): the congress's decisions
  they cite (:mod:`.decisions`), the list of candidates (:mod:`.list_steps`), the round and its
  boxes (:mod:`.round_steps`), the results (:mod:`.result_steps`), the ballots and counting
  minutes printed (:mod:`.printing`);
- the forms: the step form and the nomination dialog (:mod:`.forms`), opening them and the ballot
  boxes' steps a teller shares (:mod:`.step_forms`);
- what the screens write, as text (:mod:`.view`);
- the counting screen, where the counting committee enters the ballots (:mod:`.counting`);
- the congress's bodies elected by a show of hands (:mod:`.bodies`).

Their styles are in ``election.tcss``. Nothing here imports the role terminals
(:mod:`tui.stations`), which use the counting screen and the box steps.
"""
