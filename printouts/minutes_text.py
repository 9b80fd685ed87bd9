"""A document (printouts/document.py: the minutes, the counting minutes) as Markdown and as HTML:
the same blocks as the PDF (printouts/pdf.py), so the three files say the same thing.

Both are plain functions of the document: no time, no randomness, "\\n" line endings, so the same
document gives the same bytes. The HTML is one self-contained UTF-8 file (its style inline, no
script, no external resource) with every text escaped; the Markdown escapes the characters
that would otherwise start markup, so a name or a reason is never read as formatting.
"""

import html as html_lib
import re

from printouts.document import (
    Block,
    Document,
    Grid,
    Heading,
    Letterhead,
    Signatures,
    Style,
    Text,
    Title,
)

# ----------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")
# only at the start of a line: a heading, a quote, a numbered or bulleted list item
_MD_START = re.compile(r"^(\d+[.)]|[-+#>])(?=\s|$)")


def md_escape(text: str) -> str:
    """Backslash every character that Markdown (CommonMark, GFM tables) could read as markup."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_START.sub(lambda m: m[1][:-1] + "\\" + m[1][-1], escaped)


def _md_block(block: Block) -> list[str]:
    match block:
        case Letterhead():
            return [*(f"**{md_escape(x)}**  " for x in block.left),
                    *(f"{md_escape(x)}  " for x in block.right), ""]  # fmt: skip
        case Title():
            first, *rest = block.lines
            subtitles = [line for x in rest for line in (f"**{md_escape(x)}**", "")]
            return [f"# {md_escape(first)}", "", *subtitles]
        case Heading():
            return [f"{'#' * (block.level + 1)} {md_escape(block.text)}", ""]
        case Text():
            return [_md_text(block), ""]
        case Grid():
            return [*_md_grid(block), ""]
        case Signatures():
            return _md_signatures(block)


def _md_text(block: Text) -> str:
    text = md_escape(block.text)
    if block.style is Style.WARNING:
        return f"**{text}**"
    if block.style is Style.NOTE:
        return f"*{text}*"
    return text


def _md_grid(block: Grid) -> list[str]:
    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(md_escape(c) or " " for c in cells) + " |"

    align = ["---:" if i in block.numeric else "---" for i in range(len(block.header))]
    return [row(block.header), "| " + " | ".join(align) + " |", *(row(r) for r in block.rows)]


def _md_signatures(block: Signatures) -> list[str]:
    lines = []
    for role, name in block.people:
        lines += [f"**{md_escape(role)}**  ", f"{md_escape(block.hint)}  ", "", "", ""]
        lines += [f"{md_escape(name)}" if name else "………………………………", ""]
    return lines


def markdown(document: Document) -> str:
    lines: list[str] = []
    for block in document.blocks:
        lines += _md_block(block)
    lines += ["---", "", f"*{md_escape(document.footer)}*", ""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- HTML

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.4;
       max-width: 48em; margin: 2em auto; padding: 0 1em; color: #141414; }
.letterhead { display: flex; justify-content: space-between; text-align: center; gap: 2em; }
.letterhead div { flex: 1; }
h1 { text-align: center; font-size: 16pt; margin: 1.2em 0 0.2em; }
.subtitle { text-align: center; font-weight: bold; margin-top: 0; }
h2 { font-size: 12pt; margin-top: 1.4em; }
h3 { font-size: 11pt; margin: 0.9em 0 0.2em; }
h4 { font-size: 10.5pt; margin: 0.6em 0 0.2em 1.5em; }
p { margin: 0.15em 0 0.15em 1.5em; }
p.warning { font-weight: bold; color: #a60d0d; margin-left: 0; }
p.note { font-size: 9pt; }
table { border-collapse: collapse; margin: 0.5em 0; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #8c8c8c; padding: 2px 4px; vertical-align: top; text-align: left; }
th { background: #eee; text-align: center; }
td.num { text-align: right; }
.signatures { display: flex; justify-content: space-around; text-align: center;
              margin-top: 2em; }
.signatures .hint { font-size: 9pt; }
.signatures .space { height: 5em; }
footer { border-top: 1px solid #8c8c8c; margin-top: 2em; font-size: 8pt; word-break: break-all; }
"""


def _e(text: str) -> str:
    return html_lib.escape(text, quote=True)


def _html_block(block: Block) -> list[str]:
    match block:
        case Letterhead():
            left = "<br>".join(f"<strong>{_e(x)}</strong>" for x in block.left)
            right = "<br>".join(
                f"<strong>{_e(x)}</strong>" if i == 0 else _e(x) for i, x in enumerate(block.right)
            )
            return [f'<div class="letterhead"><div>{left}</div><div>{right}</div></div>']
        case Title():
            first, *rest = block.lines
            return [f"<h1>{_e(first)}</h1>", *(f'<p class="subtitle">{_e(x)}</p>' for x in rest)]
        case Heading():
            return [f"<h{block.level + 1}>{_e(block.text)}</h{block.level + 1}>"]
        case Text():
            return [f'<p class="{block.style.value}">{_e(block.text)}</p>']
        case Grid():
            return _html_grid(block)
        case Signatures():
            return _html_signatures(block)


def _html_grid(block: Grid) -> list[str]:
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in block.header) + "</tr>"]
    for row in block.rows:
        cells = "".join(
            f'<td class="num">{_e(c)}</td>' if i in block.numeric else f"<td>{_e(c)}</td>"
            for i, c in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    return [*out, "</table>"]


def _html_signatures(block: Signatures) -> list[str]:
    out = ['<div class="signatures">']
    for role, name in block.people:
        out.append(
            f'<div><strong>{_e(role)}</strong><br><span class="hint">{_e(block.hint)}</span>'
            f'<div class="space"></div><strong>{_e(name)}</strong></div>'
        )
    return [*out, "</div>"]


def html(document: Document) -> str:
    lang = _e(document.lang)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(document.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    for block in document.blocks:
        lines += _html_block(block)
    lines += [f"<footer>{_e(document.footer)}</footer>", "</body>", "</html>", ""]
    return "\n".join(lines)
