#!/usr/bin/env python3
"""Checks Okno's Open311 GeoReport v2 endpoint with Open311 client libraries we did not
write: civicbot's Open311Client (PyPI `civicbot`: services, definitions, POST, reads; JSON)
and, when installed, PyPI `georeport` (reads, in XML). It starts nothing itself.

    python3 -m venv /tmp/o311venv && /tmp/o311venv/bin/pip install civicbot georeport
    okno demo --data /tmp/o311 --listen 127.0.0.1:8311 &
    okno admin token --email admin@okno.example --data /tmp/o311      # prints the key
    /tmp/o311venv/bin/python scripts/open311-client-check.py http://127.0.0.1:8311/open311/v2 KEY

Lists the services, reads one definition, posts a request (lat/long and address), reads
it back by id, by a list filter and by token, and reads the status updates. Exits
non-zero on the first thing that does not hold.
"""
import sys


def check(cond, what):
    if not cond:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok   {what}")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    base, key = sys.argv[1].rstrip("/"), sys.argv[2]

    try:
        from civicbot.open311 import Open311Client
        from civicbot.registry import Endpoint
        from civicbot.http import RateLimiter, HttpTransport, HttpError
    except ImportError:
        print("civicbot is not installed: pip install civicbot")
        sys.exit(3)

    import civicbot
    print(f"civicbot {getattr(civicbot, '__version__', '?')} against {base}")
    endpoint = Endpoint(id="okno", name="Okno", base_url=base, write=True)
    # No politeness delay against our own loopback server.
    client = Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0.0)))

    services = client.list_services()
    check(isinstance(services, list) and services, f"services: {len(services)} listed")
    service = services[0]
    check(service.get("type") == "realtime" and service.get("metadata") is True, f"service {service['service_code']} «{service['service_name']}» ({service['group']})")
    definition = client.get_service_definition(service["service_code"])
    codes = [a["code"] for a in definition.get("attributes", [])]
    check("subject" in codes, f"definition attributes: {', '.join(codes)}")
    # The service's own required questions, answered with the first value the definition offers.
    attributes = {"subject": "Не горит фонарь у подъезда"}
    for a in definition.get("attributes", []):
        if a.get("required") and a["code"] not in attributes:
            values = a.get("values") or []
            attributes[a["code"]] = values[0]["key"] if values else "1"

    prepared = client.create_request(
        service["service_code"],
        dry_run=False,
        confirm="SEND",
        api_key=key,
        validate_remote=True,
        lat=55.7558,
        lng=37.6173,
        address_string="Москва, ул. Ленина, 1",
        description="Проверка клиентом Open311 (civicbot)",
        attributes=attributes,
        first_name="Проверка",
        last_name="Клиента",
        email="open311-check@example.org",
    )
    answer = prepared.response
    check(isinstance(answer, list) and answer and answer[0].get("service_request_id"), f"POST answered {answer}")
    rid = answer[0]["service_request_id"]

    one = client.get_request(rid)
    check(one and one["service_request_id"] == rid and one["status"] == "open", f"GET requests/{rid}: status {one['status']}, «{one['status_notes']}»")
    check(one.get("lat") == 55.7558 and one.get("address") == "Москва, ул. Ленина, 1", f"location kept: {one.get('lat')}, {one.get('long')}, {one.get('address')}")
    check("open311-check@example.org" not in str(one) and "Клиента" not in str(one), "no personal data in the public answer")
    listed = client.list_requests(service_request_ids=[rid])
    check(len(listed) == 1 and listed[0]["service_request_id"] == rid, "GET requests?service_request_id= finds it")
    recent = client.list_requests(service_code=service["service_code"], status="open", page_size=5)
    check(any(r["service_request_id"] == rid for r in recent) or len(recent) == 5, f"GET requests?service_code=&status=open: {len(recent)} on the first page")
    token = client.get_token(rid)
    check(token[0]["service_request_id"] == rid, "GET tokens/{id}")

    try:
        client.create_request(service["service_code"], dry_run=False, confirm="SEND", api_key="okno_wrong",
                              address_string="x", attributes={"subject": "x"}, email="a@example.org")
        check(False, "a wrong api_key is refused")
    except HttpError as e:
        check(e.status == 400 and '"code":400' in e.body, f"a wrong api_key is refused: {e.status} {e.body}")

    # mySociety's clients ask for a short recent window; the default is 90 days, oldest first.
    import datetime
    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    updates = client.http.get_json(f"{base}/servicerequestupdates.json", {"start_date": since})
    mine = [u for u in updates if u["service_request_id"] == rid]
    check(mine and mine[0]["status"] == "open", f"servicerequestupdates: {len(updates)} in the window, ours: {[u['status'] for u in mine]}")

    try:
        from georeport import GeoReport
    except ImportError:
        print("skip georeport (not installed)")
        return
    import importlib.metadata
    print(f"georeport {importlib.metadata.version('georeport')} (XML)")
    g = GeoReport(base, api_key=key, output_format="xml")
    svc = g.get_service_list()
    svc = svc if isinstance(svc, list) else [svc]
    check(any(s["service_code"] == service["service_code"] for s in svc), f"services.xml: {len(svc)} listed")
    d = g.get_service_definition(service["service_code"])
    check(d["service_code"] == service["service_code"], "services/{code}.xml")
    r = g.get_service_request(rid)
    check(r["service_request_id"] == rid and r["status"] == "open", f"requests/{rid}.xml: {r['status']}, requested {r['requested_datetime']}")
    many = g.get_service_requests(service_request_id=rid)
    many = many if isinstance(many, list) else [many]
    check(many[0]["service_request_id"] == rid, "requests.xml?service_request_id=")
    print("all checks passed")


if __name__ == "__main__":
    main()
