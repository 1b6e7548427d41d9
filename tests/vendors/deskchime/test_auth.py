"""The page's four authentication cases, key rotation, and cross-organization access."""
import pytest

V1 = "/api/v1/goals"


@pytest.mark.parametrize("path", ["/api/workspace-stats", V1])
def test_auth_missing_header_is_401(dc, path):
    status, data, _ = dc(path, headers={})
    assert status == 401
    assert data == {"success": False, "error": "x-api-key header not present",
                    "code": "MISSING_API_KEY"}


@pytest.mark.parametrize("key", ["abc", "dc_live_short", "dc_test_" + "a" * 32, ""])
def test_auth_unrecognised_format_is_401(dc, key):
    status, data, _ = dc(V1, headers={"x-api-key": key})
    assert status == 401 and data["code"] == "INVALID_API_KEY_FORMAT"
    assert data["error"] == "Key format is not recognized"


def test_auth_well_formed_unknown_key_is_401(dc):
    status, data, _ = dc(V1, headers={"x-api-key": "dc_live_" + "Z" * 32})
    assert status == 401 and data["code"] == "API_KEY_NOT_FOUND"
    assert data["error"] == "Key doesn't match any organization"


def test_auth_tenant_comes_from_the_key(dc, acme, globex):
    assert dc("/api/workspace-stats", headers=acme)[1]["organization"]["slug"] == "acme"
    assert dc("/api/workspace-stats", headers=globex)[1]["organization"]["slug"] == "globex"


def test_rotate_invalidates_old_key_at_once(client, dc, acme):
    rotated = client.post("/__sandbox/credentials/deskchime/1/rotate").get_json()
    assert rotated["id"] == 1 and rotated["api_key"] != acme["x-api-key"]
    status, data, _ = dc(V1, headers=acme)
    assert status == 401 and data["code"] == "API_KEY_NOT_FOUND"
    assert dc(V1, headers={"x-api-key": rotated["api_key"]})[0] == 200
    creds = client.get("/__sandbox/credentials").get_json()["deskchime"]["organizations"]
    assert creds[0]["api_key"] == rotated["api_key"]
    again = client.post("/__sandbox/credentials/deskchime/1/rotate").get_json()
    assert again["api_key"] not in (rotated["api_key"], acme["x-api-key"])


def test_rotate_unknown_organization_is_404(client):
    assert client.post("/__sandbox/credentials/deskchime/99/rotate").status_code == 404


def test_reset_restores_rotated_key(client, dc, acme):
    client.post("/__sandbox/credentials/deskchime/1/rotate")
    client.post("/__sandbox/reset")
    assert dc(V1, headers=acme)[0] == 200


@pytest.mark.parametrize("path", ["/api/v1/goals/{goal}", "/api/v1/feedback/{form}"])
def test_other_organizations_resource_is_403_not_404(client, dc, globex, path):
    goal = client.get("/__sandbox/state/deskchime/2/goals").get_json()[0]["id"]
    form = client.get("/__sandbox/state/deskchime/2/feedback").get_json()[0]["id"]
    status, data, _ = dc(path.format(goal=goal, form=form))
    assert status == 403 and data["code"] == "CROSS_ORG_ACCESS"
    assert dc(path.format(goal=goal, form=form), headers=globex)[0] == 200


@pytest.mark.parametrize("path", ["/api/v1/users/activity", "/api/workspace-stats/user"])
def test_other_organizations_user_is_403_and_unknown_email_404(client, dc, path):
    email = client.get("/__sandbox/state/deskchime/2/users").get_json()[0]["email"]
    status, data, _ = dc(path, json={"email": email})
    assert status == 403 and data["code"] == "CROSS_ORG_ACCESS"
    status, data, _ = dc(path, json={"email": "nobody@nowhere.example"})
    assert status == 404 and data["code"] == "NOT_FOUND"
