#!/usr/bin/env python3
"""A real gRPC server over h2c for the HTTP/2 benchmark (deploy/bench/h2.sh): one unary method,
/bench.Echo/Say, that answers each request message with a small fixed message.

No .proto and no generated code: a generic handler takes and returns the serialized bytes as they are (grpcio's
serializers are optional), which is all a benchmark backend needs. grpc.aio serves from one thread: less CPU per
call than the thread-pool server on the benchmark's shared core.

    python3 grpc_unary_server.py PORT      # listens on 127.0.0.1:PORT until killed
Needs python3-grpcio (Debian).
"""
import asyncio
import sys

import grpc

# field 1 (length-delimited) = "ok bench": a protobuf message any schema-less decoder can read
REPLY = b"\x0a\x08ok bench"


async def say(request: bytes, context) -> bytes:
    return REPLY


async def serve(port: int) -> None:
    server = grpc.aio.server(options=[("grpc.max_concurrent_streams", 1000)])
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
        "bench.Echo", {"Say": grpc.unary_unary_rpc_method_handler(say)}),))
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    print(f"gRPC bench server on 127.0.0.1:{port}", flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
