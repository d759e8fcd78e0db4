#!/usr/bin/env python3
"""A tiny SMTP sink for the notification tests (Debian: python3-aiosmtpd).

    python3 tests/smtp-sink.py PORT DIR

Listens on 127.0.0.1:PORT and writes every message it receives to DIR: the raw message
as NNNN-ID.eml and, decoded, as NNNN-ID.json (mail_from, rcpt_tos, message_id, subject,
body), each written under a temporary name and renamed, so a reader never sees half a
file. Prints "ready" once it listens; runs until killed.
"""
import email
import email.policy
import json
import os
import signal
import sys
import threading
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        # Numbering goes on from what an earlier run of the sink left in the directory.
        self.count = len([n for n in os.listdir(directory) if n.endswith(".eml")])
        self.lock = threading.Lock()

    def _write(self, name, data):
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else ""
        with self.lock:
            self.count += 1
            stem = "%04d-%s" % (self.count, uuid.uuid4().hex[:8])
        self._write(stem + ".eml", envelope.content)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "message_id": str(msg.get("Message-ID", "")),
            "subject": str(msg.get("Subject", "")),
            "body": body,
        }
        self._write(stem + ".json", json.dumps(record, ensure_ascii=False).encode("utf-8"))
        return "250 OK"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
