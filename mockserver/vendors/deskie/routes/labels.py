"""Deskie views of the Labels tag.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from .. import records
from ..models import find, next_id, save
from ..schemas import label_out
from .common import EMPTY, all_of, change_record, delete_record, page_envelope, sorted_by


def _render_label(ctx, label):
    return {"label": label_out(label)}


def create_label(ctx):
    label_id = next_id(ctx, "labels")
    label = records.label(label_id, label_title=ctx.body["label"]["label_title"])
    save(ctx, "labels", label_id, label)
    return _render_label(ctx, label)


def list_labels(ctx):
    return page_envelope(ctx, [label_out(lab) for lab in sorted_by(ctx, "labels", "label_id")], "label")


def get_label(ctx):
    return _render_label(ctx, find(ctx, "labels", ctx.params["label_id"]))


def edit_label(ctx):
    """§10 Labels: only the title changes; labels carry no updated_at."""
    return _render_label(ctx, change_record(ctx, "labels", "label_id", lambda label: label.update(
        label_title=ctx.body["label"]["label_title"])))


def delete_label(ctx):
    def untag(label):
        for case in all_of(ctx, "cases"):
            if label["label_id"] in case["labels"] or label["label_id"] in case["locked_labels"]:
                save(ctx, "cases", case["case_id"], {
                    **case, "labels": [i for i in case["labels"] if i != label["label_id"]],
                    "locked_labels": [i for i in case["locked_labels"] if i != label["label_id"]]})
    delete_record(ctx, "labels", "label_id", after=untag)
    return EMPTY
