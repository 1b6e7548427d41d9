"""DeskChime's shapes in marshmallow: the stored records (what the control API's state view
accepts, field by field) and the vendor's JSON renderings of them."""
from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from mockserver.core.fields import Instant

from . import factories
from .models import KEY_SHAPE, question_summary

_id = fields.String(required=True, validate=validate.Length(min=1))


class _Record(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class OrganizationRecord(_Record):
    id = fields.Integer(required=True, strict=True)
    name = fields.String(required=True)
    slug = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9-]+$"))
    apiKey = fields.String(required=True, validate=validate.Regexp(KEY_SHAPE.pattern))
    keyGeneration = fields.Integer(load_default=0)


class TeamRecord(_Record):
    id = fields.String(required=True)
    name = fields.String(required=True)


class UserRecord(_Record):
    id = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=validate.OneOf(factories.ROLES))
    status = fields.Integer(load_default=1, strict=True, validate=validate.OneOf((0, 1)))
    isOnboarded = fields.Boolean(load_default=True)
    joinedAt = Instant(required=True)
    teamId = fields.String(load_default=None, allow_none=True)


class QuestionRecord(_Record):
    id = fields.Integer(required=True, strict=True)
    question = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(("scale", "textarea")))
    scale = fields.Dict(keys=fields.String(validate=validate.OneOf(("min", "max"))),
                        values=fields.String(validate=validate.Regexp(r"^-?\d+$")))

    @validates_schema
    def _scale_only_on_scale(self, data, **kwargs):
        if data["type"] == "scale" and set(data.get("scale") or {}) != {"min", "max"}:
            raise ValidationError("a scale question needs scale.min and scale.max", "scale")
        if data["type"] == "textarea" and data.get("scale"):
            raise ValidationError("a textarea question has no scale", "scale")


class ResponseRecord(_Record):
    userId = fields.String(required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=dict)
    submittedAt = Instant(required=True)


class FeedbackRecord(_Record):
    id = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(factories.FEEDBACK_STATUSES))
    frequency = fields.String(load_default="Once", validate=validate.OneOf(factories.FREQUENCIES))
    createdAt = Instant(required=True)
    createdBy = fields.String(load_default=None, allow_none=True)
    assignees = fields.List(fields.String(), load_default=list)
    questions = fields.List(fields.Nested(QuestionRecord), load_default=list)
    responses = fields.List(fields.Nested(ResponseRecord), load_default=list)


_goal_status = validate.OneOf(factories.GOAL_STATUSES)


class TimelineEntry(_Record):
    status = fields.String(required=True, validate=_goal_status)
    comment = fields.String(required=True)
    date = Instant(required=True)


class ActionItem(_Record):
    id = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, validate=_goal_status)


class GoalRecord(_Record):
    id = fields.String(required=True)
    title = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(factories.GOAL_TYPES))
    status = fields.String(required=True, validate=_goal_status)
    progress = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    createdAt = Instant(required=True)
    assignees = fields.List(fields.String(), load_default=list)
    timeline = fields.List(fields.Nested(TimelineEntry), load_default=list)
    actionItems = fields.List(fields.Nested(ActionItem), load_default=list)


class MeetingRecord(_Record):
    id = fields.String(required=True)
    title = fields.String(required=True)
    type = fields.String(required=True,
                         validate=validate.OneOf((*factories.MEETING_TYPES, "ONE_ON_ONE")))
    scheduledAt = Instant(required=True)
    isCompleted = fields.Boolean(load_default=False)
    createdBy = fields.String(required=True)
    attendees = fields.List(fields.String(), load_default=list)
    attended = fields.List(fields.String(), load_default=list)

    @validates_schema
    def _one_on_one_pairs(self, data, **kwargs):
        if data["type"] == "ONE_ON_ONE" and len(data.get("attendees", [])) != 2:
            raise ValidationError("a ONE_ON_ONE has exactly two attendees: organizer, participant",
                                  "attendees")


RECORD_SCHEMAS = {
    "organization": OrganizationRecord, "teams": TeamRecord, "users": UserRecord,
    "feedback": FeedbackRecord, "goals": GoalRecord, "meetings": MeetingRecord,
}


# -- renderings ------------------------------------------------------------------------------
class _Out(Schema):
    class Meta:
        ordered = True
        unknown = EXCLUDE


class UserOut(_Out):
    id = fields.String()
    name = fields.String()
    email = fields.String()
    role = fields.String()
    status = fields.Integer()
    isOnboarded = fields.Boolean()
    joinedAt = fields.String()


class FeedbackSummaryOut(_Out):
    id = fields.String()
    title = fields.String()
    status = fields.String()
    frequency = fields.String()
    assigneeCount = fields.Function(lambda f: len(f.get("assignees", [])))
    responseCount = fields.Function(lambda f: len(f.get("responses", [])))
    createdAt = fields.String()


class FeedbackDetailOut(_Out):
    id = fields.String()
    title = fields.String()
    status = fields.String()
    assigneeCount = fields.Function(lambda f: len(f.get("assignees", [])))
    responseCount = fields.Function(lambda f: len(f.get("responses", [])))
    questions = fields.Function(question_summary)


def _people(ids, users: dict) -> list[dict]:
    # A reference to a removed user is dropped rather than invented.
    return [{"name": users[i]["name"], "email": users[i]["email"]} for i in ids if i in users]


class GoalSummaryOut(_Out):
    id = fields.String()
    title = fields.String()
    type = fields.String()
    status = fields.String()
    progress = fields.Integer()
    assignees = fields.Method("_assignees")

    def _assignees(self, goal):
        return _people(goal.get("assignees", []), self.context_users)


class GoalDetailOut(_Out):
    id = fields.String()
    title = fields.String()
    status = fields.String()
    progress = fields.Integer()
    timeline = fields.Function(lambda g: sorted(
        ({"status": t["status"], "comment": t["comment"], "date": t["date"]}
         for t in g.get("timeline", [])), key=lambda t: t["date"]))
    actionItems = fields.Function(lambda g: [
        {"id": a["id"], "title": a["title"], "status": a["status"]} for a in g.get("actionItems", [])])


class MeetingOut(_Out):
    id = fields.String()
    title = fields.String()
    type = fields.String()
    scheduledAt = fields.String()
    isCompleted = fields.Boolean()
    attendeeCount = fields.Function(lambda m: len(m.get("attendees", [])))


class OneOnOneOut(_Out):
    id = fields.String()
    title = fields.String()
    scheduledAt = fields.String()
    isCompleted = fields.Boolean()
    organizer = fields.Method("_organizer")
    participant = fields.Method("_participant")

    def _person(self, meeting, index):
        people = _people(meeting.get("attendees", [])[index:index + 1], self.context_users)
        return people[0] if people else {"name": "", "email": ""}

    def _organizer(self, meeting):
        return self._person(meeting, 0)

    def _participant(self, meeting):
        return self._person(meeting, 1)


def with_users(schema_cls, users: dict, **kwargs) -> Schema:
    """A rendering schema that can name the people a record refers to by id."""
    schema = schema_cls(**kwargs)
    schema.context_users = users
    return schema


def user_ref(user: dict) -> dict:
    return {"id": user["id"], "email": user["email"], "name": user["name"]}
