"""The refusal every service raises when an action may not happen."""


class TransitionRefused(Exception):
    """A transition that may not happen; the message says why, in words a person understands.
    Raised inside the transaction, so nothing of the attempt is kept."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
