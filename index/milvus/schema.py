"""The Milvus collections: one row per sentence, one row per document.

Sentences (`<name>`): the sentence id (document id + offsets, stable across rebuilds) is the primary
key, so ingestion is an idempotent upsert. Each row carries what a citation and the reader need
without a second request: the sentence, its place (section, paragraph, numbers, offsets, page) and
its paragraph (offsets and text). The lexical side is the local index's context field over the
same tokens (`index.milvus.terms`): `context_terms`, the sentence read with its section title,
paragraph lead and previous sentence, which Milvus' BM25 function turns into the sparse vector
`context_terms_bm25` with the local backend's k1 and b.
`vector` is the embedder's passage vector (inner product = cosine: the vectors are unit length).

Documents (`<name>_documents`): checksum, counts and section titles of each report, for rebuilds
(unchanged reports are skipped) and for `stats`. Milvus needs a vector field in every collection;
this one's is a 2-dimensional placeholder.

A collection property records the schema version and the embedder: a collection made by
another version or embedder is refused with the command that rebuilds it.
"""

from __future__ import annotations

import json
from typing import Any

from pymilvus import DataType, Function, FunctionType, MilvusClient

from index.local.lexical import K1, B
from index.milvus.terms import ANALYZER, MAX_BYTES

# 2: the lexical field holds our own tokens (1 held the context's text for a jieba analyzer).
SCHEMA_VERSION = 2
# Milvus VARCHAR limits are in bytes; a sentence is at most 500 characters (index.split), 3 bytes each in UTF-8.
TEXT_BYTES = 4096
PARAGRAPH_BYTES = 65535
ID_BYTES = 1024
PLACEHOLDER = [0.0, 1.0]


def documents_of(name: str) -> str:
    return f"{name}_documents"


# The collection property that records the schema version and the embedder (properties persist in
# Milvus Lite and in a server; Lite 3.2 does not keep a collection's description).
PROPERTY = "reportqa"


def stamp(embedder_id: str, dim: int) -> dict[str, str]:
    return {PROPERTY: json.dumps({"reportqa_schema": SCHEMA_VERSION, "embedder": embedder_id, "dim": dim})}


CONTEXT = "context_terms"
# Nested under "params": Milvus Lite reads BM25's k1 and b only from there (given flat, as pymilvus 3
# sends them, it kept its default k1 1.5: found in its source, seen in its scores). A Milvus server
# also takes index parameters in this older nested form (not run here). k1 1.5 instead of 0.4 cost
# 2.7 points of sent@1 on the first 300 CMRC trial questions.
BM25_PARAMS = {"params": {"bm25_k1": K1, "bm25_b": B}}


def sentence_schema(client: MilvusClient, dim: int) -> Any:
    schema = client.create_schema(auto_id=False)
    schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=ID_BYTES)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=ID_BYTES)
    schema.add_field("section", DataType.VARCHAR, max_length=TEXT_BYTES)
    for name in (
        "paragraph",
        "paragraph_in_section",
        "number",
        "start",
        "end",
        "page",
        "p_start",
        "p_end",
        "p_page",
        "position",
    ):
        schema.add_field(name, DataType.INT64)
    schema.add_field("text", DataType.VARCHAR, max_length=TEXT_BYTES)
    schema.add_field("p_text", DataType.VARCHAR, max_length=PARAGRAPH_BYTES)
    schema.add_field(CONTEXT, DataType.VARCHAR, max_length=MAX_BYTES, enable_analyzer=True, analyzer_params=ANALYZER)
    schema.add_field(f"{CONTEXT}_bm25", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(
        Function(
            name=f"{CONTEXT}_bm25_fn",
            function_type=FunctionType.BM25,
            input_field_names=[CONTEXT],
            output_field_names=[f"{CONTEXT}_bm25"],
        )
    )
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    return schema


def sentence_indexes(client: MilvusClient) -> Any:
    params = client.prepare_index_params()
    params.add_index("vector", index_type="FLAT", metric_type="IP")
    params.add_index(f"{CONTEXT}_bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25_PARAMS)
    return params


def document_schema(client: MilvusClient) -> Any:
    schema = client.create_schema(auto_id=False)
    schema.add_field("doc_id", DataType.VARCHAR, is_primary=True, max_length=ID_BYTES)
    schema.add_field("path", DataType.VARCHAR, max_length=ID_BYTES)
    schema.add_field("checksum", DataType.VARCHAR, max_length=64)
    schema.add_field("encoding", DataType.VARCHAR, max_length=32)
    for name in ("characters", "sentences", "paragraphs"):
        schema.add_field(name, DataType.INT64)
    schema.add_field("sections", DataType.VARCHAR, max_length=PARAGRAPH_BYTES)  # JSON list, reading order
    schema.add_field("placeholder", DataType.FLOAT_VECTOR, dim=len(PLACEHOLDER))
    return schema


def document_indexes(client: MilvusClient) -> Any:
    params = client.prepare_index_params()
    params.add_index("placeholder", index_type="FLAT", metric_type="L2")
    return params
