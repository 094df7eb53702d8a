"""The documentation's code blocks as tests (issue 22, point 1): every fenced block of
README.md and docs/*.md is run against a live sandbox, or shown as the answer of the block
before it, or marked as not run with its reason. The convention, documented in
docs/architecture.md ("Examples that run"):

- a ```sh block runs in bash, a ```python block in Python, from the repository's root, with
  `http://127.0.0.1:8000` (the sandbox's default address) pointing at the test's server;
  the ```sh blocks of one `## ` section share one bash, in order (a walk-through's
  variables carry from block to block); `curl` fails on a 4xx/5xx answer;
- a ```json block right after a run block is that block's answer: the block's output must
  match it, once both are masked (`mask`), `…` standing for any text;
- any other block has `<!-- not run: why -->` on the line right before its fence.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DEFAULT_URL = "http://127.0.0.1:8000"
RUN = {"sh", "python"}
NOT_RUN = re.compile(r"^ *<!-- not run: (?P<reason>\S.*?) -->$")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```|~~~)(?P<lang>[^`\s]*)\s*$")  # in a list item too

# What differs from one run to the next, each shown once in the docs by an example value:
# masked alike in the docs' answer and in the actual one.
MASKS = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)"), "<time>"),
    (re.compile(r"\b\d{2}-\d{14,15}\b"), "<customerOrderId>"),
    (re.compile(r"\b\d{4}-\d\d-\d\d\b"), "<date>"),
    (re.compile(r"(?<=-)\d{8}(?=-[A-Z]+\b)"), "<yyyymmdd>"),  # in a technician slot's id
    (re.compile(r"(?<=127\.0\.0\.1:)\d+"), "<port>"),
    (re.compile(r"\beyJ(?:…|[\w-]*\.[\w-]*\.[\w-]*)"), "<jwt>"),  # `eyJ…` in a document
    (re.compile(r"\b(?:whsec|ock)_(?:…|[\w.-]+)"), "<secret>"),
    (re.compile(r"\b[0-9a-f]{32,}\b"), "<token>"),
    # the credit bureau's numbers (docs/fiber.md), random in the sandbox
    (re.compile(r'"(unifiedCreditTransactionId|casApplicationId|unifiedPolicyTransactionId)":"\w+"'), r'"\1":"<\1>"'),
]
ELISION = re.compile(r"…[^…\"]*…|…")  # `[…as sent…]`, `"…"`: any text


JSON_STRING_OR_SPACE = re.compile(r'("(?:[^"\\]|\\.)*")|\s+')


def mask(text: str) -> str:
    """`text` with what varies between runs replaced by its kind, and the white space
    outside strings that a document adds to lay out a long answer removed."""
    text = JSON_STRING_OR_SPACE.sub(lambda found: found[1] or "", text)
    for pattern, kind in MASKS:
        text = pattern.sub(kind, text)
    return text


def matches(shown: str, actual: str) -> bool:
    """Whether `actual` is the answer `shown`, both masked, `…` in `shown` matching anything."""
    pieces = ELISION.split(mask(shown))
    return re.fullmatch(".*?".join(re.escape(piece) for piece in pieces), mask(actual), re.DOTALL) is not None


@dataclass
class Block:
    document: Path
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    section: str  # the `## ` heading above it, "" before the first
    not_run: str | None  # the marker's reason
    answer: Block | None = None  # the ```json block shown as its answer

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def blocks(document: Path) -> list[Block]:
    """Every fenced block of `document`, in order, answers attached to the block they answer."""
    lines = document.read_text().split("\n")
    found: list[Block] = []
    section, index = "", 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("## "):
            section = line
        fence = FENCE.match(line)
        if fence is None:
            index += 1
            continue
        indent, closing = len(fence["indent"]), fence["indent"] + fence["fence"]
        end = next(at for at in range(index + 1, len(lines)) if lines[at].rstrip() == closing)
        marker = NOT_RUN.match(lines[index - 1]) if index else None
        block = Block(
            document,
            index + 1,
            fence["lang"],
            "".join(line[indent:] + "\n" for line in lines[index + 1 : end]),
            section,
            marker["reason"] if marker else None,
        )
        previous = found[-1] if found else None
        if block.lang == "json" and block.not_run is None and previous and runs(previous) and not previous.answer:
            previous.answer = block
        else:
            found.append(block)
        index = end + 1
    return found


def runs(block: Block) -> bool:
    return block.not_run is None and block.lang in RUN


def unaccounted(document: Path) -> list[str]:
    """The blocks neither run, nor an answer, nor marked: each with where it is."""
    return [
        f"{block.where}: a ```{block.lang} block neither run nor marked `<!-- not run: why -->`"
        for block in blocks(document)
        if block.not_run is None and block.lang not in RUN
    ]


@dataclass
class Ran:
    """What running one section printed, block by block."""

    script: str
    returncode: int
    stderr: str
    outputs: dict[int, str] = field(default_factory=dict)  # by the block's line

    @property
    def stdout(self) -> str:
        return "".join(self.outputs.values())


# Every shell example gets a curl that fails loudly on an error answer (unless it prints
# the status itself with --write-out: an example of an error), and a line break after each
# answer so that answers do not run together.
PRELUDE = """set -euo pipefail
curl() {
  case " $* " in *" --write-out "*) command curl --silent --show-error "$@";;
    *) command curl --silent --show-error --fail-with-body "$@";; esac
  local done=$?; echo; return $done
}
"""


def environment(url: str, database_url: str) -> dict[str, str]:
    """A reader's shell: none of the test's OMNICART_* settings, the server's database (for
    the `omnicart` commands an example runs) and its address in OMNICART."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("OMNICART_")}
    return {**env, "OMNICART": url, "OMNICART_DATABASE_URL": database_url}


def run_section(document: Path, section: str, url: str, database_url: str, *, setup: str = "") -> Ran:
    """Run the section's blocks: the shell ones in one bash (after `setup`, a script of the
    test's that makes what the section takes as given, e.g. `$CART`), the Python ones each
    in its own interpreter."""
    chosen = [block for block in blocks(document) if block.section == section and runs(block)]
    env = environment(url, database_url)
    shell = [block for block in chosen if block.lang == "sh"]
    script = PRELUDE + setup + "".join(f"echo '@@{b.line}@@'\n{b.text.replace(DEFAULT_URL, url)}" for b in shell)
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    parts = re.split(r"^@@(\d+)@@\n", done.stdout, flags=re.MULTILINE)[1:]
    ran = Ran(script, done.returncode, done.stderr, {int(parts[i]): parts[i + 1] for i in range(0, len(parts), 2)})
    for block in chosen:
        if block.lang != "python" or ran.returncode:
            continue
        code = block.text.replace(DEFAULT_URL, url)
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        ran.outputs[block.line] = done.stdout
        ran.script += code
        ran.returncode, ran.stderr = done.returncode, ran.stderr + done.stderr
    return ran


def wrong_answers(document: Path, section: str, ran: Ran) -> list[str]:
    """The answers the section shows that its blocks did not print: shown, then printed."""
    return [
        f"{block.where}: shows\n{mask(block.answer.text)}\nbut printed\n{mask(ran.outputs.get(block.line, ''))}"
        for block in blocks(document)
        if block.section == section and block.answer and runs(block)
        if not matches(block.answer.text, ran.outputs.get(block.line, ""))
    ]
