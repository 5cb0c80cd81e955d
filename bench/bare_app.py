"""The yardstick: a bare Flask route rendering a tiny template file, served the same way as the app.

    gunicorn --workers 2 --bind 127.0.0.1:8101 bench.bare_app:app

Through `render_template` and a template file, as any real route does: Jinja compiles the file
once per worker and keeps it. (It used `render_template_string`, which compiles the template on
every request and made the yardstick two to three times slower than a real bare route.)
"""

from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))


@app.get("/")
def index():
    return render_template("bare.html", title="Bare route", text="Hello from Flask.")
