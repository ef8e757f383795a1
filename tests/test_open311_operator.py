"""`sotong api`, `sotong api-key` and the city file's [open311] as an operator meets them: run as
subprocesses, with one line and an exit status of its own for each mistake."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bot.failures import EXIT_CONFIG, EXIT_PORT_IN_USE
from storage.city import hash_key
from tests.harness import TEST_CITY
from tests.test_cli import ROOT, sotong
from tests.test_operator import assert_one_line, free_port

V2 = "/open311/v2"


def city_file(tmp_path: Path, open311: str) -> Path:
    """The test city with an [open311] section, written where the operator keeps it."""
    text = TEST_CITY.read_text(encoding="utf-8").replace(
        '"../../config/gwangju-districts.geojson"', json.dumps(str(ROOT / "config" / "gwangju-districts.geojson")))
    path = tmp_path / "city.toml"
    path.write_text(text + "\n" + open311, encoding="utf-8")
    return path


def test_help(tmp_path):
    for command in ("api", "api-key"):
        result = sotong(command, "--help", cwd=tmp_path)
        assert result.returncode == 0 and "usage: sotong" in result.stdout, result.stderr
    assert "Open311" in sotong("--help", cwd=tmp_path).stdout


def test_api_key_prints_a_key_once_and_the_lines_for_the_city_file(tmp_path):
    result = sotong("api-key", "--client", "kiosk-1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    key = result.stdout.splitlines()[1].strip()
    snippet = result.stdout[result.stdout.index("[[open311.clients]]"):]
    (client,) = tomllib.loads(snippet)["open311"]["clients"]
    assert client == {"name": "kiosk-1", "key_sha256": hash_key(key)} and len(key) >= 40
    other = sotong("api-key", "--client", "kiosk-1", cwd=tmp_path)
    assert other.stdout.splitlines()[1].strip() != key  # a fresh key each time
    refused = sotong("api-key", "--client", "Web Platform", cwd=tmp_path)
    assert refused.returncode == EXIT_CONFIG and "not a client name" in refused.stderr


def test_check_config_lists_the_clients_and_names_each_mistake(tmp_path):
    good = city_file(tmp_path, f'[[open311.clients]]\nname = "web"\nkey_sha256 = "{hash_key("k")}"\n')
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(good))
    assert result.returncode == 0, result.stderr
    assert "open311: 4 service(s); 1 client(s) may file" in result.stdout and "  web: key sha256" in result.stdout
    bad = city_file(tmp_path, "\n".join([
        '[[open311.clients]]', 'name = "web"', 'key_sha256 = "not-a-hash"',
        '[[open311.clients]]', 'name = "web"', f'key_sha256 = "{hash_key("k")}"',
        '[[open311.clients]]', 'name = "kiosk"', f'key_sha256 = "{hash_key("k")}"', ""]))
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(bad))
    assert result.returncode == EXIT_CONFIG and "Traceback" not in result.stderr
    assert "open311.clients[0].key_sha256" in result.stderr
    fixed = city_file(tmp_path, "\n".join([
        '[[open311.clients]]', 'name = "web"', f'key_sha256 = "{hash_key("k")}"',
        '[[open311.clients]]', 'name = "web"', f'key_sha256 = "{hash_key("j")}"',
        '[[open311.clients]]', 'name = "kiosk"', f'key_sha256 = "{hash_key("k")}"', ""]))
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(fixed))
    assert "open311.clients[1].name: name 'web' is used twice" in result.stderr
    assert "open311.clients[2].key_sha256: the same key as another client" in result.stderr


def _request(url: str, data: dict | None = None) -> tuple[int, bytes]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_sotong_api_serves_files_and_stops_on_sigterm_without_logging_keys(tmp_path):
    key, port = "operator-test-key", free_port()
    city = city_file(tmp_path, f'[[open311.clients]]\nname = "web"\nkey_sha256 = "{hash_key(key)}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
    env.update(PYTHONPATH=str(ROOT), SOTONG_CITY_CONFIG=str(city), SOTONG_API_PUBLIC_URL="https://api.example.org")
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "api", "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}{V2}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _request(base + "/discovery.json")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.communicate()
                time.sleep(0.2)
        assert status == 200 and json.loads(body)["endpoints"][0]["url"] == "https://api.example.org" + V2
        form = {"service_code": "roads", "lat": "35.1330", "long": "126.9026",
                "description": "A pothole as wide as a car on the main road."}
        status, body = _request(f"{base}/requests.json?api_key={key}", form)
        assert status == 200, body
        number = json.loads(body)[0]["service_request_id"]
        status, body = _request(f"{base}/requests/{number}.xml")
        assert status == 200 and b"<service_code>roads</service_code>" in body
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert f"POST {V2}/requests.json 200" in err and key not in out + err
    assert "Traceback" not in err


def test_sotong_api_on_a_port_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = sotong("api", "--port", str(taken.getsockname()[1]), cwd=tmp_path)
    assert_one_line(result, EXIT_PORT_IN_USE, "port")
