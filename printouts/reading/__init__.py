"""Reading scanned ballots (issue 14): the machine reads every struck name; the counting
committee decides only what it cannot.

- ``pages``: the files an ordinary scanner saves (PDF, TIFF, PNG, JPEG) as page images, with
  the file's SHA-256;
- ``template``: the blank ballot, drawn by the same code that prints it;
- ``align``: each ballot on a page found by its code and aligned on its four corner squares;
- ``measure``: every row measured against the blank: struck, kept, or unsure; with ``rows``
  (a row's new ink, aligned on its own printed name, and the light strokes on its paper),
  ``lines`` (a light pencil's strike followed along its line over the paper between the
  letters) and ``strikes`` (how far a stroke runs across a name, and whether the ink keeps to
  its line);
- ``reader``: a file in, one reading per paper ballot out, with the verdict by rule
  (session.ballot_reading);
- ``archive``: the images kept beside the database, named by their SHA-256.

Nothing here decides a doubtful ballot: it says what it saw and why it doubts.
"""
