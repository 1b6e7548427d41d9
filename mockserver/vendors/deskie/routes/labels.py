"""Deskie views of the Labels tag.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from .. import models, records
from ..models import find
from ..schemas import label_out
from .common import EMPTY, change_record, delete_record, listing


def _render_label(ctx, label):
    return {"label": label_out(label)}


def create_label(ctx):
    return _render_label(ctx, models.create(ctx, "labels", lambda label_id: records.label(
        label_id, label_title=ctx.body["label"]["label_title"])))


def list_labels(ctx):
    return listing(ctx, "labels", "label_id", lambda label, _tz: label_out(label), "label")


def get_label(ctx):
    return _render_label(ctx, find(ctx, "labels", ctx.params["label_id"]))


def edit_label(ctx):
    """§10 Labels: only the title changes; labels carry no updated_at."""
    return _render_label(ctx, change_record(ctx, "labels", "label_id", lambda label: label.update(
        label_title=ctx.body["label"]["label_title"])))


def delete_label(ctx):
    delete_record(ctx, "labels", "label_id",
                  after=lambda label: models.label_deleted(ctx, label["label_id"]))
    return EMPTY
