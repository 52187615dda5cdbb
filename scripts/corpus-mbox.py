#!/usr/bin/env python3
"""Writes an mboxrd of the corpus messages, repeated, for measuring classify and ingest (see README,
"Speed and memory of the command line"). Keep the output out of the repository (/tmp).

usage: corpus-mbox.py OUT COUNT [BYTES] [CORPUS]
  OUT     the mbox to write
  COUNT   at least this many messages
  BYTES   and at least this many bytes (0 or left out: COUNT alone decides)
  CORPUS  the corpus folder (default ../shared/bounce-corpus)

Each message gets a From_ line, loses its own From_ line if it had one, has every line starting with ">*From "
quoted with one more '>' (mboxrd) and ends with a line ending and an empty line.
"""
import os
import re
import sys

FROM_LINE = b"From MAILER-DAEMON Mon Dec  7 12:00:00 2026\n"
QUOTE = re.compile(rb"^(>*From )", re.M)


def messages(corpus):
    paths = sorted(os.path.join(folder, name) for folder, _, names in os.walk(corpus) for name in names if name.endswith(".eml"))
    for path in paths:
        with open(path, "rb") as file:
            content = file.read()
        if content.startswith(b"From "):
            lf, cr = content.find(b"\n"), content.find(b"\r")
            cut = lf if lf >= 0 and (cr < 0 or cr >= lf - 1) else cr
            content = content[cut + 1:]
        content = QUOTE.sub(rb">\1", content)
        yield content if content.endswith(b"\n") else content + b"\n"


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, count = argv[1], int(argv[2])
    size = int(argv[3]) if len(argv) > 3 else 0
    corpus = argv[4] if len(argv) > 4 else os.path.join("..", "shared", "bounce-corpus")
    corpus_messages = list(messages(corpus))
    if not corpus_messages:
        sys.exit(f"no .eml files under {corpus}")
    written = total = 0
    with open(out, "wb") as mbox:
        while written < count or total < size:
            chunk = FROM_LINE + corpus_messages[written % len(corpus_messages)] + b"\n"
            mbox.write(chunk)
            written += 1
            total += len(chunk)
    print(f"{out}: {written} messages, {total} bytes")


if __name__ == "__main__":
    main(sys.argv)
