"""The key's ACL: administrators see every queue, managers and reviewers their own queues, an
Agent-only user nothing; global reports filter, an explicit queue outside the scope is 403."""
import pytest

from .conftest import ADMIN, AGENT_ONLY, CATALOGUES, GLOBAL_REPORTS, MANAGER, QUEUE_REPORTS, REVIEWER

WINDOW = {"start": "2026-05-01", "stop": "2026-06-01"}


@pytest.mark.parametrize("user,queues", [(ADMIN, [1, 2, 3, 4, 5]), (MANAGER, [1, 3]),
                                         (REVIEWER, [2]), (AGENT_ONLY, [])])
def test_global_reports_cover_exactly_the_visible_queues(report, user, queues):
    summary = report("QueueSummary", user=user, **WINDOW)
    assert summary["QueueIds"] == queues
    assert [r["QueueId"] for r in summary["Rows"]] == queues
    for name in GLOBAL_REPORTS:
        data = report(name, user=user, **WINDOW)
        assert data["QueueIds"] == queues and data["QueueId"] is None
        if not queues:
            assert data["Rows"] == []


def test_filtered_global_totals_are_the_visible_queues_totals(report):
    admin = {r["QueueId"]: r for r in report("QueueSummary", **WINDOW)["Rows"]}
    volume = report("GlobalChatVolume", user=MANAGER, **WINDOW)["Rows"]
    assert sum(r["Inbound"] for r in volume) == admin[1]["Inbound"] + admin[3]["Inbound"]
    assert sum(r["Answered"] for r in volume) == admin[1]["Answered"] + admin[3]["Answered"]
    agents = report("AgentSummary", user=REVIEWER, **WINDOW)["Rows"]
    assert sum(r["ChatsAccepted"] for r in agents) == admin[2]["Answered"]
    assert {r["AgentId"] for r in agents} >= {2, 10, 11, 12}  # the Agent role on queue 2


@pytest.mark.parametrize("user,queue", [(MANAGER, 1), (MANAGER, 3), (REVIEWER, 2), (ADMIN, 5)])
def test_per_queue_reports_answer_in_scope(chime, user, queue):
    for name in QUEUE_REPORTS:
        assert chime(f"/Chime/Report/{name}", user=user, queueId=queue).status_code == 200


@pytest.mark.parametrize("user,queue,code", [(MANAGER, 2, "QueueForbidden"),
                                             (REVIEWER, 1, "QueueForbidden"),
                                             (AGENT_ONLY, 3, "NoReportingScope")])
def test_queue_outside_the_scope_is_403(chime, user, queue, code):
    for name in QUEUE_REPORTS:
        for fmt in ("false", "true"):
            response = chime(f"/Chime/Report/{name}", user=user, queueId=queue, csv=fmt)
            assert response.status_code == 403 and response.mimetype == "application/json"
            assert response.get_json()["Error"] == code


def test_missing_queue_id_is_400_and_unknown_queue_404(chime):
    for name in QUEUE_REPORTS:
        missing = chime(f"/Chime/Report/{name}", csv="true")
        assert missing.status_code == 400 and missing.get_json()["Error"] == "MissingQueueId"
        unknown = chime(f"/Chime/Report/{name}", queueId=42)
        assert unknown.status_code == 404
        assert unknown.get_json() == {"Error": "QueueNotFound",
                                      "Message": "Queue 42 does not exist.", "Status": 404}


def test_unknown_queue_is_404_before_403(chime):
    assert chime("/Chime/Report/ChatSessions", user=AGENT_ONLY, queueId=42).status_code == 404


def test_catalogues_need_no_scope_but_check_an_explicit_queue(chime):
    for route in CATALOGUES:
        listing = chime(f"/Chime/Report/{route}", user=AGENT_ONLY)
        assert listing.status_code == 200 and listing.get_json()
    basic = chime("/Chime/Report/GetQueueBasicReports", user=MANAGER).get_json()
    assert basic[0]["Url"] == "/Chime/Report/InboundVsAnsweredChats?queueId={queueId}"
    filled = chime("/Chime/Report/GetQueueBasicReports", user=MANAGER, queueId=3).get_json()
    assert filled[0]["Url"] == "/Chime/Report/InboundVsAnsweredChats?queueId=3"
    forbidden = chime("/Chime/Report/GetQueueBasicReports", user=MANAGER, queueId=2)
    assert forbidden.status_code == 403 and forbidden.get_json()["Error"] == "QueueForbidden"
    assert chime("/Chime/Report/GetQueueBotReports", queueId=9).status_code == 404


def test_catalogues_list_every_report_once(chime):
    listed = []
    for route in CATALOGUES:
        listed += [entry["Name"] for entry in chime(f"/Chime/Report/{route}").get_json()]
    assert sorted(listed) == sorted(QUEUE_REPORTS + GLOBAL_REPORTS)
    glob = chime("/Chime/Report/GetAvailableGlobalReports").get_json()
    assert [e["Url"] for e in glob] == ["/Chime/Report/QueueSummary",
                                        "/Chime/Report/GlobalChatVolume",
                                        "/Chime/Report/AgentSummary"]


def test_session_details_follows_the_queue_acl(client, chime):
    sessions = client.get("/__sandbox/state/chime/default/sessions").get_json()
    on_queue_2 = next(s["id"] for s in sessions if s["queue_id"] == 2)
    on_queue_3 = next(s["id"] for s in sessions if s["queue_id"] == 3)
    assert chime(f"/Chime/Session/SessionDetails/{on_queue_3}", user=MANAGER).status_code == 200
    forbidden = chime(f"/Chime/Session/SessionDetails/{on_queue_2}", user=MANAGER, csv="true")
    assert forbidden.status_code == 403 and forbidden.get_json()["Error"] == "QueueForbidden"
    agent = chime(f"/Chime/Session/SessionDetails/{on_queue_3}", user=AGENT_ONLY)
    assert agent.status_code == 403 and agent.get_json()["Error"] == "NoReportingScope"
