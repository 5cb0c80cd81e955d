"""A real SMTP server for the mail tests (aiosmtpd on a port of its own): one that refuses
some addresses, is slow, or is stopped and started again."""

import time

from aiosmtpd.controller import Controller

from tests.conftest import free_port


class Inbox:
    """An SMTP server's handler: keeps what it accepts, refuses the addresses in `refuse`,
    and takes `delay` seconds over each message (a slow server)."""

    def __init__(self, refuse=(), delay=0.0):
        self.messages, self.refuse, self.delay = [], set(refuse), delay
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        self.messages.append(envelope)
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.rcpt_tos]


class SmtpServer:
    """aiosmtpd on a port of its own, which can be stopped and started again on that port."""

    def __init__(self, inbox: Inbox, port: int | None = None):
        self.inbox, self.port, self.controller = inbox, port or free_port(), None

    def start(self) -> "SmtpServer":
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
