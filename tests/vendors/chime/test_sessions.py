"""SessionDetails: the notes' Session 658 verbatim, generated transcripts that are stable and agree
with the reports, the transcript as CSV, and the zone on StartedLocal."""
from mockserver.registry import load_vendor

from .conftest import cell, parse_csv

EXAMPLE = load_vendor("chime").document["paths"]["/Chime/Session/SessionDetails/{SessionID}"][
    "get"]["responses"]["200"]["content"]["application/json"]["examples"]["session658"]["value"]


def test_session_658_is_the_notes_example(chime):
    data = chime("/Chime/Session/SessionDetails/658", zone="America/New_York").get_json()
    assert data == EXAMPLE
    assert chime("/Chime/Session/SessionDetails/658").get_json()["StartedLocal"] == \
        "2020-01-08T19:04:12+00:00"


def test_transcript_as_csv_agrees_with_json(chime):
    data = chime("/Chime/Session/SessionDetails/658").get_json()
    response = chime("/Chime/Session/SessionDetails/658", csv="true")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="SessionDetails_658.csv"'
    lines = parse_csv(response)
    assert lines[0] == ["Sequence", "TimestampUtc", "SenderType", "SenderName", "Text"]
    assert lines[1:] == [[cell(m[c]) for c in lines[0]] for m in data["Messages"]]
    assert lines[3][4] == "Hi Peyton, I can help with that."


def test_generated_sessions_have_stable_consistent_transcripts(client, chime):
    sessions = client.get("/__sandbox/state/chime/default/sessions").get_json()
    for state in ("Completed", "Abandoned", "Deflected"):
        record = next(s for s in sessions if s["state"] == state and s["id"] > 1000)
        first = chime(f"/Chime/Session/SessionDetails/{record['id']}").get_json()
        assert first == chime(f"/Chime/Session/SessionDetails/{record['id']}").get_json()
        messages = first["Messages"]
        assert [m["Sequence"] for m in messages] == list(range(1, len(messages) + 1))
        assert [m["TimestampUtc"] for m in messages] == sorted(m["TimestampUtc"] for m in messages)
        assert messages[0]["TimestampUtc"] == record["started_utc"]
        assert messages[-1]["TimestampUtc"] == record["ended_utc"]
        assert any(m["SenderType"] == "Guest" and m["Text"] == record["question"]
                   for m in messages)
        assert first["State"] == state and first["StartedUtc"] == record["started_utc"]
        if state == "Completed":
            assert first["Agent"]["Id"] == record["agent_id"] and first["AcceptedUtc"]
            assert any(m["SenderType"] == "Agent" for m in messages)
        else:
            assert first["Agent"] is None and first["AcceptedUtc"] is None
        if state == "Deflected":
            assert first["Status"]["ResolvedByType"] == "Bot" and first["WaitSeconds"] == 0


def test_details_agree_with_the_session_list(chime):
    rows = chime("/Chime/Report/ChatSessions", queueId=1, start="2026-06-10",
                 stop="2026-06-11").get_json()["Rows"]
    for row in rows[:5]:
        detail = chime(f"/Chime/Session/SessionDetails/{row['SessionId']}").get_json()
        assert detail["StartedLocal"] == row["StartedLocal"]
        assert (detail["WaitSeconds"], detail["DurationSeconds"]) == \
            (row["WaitSeconds"], row["DurationSeconds"])
        assert detail["Guest"]["Name"] == row["GuestName"]
        assert (detail["Agent"] or {}).get("Name") == row["AgentName"]


def test_keyword_frequency_counts_the_transcripts_guest_lines(chime):
    window = {"queueId": 2, "start": "2026-06-08", "stop": "2026-06-10"}
    rows = chime("/Chime/Report/ChatSessions", **window).get_json()["Rows"]
    words = {r["Keyword"]: r for r in
             chime("/Chime/Report/KeywordFrequency", **window).get_json()["Rows"]}
    assert words
    import re
    counted = {}
    for row in rows:
        guest = " ".join(m["Text"] for m in chime(
            f"/Chime/Session/SessionDetails/{row['SessionId']}").get_json()["Messages"]
            if m["SenderType"] == "Guest")
        for word in words:
            hits = len(re.findall(r"(?<!\w)" + re.escape(word) + r"(?!\w)", guest, re.I))
            counted[word] = counted.get(word, 0) + hits
    assert {w: r["Occurrences"] for w, r in words.items()} == counted
