"""Leave what start-up built (modules, widgets, the register) out of later garbage collections.

A full collection walks every live object; on a slow laptop that is a pause of ~100 ms every few
scans, which a scan's result can fall into. Frozen objects are not walked (measured: pauses of
30-60 ms instead). The app freezes once its first counts are on screen, and undoes it on closing.
"""

import gc


class StartupFreeze:
    def __init__(self) -> None:
        self.frozen = False

    def freeze(self) -> None:
        if not self.frozen:
            gc.collect()
            gc.freeze()
            self.frozen = True

    def undo(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False
