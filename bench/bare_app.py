"""The baseline: a bare Flask app answering fixed bytes, run under the same gunicorn settings
as the sandbox, so the benchmark's figure that counts is the ratio between the two."""
import os

from flask import Flask, Response

BODY = open(os.environ["BARE_BODY_FILE"], "rb").read()
app = Flask("bare")


@app.get("/<path:anything>")
def answer(anything):
    return Response(BODY, mimetype="application/json")
