"""The yardstick: a bare Flask route rendering a tiny template, served the same way as the app.

gunicorn --workers 2 --bind 127.0.0.1:8101 bench.bare_app:app
"""

from flask import Flask, render_template_string

app = Flask(__name__)
TEMPLATE = "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1><p>{{ text }}</p>"


@app.get("/")
def index():
    return render_template_string(TEMPLATE, title="Bare route", text="Hello from Flask.")
