"""Settings for running the API under your own gunicorn, as ``serve`` runs it:
``gunicorn -c python:api.gunicorn_conf …`` (``docs/operations.md``). Each worker warms up and
quiets its garbage collector once its app is built (``api.commands.worker_ready``)."""

from api.commands import worker_ready as post_worker_init

__all__ = ["post_worker_init"]
