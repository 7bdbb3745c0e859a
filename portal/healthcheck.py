"""Container health check: GET /healthz with an allowed Host header; exit 0 only on HTTP 200."""

import os
import sys
import urllib.error
import urllib.request


def main(url: str) -> int:
    host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
    if host in ("", "*"):
        host = "localhost"
    headers = {"Host": host, "X-Forwarded-Proto": "https", "Accept": "application/json"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - fixed local URL
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - fixed local URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/healthz"))
