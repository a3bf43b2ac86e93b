#!/usr/bin/env python3
"""Sends UDP datagrams with a forged source address over a raw socket, for the media-port fuzz test.

Usage: spoof_udp.py SRC_PORT DST_PORT COUNT SEED
Both ends are 127.0.0.1 (the test runs on loopback only). Payloads are random or shaped like STUN, DTLS,
RTP and RTCP, as an attacker on the LAN could send them "from" a joined peer's address.
"""
import random
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def payload(rnd):
    kind = rnd.randrange(5)
    body = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(1, 1200)))
    if kind == 0:
        return body
    if kind == 1:  # STUN binding request with garbage attributes
        return struct.pack("!HHI", 0x0001, len(body) & 0xFFFC, 0x2112A442) + body[:12].ljust(12, b"\0") + body
    if kind == 2:  # DTLS record
        return bytes([rnd.choice([20, 21, 22, 23]), 0xFE, 0xFD]) + body
    if kind == 3:  # RTP
        return bytes([0x80, rnd.choice([96, 97, 111, 0x80 | 96])]) + body
    return bytes([0x80 | rnd.randrange(32), rnd.randrange(200, 207)]) + body  # RTCP


def main():
    src_port, dst_port, count, seed = (int(a) for a in sys.argv[1:5])
    rnd = random.Random(seed)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    src = dst = socket.inet_aton("127.0.0.1")
    for i in range(count):
        data = payload(rnd)
        udp_len = 8 + len(data)
        pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_UDP, udp_len)
        header = struct.pack("!HHHH", src_port, dst_port, udp_len, 0)
        csum = checksum(pseudo + header + data) or 0xFFFF
        udp = struct.pack("!HHHH", src_port, dst_port, udp_len, csum) + data
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, i & 0xFFFF, 0, 64, socket.IPPROTO_UDP, 0, src, dst)
        s.sendto(ip + udp, ("127.0.0.1", 0))
        if i % 50 == 49:
            time.sleep(0.005)  # ~10k packets/s: fast, but inside what the socket buffer holds
    print("sent", count)


if __name__ == "__main__":
    main()
