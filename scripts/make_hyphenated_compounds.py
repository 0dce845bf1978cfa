"""Write align/data/hyphenated_compounds.txt: the compounds British English writes with a
hyphen ("south-west", "set-up", "fire-fighter"), from the en_GB Hunspell dictionary.

    apt-get download hunspell-en-gb && dpkg-deb -x hunspell-en-gb_*.deb /tmp/en_gb
    uv run --frozen python scripts/make_hyphenated_compounds.py /tmp/en_gb/usr/share/hunspell/en_GB.dic

The fixer reads the list (align/fix.py): where the captions write such a compound as two
words, the ASR's closed form ("southwest") is another spelling of the same words, not a
split word mended. Only lower-case words of letters are kept, with their plurals (the
dictionary's S flag), so the list stays small and holds no names."""

from __future__ import annotations

import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "align" / "data" / "hyphenated_compounds.txt"
HEADER = """\
# Compounds British English writes with a hyphen, with their plurals: lower-case words of
# letters from the en_GB Hunspell dictionary (LibreOffice dictionaries; Debian package
# hunspell-en-gb 1:7.5.0-1), made by scripts/make_hyphenated_compounds.py.
# The dictionary is by David Bartlett, Brian Kelk, Andrew Brown and Marco A.G. Pinto, based
# on Kevin Atkinson's word lists, and is distributed under the GNU LGPL; this list, derived
# from it, is distributed under the same licence (LGPL-2.1.txt beside it).
"""


def plural(word: str) -> str:
    """The dictionary's S flag, as its affix file spells it."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(?:[sxz]|[cs]h)$", word):
        return word + "es"
    return word + "s"


def compounds(dic: Path) -> list[str]:
    found = set()
    for line in dic.read_text(encoding="utf-8").splitlines()[1:]:
        word, _, flags = line.strip().partition("/")
        if not re.fullmatch(r"[a-z]+(?:-[a-z]+)+", word):
            continue
        found.add(word)
        if "S" in flags:
            found.add(plural(word))
    return sorted(found)


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    words = compounds(Path(sys.argv[1]))
    OUT.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} compounds")


if __name__ == "__main__":
    main()
