"""core.tabular: RFC 4180 text (CRLF, minimal quoting, header-only when empty) and the response."""
import csv
import io

from flask import Flask

from mockserver.core.tabular import csv_response, csv_text


def test_csv_text_quotes_only_what_needs_it_and_ends_lines_with_crlf():
    rows = [{"A": 1, "B": 'say "hi", then\ngo', "C": None, "D": True},
            {"A": 2.5, "B": "plain", "C": "x", "D": False}]
    text = csv_text(["A", "B", "C", "D"], rows)
    assert text == 'A,B,C,D\r\n1,"say ""hi"", then\ngo",,true\r\n2.5,plain,x,false\r\n'
    assert list(csv.reader(io.StringIO(text, newline="")))[1][1] == 'say "hi", then\ngo'


def test_csv_text_keeps_column_order_and_is_header_only_when_empty():
    assert csv_text(["B", "A"], [{"A": 1, "B": 2}]) == "B,A\r\n2,1\r\n"
    assert csv_text(["X"], []) == "X\r\n"


def test_csv_response_is_an_attachment_of_utf8_text():
    with Flask(__name__).app_context():
        response = csv_response(["Name"], [{"Name": "Zoë"}], "report_All.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="report_All.csv"'
    assert response.get_data() == "Name\r\nZoë\r\n".encode()
