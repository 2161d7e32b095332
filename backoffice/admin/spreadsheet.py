"""The admin's CSV files (the dashboard's figures, every list's export), made to open safely in a spreadsheet."""
import csv

from flask import Response, stream_with_context

# Excel reads a CSV file as UTF-8 (the Hindi names) only with this mark.
BOM = "\ufeff"
# A cell starting with one of these a spreadsheet runs as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(text):
    """A cell a spreadsheet will not run as a formula (a name typed as =HYPERLINK(...))."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    def write(self, line):
        return line


def csv_response(rows, filename):
    """`rows` (lists of cells: text or numbers) as a CSV file to download, each text cell safe().

    Written as it is read, so a long list is never held whole in memory.
    """
    writer = csv.writer(_Line())

    def lines():
        yield BOM
        for row in rows:
            yield writer.writerow([safe(value) if isinstance(value, str) else value for value in row])

    # backoffice/downloads.py's headers; the file is written as it is read, so not through its send_file.
    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}",
                             "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})
