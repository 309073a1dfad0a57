"""A TCP listener that never accepts (backlog 0): once its queue is full the kernel drops new SYNs,
so a gateway's connect() times out, as with a firewall that drops packets or a wedged app.

Usage: blackhole.py PORT [SECONDS]. It exits by itself after SECONDS (default 120).
"""
import socket
import sys
import time

port = int(sys.argv[1])
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(0)
time.sleep(seconds)
