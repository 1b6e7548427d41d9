"""What a write does to other records (models' cascades): a deleted label leaves the cases, a
deleted user leaves the links, a deleted case takes its messages, changelog and ratings along,
company members join and leave, a message moves its case's status and its customer's last
contact, a repeated rating replaces its satisfaction row, a group's companies follow its cases."""


def _by(records, key):
    return {r[key]: r for r in records}


def test_delete_label_untags_every_case(dk, state):
    tagged = [c for c in state("cases") if 7156 in c["labels"] or 7156 in c["locked_labels"]]
    assert tagged
    status, data, _ = dk("/api/labels/7156.json", method="DELETE")
    assert status == 200 and data == []
    after = _by(state("cases"), "case_id")
    for case in tagged:
        assert 7156 not in after[case["case_id"]]["labels"]
        assert 7156 not in after[case["case_id"]]["locked_labels"]
        assert after[case["case_id"]]["labels"] == [i for i in case["labels"] if i != 7156]


def test_delete_user_leaves_no_link_behind(dk, state):
    users = [u for u in state("users") if not u["deleted"]]
    first, second = users[0], users[1]
    status, _, _ = dk(f"/api/users/{first['user_id']}/link.json", method="PUT",
                      json={"user_id": second["user_id"]})
    assert status == 200
    after = _by(state("users"), "user_id")
    assert second["user_id"] in after[first["user_id"]]["linked_users"]
    assert first["user_id"] in after[second["user_id"]]["linked_users"]
    status, _, _ = dk(f"/api/users/{first['user_id']}.json", method="DELETE")
    assert status == 200
    after = _by(state("users"), "user_id")
    assert first["user_id"] not in after
    assert first["user_id"] not in after[second["user_id"]]["linked_users"]


def test_delete_case_takes_its_messages_changelog_and_ratings(dk, state):
    rated = {r["case_id"] for r in state("ratings")}
    logged = {e["case_id"] for e in state("changelog")}
    case_id = next(c["case_id"] for c in state("cases")
                   if c["case_id"] in rated and c["case_id"] in logged)
    assert any(m["case_id"] == case_id for m in state("messages"))
    status, data, _ = dk(f"/api/cases/{case_id}.json", method="DELETE")
    assert status == 200 and data == []
    for collection in ("messages", "changelog", "ratings"):
        assert not [r for r in state(collection) if r["case_id"] == case_id], collection
    assert case_id not in _by(state("cases"), "case_id")


def test_company_members_join_and_leave(dk, state):
    company = next(c for c in state("companies") if not c["deleted"])
    outsiders = [u for u in state("users") if u["company_id"] != company["company_id"]][:2]
    ids = ",".join(str(u["user_id"]) for u in outsiders)
    status, _, _ = dk(f"/api/companies/{company['company_id']}.json", method="PUT",
                      json={"company": {"add_company_users": ids}})
    assert status == 200
    after = _by(state("users"), "user_id")
    for user in outsiders:
        assert after[user["user_id"]]["company_id"] == company["company_id"]
        assert after[user["user_id"]]["company_name"] == company["company_name"]
    leaver = outsiders[0]["user_id"]
    status, _, _ = dk(f"/api/companies/{company['company_id']}.json", method="PUT",
                      json={"company": {"remove_company_users": str(leaver)}})
    assert status == 200
    after = _by(state("users"), "user_id")
    assert after[leaver]["company_id"] == 0 and after[leaver]["company_name"] == ""
    assert after[outsiders[1]["user_id"]]["company_id"] == company["company_id"]


def test_company_with_an_unknown_member_changes_nothing(dk, state):
    company = next(c for c in state("companies") if not c["deleted"])
    before = (state("users"), state("companies"))
    missing = max(u["user_id"] for u in state("users")) + 1000
    status, data, _ = dk(f"/api/companies/{company['company_id']}.json", method="PUT",
                         json={"company": {"company_name": "Renamed",
                                           "add_company_users": f"{missing}"}})
    assert status == 400 and data["error"] == "user_not_found"
    assert (state("users"), state("companies")) == before


def test_messages_move_the_case_status_and_the_customer_contact(dk, state, control):
    case = next(c for c in state("cases") if c["status"] == "closed" and not c["deleted"]
                and not c["spam"] and c["user_id"])
    status, _, _ = dk(f"/api/cases/{case['case_id']}/messages.json", method="POST",
                      json={"message": {"user_id": case["user_id"], "content": "Again"}})
    assert status == 200
    after = _by(state("cases"), "case_id")[case["case_id"]]
    assert after["status"] == "open" and after["closed_at"] is None
    message = max((m for m in state("messages") if m["case_id"] == case["case_id"]),
                  key=lambda m: m["message_id"])
    user = _by(state("users"), "user_id")[case["user_id"]]
    assert user["last_contact_at"] == message["created_at"]
    log = [e for e in state("changelog") if e["case_id"] == case["case_id"]]
    assert log[-1]["event"] == "status" and (log[-1]["old_value"], log[-1]["value"]) == (
        "closed", "open")
    status, _, _ = dk(f"/api/cases/{case['case_id']}/messages.json", method="POST",
                      json={"message": {"content": "On it"}})
    assert status == 200
    after = _by(state("cases"), "case_id")[case["case_id"]]
    reply = max((m for m in state("messages") if m["case_id"] == case["case_id"]),
                key=lambda m: m["message_id"])
    assert after["status"] == "waiting" and after["last_response_at"] == reply["created_at"]


def test_rating_a_case_twice_keeps_one_satisfaction_row(dk, state):
    case = next(c for c in state("cases") if c["status"] == "closed" and not c["deleted"]
                and not any(r["case_id"] == c["case_id"] and not r["message_id"]
                            for r in state("ratings")))
    for rating, code in (("low", "1"), ("high", "3")):
        status, _, _ = dk(f"/api/cases/{case['case_id']}/rate.json", method="PUT",
                          json={"rate": {"rating": rating, "rating_comment": rating}})
        assert status == 200
        rows = [r for r in state("ratings") if r["case_id"] == case["case_id"]
                and not r["message_id"]]
        assert len(rows) == 1 and rows[0]["rating"] == code
        assert rows[0]["rating_comment"] == rating and rows[0]["user_id"] == case["user_id"]


def test_delete_group_moves_the_companies_defaulting_to_it(dk, state):
    group = next(g for g in (318, 746) if any(c["company_default_group"] == g
                                              for c in state("companies")))
    other = 746 if group == 318 else 318
    companies = [c["company_id"] for c in state("companies")
                 if c["company_default_group"] == group]
    status, _, _ = dk(f"/api/groups/{group}.json", method="DELETE",
                      json={"group": {"replace_group_id": other}})
    assert status == 200
    after = _by(state("companies"), "company_id")
    assert all(after[c]["company_default_group"] == other for c in companies)
