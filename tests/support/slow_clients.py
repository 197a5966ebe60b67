"""Clients that send a request's body as slowly as they like, as an attacker would.

Each sends a complete request head (Heroku's router reads a whole head before it connects to the
dyno), then a form body at one byte a second; a connection the server cuts is opened again at
once. They run on an event loop in a thread of their own until the `with` block ends.
"""

import asyncio
import contextlib
import threading

from tests.support.environment import SITE_HOST

BODY_BYTES = 1000


class SlowBodies:
    def __init__(self, host, port, count, path="/", interval=1.0):
        self.address = (host, port)
        self.count = count
        self.head = (
            f"POST {path} HTTP/1.1\r\nHost: {SITE_HOST}\r\nX-Forwarded-Proto: https\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {BODY_BYTES}\r\n\r\n"
        ).encode()
        self.interval = interval
        self.open = 0  # connections holding a request head and part of a body right now
        self.opened = 0  # connections opened in all, reconnections included
        self.loop = asyncio.new_event_loop()
        self.stopping = asyncio.Event()
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self.run(),))

    async def run(self):
        senders = [asyncio.create_task(self.sender()) for _ in range(self.count)]
        await self.stopping.wait()
        for sender in senders:
            sender.cancel()
        await asyncio.gather(*senders, return_exceptions=True)

    async def sender(self):
        while True:
            writer = None
            try:
                reader, writer = await asyncio.open_connection(*self.address)
                writer.write(self.head)
                await writer.drain()
                self.opened += 1
                self.open += 1
                try:
                    for _ in range(BODY_BYTES - 1):  # never the last byte
                        await asyncio.sleep(self.interval)
                        if reader.at_eof():
                            break
                        writer.write(b"a")
                        await writer.drain()
                finally:
                    self.open -= 1
            except OSError:
                await asyncio.sleep(0.05)  # refused or reset: straight back
            finally:
                if writer is not None:
                    writer.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(timeout=10)
        with contextlib.suppress(RuntimeError):
            self.loop.close()
