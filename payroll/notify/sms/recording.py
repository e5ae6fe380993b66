"""The recording provider: every message appended to a JSON-lines file, nothing sent.

``PAYROLL_SMS_OUTBOX`` names the file (default ``out/sms-outbox.jsonl``); each line is
``{"phone": …, "text": …, "link": …, "key": …}``. For tests and trials.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from payroll.domain.delivery import TextMessage


class RecordingProvider:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def from_env(cls) -> RecordingProvider:
        default = Path(os.environ.get("PAYROLL_OUTPUT_DIR") or "out") / "sms-outbox.jsonl"
        return cls(Path(os.environ.get("PAYROLL_SMS_OUTBOX") or default))

    def send(self, message: TextMessage) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"phone": message.phone, "text": message.text, "link": message.link}
        line["key"] = message.message_key
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")

    def messages(self) -> list[dict[str, str]]:
        """What was recorded so far."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
