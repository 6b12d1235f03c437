"""A stand-in SMS provider for the notifier test: remembers what it was asked to send."""

SENT: list[tuple[str, str, str]] = []


class Notifier:
    def send(self, recipient: str, subject: str, body: str) -> None:
        SENT.append((recipient, subject, body))
