"""Reading CSV exports into dictionaries, from a path or from uploaded bytes."""

import csv
import io

DELIMITERS = (",", ";", "\t")


def guess_delimiter(first_line):
    """Pick the delimiter that occurs most often in the header line (comma on a tie)."""
    counts = [(first_line.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    return max(counts)[2]


def _rows(fh):
    first = fh.readline()
    fh.seek(0)
    reader = csv.DictReader(fh, delimiter=guess_delimiter(first))
    for lineno, row in enumerate(reader, start=2):
        yield lineno, reader.fieldnames, row


def read_rows(path, encoding="utf-8"):
    """Yield ``(line_number, fieldnames, row_dict)`` for every data row of the file at ``path``."""
    with open(path, newline="", encoding=encoding) as fh:
        yield from _rows(fh)


def read_rows_from_bytes(data, encoding="utf-8"):
    """Like :func:`read_rows` for the raw bytes of an uploaded file."""
    text = data.decode(encoding)
    yield from _rows(io.StringIO(text, newline=""))
