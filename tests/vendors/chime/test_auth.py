"""Bearer GUID keys bound to one user: every refusal is 401 with WWW-Authenticate, and
regenerating a user's key (the control API's rotate) retires the old GUID at once."""
import pytest

from .conftest import ADMIN, MANAGER

PATH = "/Chime/Report/QueueSummary"


def _refused(response):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["Error"] == "Unauthorized" and data["Status"] == 401 and data["Message"]


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Basic Zm9vOmJhcg=="},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer not-a-guid"},
    {"Authorization": "Bearer b5c38d85a0424cef8418eb06752e346b"},      # GUID without hyphens
    {"Authorization": "Bearer 00000000-0000-4000-8000-000000000000"},  # well formed, unknown
])
def test_bad_or_missing_key_is_401(chime, headers):
    _refused(chime(PATH, headers=headers))


def test_bad_key_is_401_json_even_with_csv(chime):
    _refused(chime(PATH, headers={}, csv="true"))


def test_vendor_sample_key_is_the_admin_and_guids_compare_case_insensitively(chime, keys):
    assert keys[ADMIN] == "b5c38d85-a042-4cef-8418-eb06752e346b"
    upper = {"Authorization": f"Bearer {keys[ADMIN].upper()}"}
    assert chime(PATH, headers=upper).status_code == 200


def test_each_key_is_bound_to_its_user(report):
    assert report("QueueSummary")["QueueIds"] == [1, 2, 3, 4, 5]
    assert report("QueueSummary", user=MANAGER)["QueueIds"] == [1, 3]


def test_rotation_invalidates_the_old_key_at_once(client, chime, keys):
    rotated = client.post(f"/__sandbox/credentials/chime/{MANAGER}/rotate").get_json()
    assert rotated["id"] == MANAGER and rotated["api_key"] != keys[MANAGER]
    _refused(chime(PATH, user=MANAGER))
    fresh = chime(PATH, headers={"Authorization": f"Bearer {rotated['api_key']}"})
    assert fresh.status_code == 200 and fresh.get_json()["QueueIds"] == [1, 3]
    users = client.get("/__sandbox/credentials").get_json()["chime"]["users"]
    assert next(u for u in users if u["id"] == MANAGER)["api_key"] == rotated["api_key"]
    again = client.post(f"/__sandbox/credentials/chime/{MANAGER}/rotate").get_json()
    assert again["api_key"] not in (rotated["api_key"], keys[MANAGER])
    _refused(chime(PATH, headers={"Authorization": f"Bearer {rotated['api_key']}"}))
    assert chime(PATH, user=ADMIN).status_code == 200  # other users' keys are untouched


def test_rotating_a_user_without_a_key_issues_one(client, chime):
    rotated = client.post("/__sandbox/credentials/chime/4/rotate").get_json()
    assert chime(PATH, headers={"Authorization": f"Bearer {rotated['api_key']}"}).status_code == 200


def test_rotate_unknown_user_is_404_and_reset_restores_keys(client, chime):
    assert client.post("/__sandbox/credentials/chime/999/rotate").status_code == 404
    client.post(f"/__sandbox/credentials/chime/{ADMIN}/rotate")
    client.post("/__sandbox/reset")
    assert chime(PATH).status_code == 200


def test_credentials_document_shape(creds):
    assert creds["base_url"].endswith("/chime")
    assert [q["id"] for q in creds["queues"]] == [1, 2, 3, 4, 5]
    by_id = {u["id"]: u for u in creds["users"]}
    assert by_id[ADMIN]["admin"] is True and by_id[ADMIN]["queue_ids"] == [1, 2, 3, 4, 5]
    assert by_id[MANAGER]["queue_ids"] == [1, 3] and by_id["3"]["queue_ids"] == [2]
    assert by_id["17"]["queue_ids"] == [] and by_id["17"]["admin"] is False
    assert all(isinstance(u["id"], str) and len(u["api_key"]) == 36 for u in creds["users"])
