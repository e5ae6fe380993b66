"""Enrollment (참여 등록): enrolling against the limits, ending early (§14),
the severance review (§15)."""
