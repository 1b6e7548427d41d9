"""The same seed and a frozen clock give byte-identical answers across restarts; another seed
gives other data; seeded dates follow the clock so "recent" windows always have data."""
from datetime import timedelta

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.clock import parse_instant

PATHS = ["/deskchime/api/workspace-stats", "/deskchime/api/v1/users?limit=50",
         "/deskchime/api/v1/goals?limit=50", "/deskchime/api/v1/meetings?limit=50",
         "/deskchime/api/v1/feedback/f5"]


def _answers(seed, frozen="2026-03-01T08:00:00Z"):
    app = create_app(Settings(seed=seed, freeze_time=parse_instant(frozen),
                              vendors=("deskchime",)))
    client = app.test_client()
    key = client.get("/__sandbox/credentials").get_json()["deskchime"]["organizations"][0]
    headers = {"x-api-key": key["api_key"]}
    answers = [client.get(p, headers=headers) for p in PATHS]
    return [(r.status_code, r.get_data(), dict(r.headers)) for r in answers]


def test_determinism_same_seed_same_bytes_across_restarts():
    first, second = _answers(3), _answers(3)
    assert [a[0] for a in first] == [200] * len(PATHS)
    assert first == second


def test_determinism_another_seed_other_data():
    assert [a[1] for a in _answers(3)][1:4] != [a[1] for a in _answers(4)][1:4]


def test_determinism_seeded_dates_follow_the_clock():
    for frozen in ("2026-03-01T08:00:00Z", "2031-09-09T09:00:00Z"):
        app = create_app(Settings(freeze_time=parse_instant(frozen), vendors=("deskchime",)))
        client = app.test_client()
        key = client.get("/__sandbox/credentials").get_json()["deskchime"]["organizations"][0]
        until = parse_instant(frozen)
        since = (until - timedelta(days=30)).date().isoformat()
        recent = client.get(f"/deskchime/api/v1/meetings?from={since}&to={until.date()}",
                            headers={"x-api-key": key["api_key"]}).get_json()
        assert recent["meta"]["total"] > 0, frozen
