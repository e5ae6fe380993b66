"""People: a participant's record, the participant's own page (/me), one person across the city."""
