"""The development e-mail backend: each e-mail printed as a person reads it.

Django's console backend prints the MIME message, in which a Russian subject is
`=?utf-8?b?0JfQsNGP0LLQu9C10L3QuNC1…?=` and a Russian body base64: unreadable in the terminal of
`make run`. This one prints the headers decoded, the text part as text, and the attachments by
name and size.
"""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message) -> None:
        lines = [
            f"Subject: {message.subject}",
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
        ]
        if message.cc:
            lines.append(f"Cc: {', '.join(message.cc)}")
        if message.reply_to:
            lines.append(f"Reply-To: {', '.join(message.reply_to)}")
        lines += ["", message.body.rstrip("\n")]
        for attachment in message.attachments:
            if isinstance(attachment, tuple):
                name, content = attachment[0], attachment[1]
            else:  # a MIME part
                name, content = attachment.get_filename(), attachment.get_payload(decode=True) or b""
            lines.append(f"[attachment: {name}, {len(content):,} bytes]")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
