"""The Milvus retrieval backend (`QA_RETRIEVER=milvus`): Milvus Lite in process for a `.db` path,
a Milvus server (standalone, distributed, or `milvus-lite server`) for an `http://` URI.

Imported only when chosen: pymilvus and its gRPC stack cost a local-index start nothing."""

import os

# gRPC (under pymilvus) restarts its poller in a forked child; since grpcio 1.81 that poller can hit a
# closed epoll descriptor and kill the child before it execs (grpc/grpc#43055): measured here, 2 of
# 40 pseudo-terminal spawns after a Milvus Lite query died, 0 of 40 with fork support off. Nothing
# here uses gRPC across a fork, so it is turned off before pymilvus loads (an explicit setting wins).
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")
