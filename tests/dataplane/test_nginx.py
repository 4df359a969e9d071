"""The built nginx: the modules upstream's image compiles in, and a started nginx
(init_by_lua runs only on start, not under `nginx -t`) that loads every Lua library
the controller's Lua code requires and serves requests through them."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from ingress_nginx_values.dataplane import DataPlane

# Configure flags and static modules the controller's nginx.tmpl needs with its
# default configuration (../shared/reference/real-node.md), plus set-misc and
# lua-upstream, which upstream's image also compiles in.
REQUIRED_FLAGS = (
    "--with-http_v2_module",
    "--with-http_ssl_module",
    "--with-http_stub_status_module",
    "--with-http_realip_module",
    "--with-stream",
    "--with-stream_ssl_preread_module",
)
REQUIRED_MODULES = (
    "ngx_devel_kit",
    "lua-nginx-module",
    "stream-lua-nginx-module",
    "headers-more-nginx-module",
    "set-misc-nginx-module",
    "lua-upstream-nginx-module",
)
# Off by default upstream and not among the pinned sources.
LEFT_OUT = ("geoip2", "brotli", "ModSecurity", "opentelemetry", "auth-digest")


def test_nginx_version_lists_the_modules(dataplane: DataPlane) -> None:
    result = subprocess.run([str(dataplane.nginx), "-V"], capture_output=True, text=True, check=True)
    report = result.stderr
    assert "nginx version: nginx/1.27.1" in report
    for flag in REQUIRED_FLAGS:
        assert f"{flag} " in report or report.rstrip().endswith(flag), flag
    added = [arg for arg in report.split() if arg.startswith("--add-module=")]
    assert sorted(Path(arg.split("=", 1)[1]).name for arg in added) == sorted(REQUIRED_MODULES)
    for absent in LEFT_OUT:
        assert absent.lower() not in report.lower(), absent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class RunningNginx:
    http_port: int
    stream_port: int


def _config(dataplane: DataPlane, work: Path, http_port: int, stream_port: int) -> str:
    lua = dataplane.lua_lib_dir
    lua_paths = f'lua_package_path "{lua}/?.lua;;";\n  lua_package_cpath "{lua}/?.so;{lua}/5.1/?.so;;";'
    # As root nginx would switch its workers to www-data, which cannot read the
    # cache under root's home; the libraries load in the master anyway.
    user = "user root root;" if os.geteuid() == 0 else ""
    return f"""
{user}
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log info;
events {{ worker_connections 64; }}
http {{
  {lua_paths}
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  lua_shared_dict locks 1m;
  set_real_ip_from 127.0.0.1;
  real_ip_header X-Forwarded-For;
  upstream backends {{ server 127.0.0.1:{http_port}; }}
  init_by_lua_block {{
    -- Loaded in the master, as the controller's init_by_lua does.
    require("resty.core")
    cjson = require("cjson.safe")
    chash = require("resty.chash")
    roundrobin = require("resty.roundrobin")
    resty_lock = require("resty.lock")
    resty_http = require("resty.http")
    resty_cookie = require("resty.cookie")
    resolver = require("resty.dns.resolver")
    lrucache = require("resty.lrucache")
    resty_string = require("resty.string")
    upstream = require("ngx.upstream")
  }}
  server {{
    listen 127.0.0.1:{http_port};
    http2 on;
    location = /backend {{
      more_set_headers "X-Served-By: headers-more";
      return 200 "backend-ok";
    }}
    location = /status {{ stub_status; }}
    location = /unescape {{
      set_unescape_uri $plain $arg_q;
      return 200 "$plain";
    }}
    location = /lua {{
      content_by_lua_block {{
        local ring = chash:new({{ ["10.0.0.1:80"] = 1, ["10.0.0.2:80"] = 1 }})
        local rr = roundrobin:new({{ ["10.0.0.3:80"] = 1 }})
        local lock = resty_lock:new("locks")
        local waited = lock:lock("key")
        lock:unlock()
        local cookie = resty_cookie:new()
        local dns = resolver:new({{ nameservers = {{ "127.0.0.1" }} }})
        local cache = lrucache.new(10)
        cache:set("k", "cached")
        local httpc = resty_http.new()
        local res, err = httpc:request_uri("http://127.0.0.1:{http_port}/backend")
        ngx.say(cjson.encode({{
          chash = ring:find("some-key"),
          roundrobin = rr:find(),
          lock_waited = waited,
          cookie = cookie:get("session"),
          dns = dns ~= nil,
          lru = cache:get("k"),
          hex = resty_string.to_hex("A"),
          upstreams = upstream.get_upstreams(),
          http_status = res and res.status,
          http_body = res and res.body,
          http_error = err,
          client = ngx.var.remote_addr,
        }}))
      }}
    }}
  }}
}}
stream {{
  {lua_paths}
  server {{
    listen 127.0.0.1:{stream_port};
    content_by_lua_block {{
      ngx.say(require("cjson").encode({{ subsystem = ngx.config.subsystem }}))
    }}
  }}
}}
"""


@pytest.fixture(scope="module")
def running_nginx(dataplane: DataPlane, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNginx]:
    work = tmp_path_factory.mktemp("nginx")
    http_port, stream_port = _free_port(), _free_port()
    config = work / "nginx.conf"
    config.write_text(_config(dataplane, work, http_port, stream_port))
    process = subprocess.Popen(
        [str(dataplane.nginx), "-p", str(work), "-c", str(config), "-e", str(work / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise AssertionError(f"nginx exited with {process.returncode}: {process.stderr.read().decode() if process.stderr else ''}"
                                     f"\n{(work / 'error.log').read_text() if (work / 'error.log').exists() else ''}")
            try:
                with socket.create_connection(("127.0.0.1", http_port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("nginx did not listen within 20 s") from None
                time.sleep(0.1)
        yield RunningNginx(http_port, stream_port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_lua_libraries_serve_a_request(running_nginx: RunningNginx) -> None:
    response = requests.get(
        f"http://127.0.0.1:{running_nginx.http_port}/lua",
        headers={"Cookie": "session=abc", "X-Forwarded-For": "192.0.2.7"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    answer = json.loads(response.text)
    assert answer["chash"] in {"10.0.0.1:80", "10.0.0.2:80"}
    assert answer["roundrobin"] == "10.0.0.3:80"
    assert answer["lock_waited"] == 0
    assert answer["cookie"] == "abc"
    assert answer["dns"] is True
    assert answer["lru"] == "cached"
    assert answer["hex"] == "41"
    assert answer["upstreams"] == ["backends"]
    assert (answer["http_status"], answer["http_body"]) == (200, "backend-ok"), answer.get("http_error")
    # realip took the client address from the trusted loopback proxy's header.
    assert answer["client"] == "192.0.2.7"


def test_headers_more_set_misc_and_stub_status(running_nginx: RunningNginx) -> None:
    base = f"http://127.0.0.1:{running_nginx.http_port}"
    assert requests.get(f"{base}/backend", timeout=5).headers["X-Served-By"] == "headers-more"
    assert requests.get(f"{base}/unescape?q=a%20b%2Fc", timeout=5).text == "a b/c"
    assert "Active connections:" in requests.get(f"{base}/status", timeout=5).text


def test_stream_lua_answers(running_nginx: RunningNginx) -> None:
    with socket.create_connection(("127.0.0.1", running_nginx.stream_port), timeout=5) as connection:
        reply = connection.makefile().readline()
    assert json.loads(reply) == {"subsystem": "stream"}
