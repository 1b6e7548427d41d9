"""The baseline: a bare Flask app answering fixed bytes per path, run under the same gunicorn
settings as the sandbox, so the benchmark's figure that counts is the ratio between the two.
BARE_BODY_DIR holds index.json (path -> file) and the bodies the sandbox gave."""
import json
import os
from pathlib import Path

from flask import Flask, Response, abort

FOLDER = Path(os.environ["BARE_BODY_DIR"])
BODIES = {path: (FOLDER / name).read_bytes()
          for path, name in json.loads((FOLDER / "index.json").read_text()).items()}
app = Flask("bare")


@app.get("/<path:anything>")
def answer(anything):
    body = BODIES.get("/" + anything)
    if body is None:
        abort(404)
    return Response(body, mimetype="application/json")
