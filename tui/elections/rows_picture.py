"""The picture of a read ballot's rows on the counting screen (textual-image), in a module of
its own: textual-image loads numpy, which the app need not load until a picture is shown."""

import warnings

from textual.geometry import Region
from textual.strip import Strip
from textual_image.widget import Image


class RowsPicture(Image, Renderable=Image._Renderable):  # type: ignore[misc,valid-type]
    """textual-image's widget, quiet about Pillow's deprecation of Image.getdata (which
    textual-image 0.12 still calls to draw half-blocks or unicode): a warning printed while
    Textual draws would land on the screen, and the tests take every warning as an error."""

    def render_lines(self, crop: Region) -> list[Strip]:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"Image\.Image\.getdata", DeprecationWarning)
            return super().render_lines(crop)
