"""The Milvus retrieval backend (`QA_RETRIEVER=milvus`): Milvus Lite in process for a `.db` path,
a Milvus server (standalone, distributed, or `milvus-lite server`) for an `http://` URI.

Imported only when chosen: pymilvus and its gRPC stack cost a local-index start nothing."""
