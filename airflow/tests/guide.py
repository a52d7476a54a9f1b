"""airflow/README.md's deployment steps as a script: every ```bash block of its "Deploying"
section, in order. The tests run exactly this, so the guide and the tests cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

SECTION = "## Deploying"
BLOCK = re.compile(r"^```bash\n(.*?)^```", re.MULTILINE | re.DOTALL)


def deployment_script(readme: Path) -> str:
    text = readme.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    blocks = BLOCK.findall(text[start:end if end >= 0 else len(text)])
    if not blocks:
        raise AssertionError(f"{readme}: no bash block under {SECTION!r}")
    return "set -euo pipefail\n" + "\n".join(blocks)
