"""Every msgid of the consult and clinician templates has a Chinese and a Korean translation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import medrush.consult
from medrush.consult import QUICK_REPLIES

SRC = Path(medrush.consult.__file__).resolve().parent
TEMPLATES = SRC.parent / "web" / "templates"
MSGID = re.compile(r"""_\(\s*"([^"]+)"\s*\)|_\(\s*'([^']+)'\s*\)""")


def test_every_msgid_translated() -> None:
    table = yaml.safe_load((SRC / "messages.yaml").read_text(encoding="utf-8"))
    used: set[str] = set()
    for folder in ("consult", "clinician"):
        for path in (TEMPLATES / folder).glob("*.html"):
            used |= {a or b for a, b in MSGID.findall(path.read_text(encoding="utf-8"))}
    used |= set(QUICK_REPLIES.values())
    assert len(used) > 60
    assert sorted(used - set(table)) == []
    for msgid, langs in table.items():
        assert set(langs) == {"zh", "ko"}, msgid
        assert all(text.strip() for text in langs.values()), msgid
    assert table["Ask a doctor"] == {"zh": "问医生", "ko": "의사에게 묻기"}
