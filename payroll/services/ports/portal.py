"""The participants' sign-in codes (their own page)."""

from __future__ import annotations

from typing import Protocol

from payroll.domain.portal import SignInCode


class SignInCodeStore(Protocol):
    def get(self, participant_id: str) -> SignInCode | None: ...

    def put(self, code: SignInCode) -> None:
        """Store ``code`` in place of the participant's earlier one."""
        ...

    def failed(self, participant_id: str) -> None:
        """Count one wrong try against the participant's code."""
        ...

    def remove(self, participant_id: str) -> None: ...
