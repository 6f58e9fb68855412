#!/usr/bin/env python3
"""Starts or stops the two-shard ClickHouse cluster the remote-source tests read.

  clickhouse_cluster.py start DIR   two clickhouse-server processes on 127.0.0.1 only, free high
                                    ports, config and data under DIR; cluster "ds_test" names them
                                    as two shards (remote_servers); DIR/cluster.env says the ports
  clickhouse_cluster.py stop DIR    stops them (TERM, then KILL) and deletes DIR

CTest runs `start` as a FIXTURES_SETUP and `stop` as a FIXTURES_CLEANUP, so the servers are stopped
whatever the test does; the test also calls `stop` from its teardown. Exit 0 ok, 1 failure.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

SERVER = shutil.which("clickhouse-server") or "/usr/sbin/clickhouse-server"
PASSWORD = "ds-test-secret"  # the user "analyst"; "default" has none


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(node_dir, http, tcp, shard_tcp):
    shards = "".join(
        f"<shard><replica><host>127.0.0.1</host><port>{p}</port></replica></shard>" for p in shard_tcp)
    return f"""<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>{node_dir}/log/server.log</log><errorlog>{node_dir}/log/error.log</errorlog>
    <size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>{http}</http_port>
  <tcp_port>{tcp}</tcp_port>
  <path>{node_dir}/data/</path>
  <tmp_path>{node_dir}/tmp/</tmp_path>
  <user_files_path>{node_dir}/user_files/</user_files_path>
  <format_schema_path>{node_dir}/format_schemas/</format_schema_path>
  <users_config>{node_dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
  <remote_servers><ds_test>{shards}</ds_test></remote_servers>
</yandex>
"""


USERS = f"""<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>1000000000</max_memory_usage><max_threads>2</max_threads></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <analyst><password>{PASSWORD}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></analyst>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows>
    <read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
"""


def answers(http):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{http}/ping", timeout=1) as r:
            return r.read().strip() == b"Ok."
    except OSError:
        return False


def stop(base):
    for node in ("node1", "node2"):
        pid_file = os.path.join(base, node, "pid")
        try:
            pid = int(open(pid_file).read())
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    shutil.rmtree(base, ignore_errors=True)
    return 0


def start(base):
    if not os.access(SERVER, os.X_OK):
        print(f"clickhouse-server not found ({SERVER}); install the Debian package clickhouse-server", file=sys.stderr)
        return 1
    stop(base)
    os.makedirs(base)
    tcp = [free_port(), free_port()]
    http = [free_port(), free_port()]
    for i, node in enumerate(("node1", "node2")):
        node_dir = os.path.join(base, node)
        for sub in ("data", "tmp", "user_files", "format_schemas", "log"):
            os.makedirs(os.path.join(node_dir, sub))
        with open(os.path.join(node_dir, "config.xml"), "w") as f:
            f.write(config(node_dir, http[i], tcp[i], tcp))
        with open(os.path.join(node_dir, "users.xml"), "w") as f:
            f.write(USERS)
        out = open(os.path.join(node_dir, "log", "stdout.log"), "w")
        proc = subprocess.Popen([SERVER, f"--config-file={node_dir}/config.xml"], cwd=node_dir, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        with open(os.path.join(node_dir, "pid"), "w") as f:
            f.write(str(proc.pid))
    deadline = time.time() + 60
    while not all(answers(p) for p in http):
        if time.time() > deadline:
            for node in ("node1", "node2"):
                log = os.path.join(base, node, "log", "error.log")
                if os.path.exists(log):
                    sys.stderr.write(open(log).read()[-2000:])
            print("clickhouse-server did not answer within 60 s", file=sys.stderr)
            stop(base)
            return 1
        time.sleep(0.2)
    with open(os.path.join(base, "cluster.env"), "w") as f:
        f.write(f"HTTP1={http[0]}\nHTTP2={http[1]}\nTCP1={tcp[0]}\nTCP2={tcp[1]}\nPASSWORD={PASSWORD}\n")
    print(f"ClickHouse cluster ds_test: http {http[0]}, {http[1]}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(start(sys.argv[2]) if sys.argv[1] == "start" else stop(sys.argv[2]))
