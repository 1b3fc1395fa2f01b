"""Mirror unit tests: schema-driven Arrow types, OVSDB diffs, bad input."""
import errno
import itertools
import json
import logging

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbfiles import SHAPES_SCHEMA, U1, U2, U3, record, write_db
from relnorthd import mirror
from relnorthd.mirror import MirrorError
from relnorthd.mirror import rows
from relnorthd.mirror.live import Connection, _Depth
from relnorthd.mirror.rows import DatumError
from relnorthd.mirror.schema import Column


def _thing(db):
    return db["Thing"].to_pylist()


def test_every_column_shape_gets_its_arrow_type(tmp_path):
    db = mirror.load(write_db(tmp_path / "a.db", SHAPES_SCHEMA, []))
    schema = db["Thing"].schema
    assert schema.names[0] == "_uuid"
    assert schema.field("name").type == pa.string() and not schema.field("name").nullable
    assert schema.field("count").type == pa.int64()
    assert schema.field("ratio").type == pa.float64()
    assert schema.field("flag").type == pa.bool_()
    assert schema.field("maybe").type == pa.bool_() and schema.field("maybe").nullable
    assert schema.field("ref").type == pa.string()
    assert schema.field("refs").type == pa.list_(pa.string())
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("options").type == pa.map_(pa.string(), pa.string())
    assert schema.field("weights").type == pa.map_(pa.string(), pa.int64())
    assert db["Thing"].num_rows == 0 and db["Other"].num_rows == 0   # empty tables present


def test_defaults_and_values(tmp_path):
    txn = {"Thing": {U1: {"name": "a", "ratio": 2, "refs": ["set", [["uuid", U3], ["uuid", U2]]],
                          "tags": "solo", "options": ["map", [["k", "v"]]],
                          "ref": ["uuid", U2]},
                     U2: {}}}
    rows = _thing(mirror.load(write_db(tmp_path / "a.db", SHAPES_SCHEMA, [txn])))
    a, empty = rows
    assert a["_uuid"] == U1 and a["name"] == "a" and a["ratio"] == 2.0
    assert a["refs"] == [U2, U3]                    # sets in OVSDB datum order
    assert a["tags"] == ["solo"]                    # a lone atom is a one-element set
    assert a["options"] == [("k", "v")] and a["ref"] == U2
    assert empty == {"_uuid": U2, "name": "", "count": 0, "ratio": 0.0, "flag": False,
                     "maybe": None, "ref": None, "refs": [], "tags": [], "options": [],
                     "weights": []}


def test_is_diff_records_patch_sets_maps_and_optionals(tmp_path):
    txns = [
        {"Thing": {U1: {"name": "a", "maybe": True, "tags": ["set", ["x", "y"]],
                        "options": ["map", [["a", "1"], ["b", "2"]]]}}, "_is_diff": True},
        {"Thing": {U1: {"name": "b", "maybe": ["set", [False, True]], "tags": ["set", ["y", "z"]],
                        "options": ["map", [["a", "9"], ["b", "2"], ["c", "3"]]]}},
         "_is_diff": True},
    ]
    (row,) = _thing(mirror.load(write_db(tmp_path / "a.db", SHAPES_SCHEMA, txns)))
    assert row["name"] == "b"                       # scalars are replaced
    assert row["maybe"] is False                    # {true} xor {false, true}
    assert row["tags"] == ["x", "z"]                # symmetric difference
    assert row["options"] == [("a", "9"), ("c", "3")]   # replace, remove, add


def test_records_without_is_diff_replace_whole_values(tmp_path):
    txns = [{"Thing": {U1: {"tags": ["set", ["x", "y"]]}}},
            {"Thing": {U1: {"tags": ["set", ["y"]]}}}]
    (row,) = _thing(mirror.load(write_db(tmp_path / "a.db", SHAPES_SCHEMA, txns)))
    assert row["tags"] == ["y"]


def test_deleted_rows_are_gone(tmp_path):
    txns = [{"Thing": {U1: {"name": "a"}, U2: {"name": "b"}}}, {"Thing": {U1: None}}]
    rows = _thing(mirror.load(write_db(tmp_path / "a.db", SHAPES_SCHEMA, txns)))
    assert [r["name"] for r in rows] == ["b"]


def test_truncated_last_record_is_ignored_with_a_warning(tmp_path, caplog):
    path = write_db(tmp_path / "a.db", SHAPES_SCHEMA, [{"Thing": {U1: {"name": "a"}}}])
    path.write_bytes(path.read_bytes() + record({"Thing": {U2: {"name": "b"}}})[:-20])
    with caplog.at_level(logging.WARNING):
        rows = _thing(mirror.load(path))
    assert [r["name"] for r in rows] == ["a"]
    assert "truncated record" in caplog.text


def test_corrupt_record_in_the_middle_is_an_error(tmp_path):
    good = record({"Thing": {U2: {"name": "b"}}})
    bad = record({"Thing": {U1: {"name": "a"}}}).replace(b'"a"', b'"x"')   # checksum now wrong
    path = tmp_path / "a.db"
    path.write_bytes(record(SHAPES_SCHEMA) + bad + good)
    with pytest.raises(MirrorError, match=r"a\.db: corrupt record at offset \d+: checksum"):
        mirror.load(path)


def test_datum_of_the_wrong_type_is_an_error(tmp_path):
    path = write_db(tmp_path / "a.db", SHAPES_SCHEMA, [{"Thing": {U1: {"count": "many"}}}])
    with pytest.raises(MirrorError, match="corrupt record .* column count: expected integer"):
        mirror.load(path)


def test_not_an_ovsdb_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    with pytest.raises(MirrorError, match="notes.txt: not an OVSDB standalone database file"):
        mirror.load(path)


def test_empty_file(tmp_path):
    (tmp_path / "e.db").write_bytes(b"")
    with pytest.raises(MirrorError, match="empty file"):
        mirror.load(tmp_path / "e.db")


def test_missing_file(tmp_path):
    with pytest.raises(MirrorError, match="nope.db: cannot read"):
        mirror.load(tmp_path / "nope.db")


def test_wrong_database(tmp_path):
    schema = dict(SHAPES_SCHEMA, name="OVN_Southbound")
    with pytest.raises(MirrorError, match="holds OVN_Southbound, not the OVN_Northbound database"):
        mirror.load(write_db(tmp_path / "sb.db", schema, []), mirror.NB)


def test_unreachable_server(tmp_path):
    with pytest.raises(MirrorError, match=r"unix:.*nb\.sock: cannot connect"):
        mirror.load(f"unix:{tmp_path / 'nb.sock'}", mirror.NB)


def test_environment_default(monkeypatch, tmp_path):
    path = write_db(tmp_path / "a.db", SHAPES_SCHEMA, [])
    monkeypatch.setenv("OVN_NB_DB", str(path))
    assert mirror.load(None).source == str(path)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab{}[]"\\\n:,é'),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(alphabet='k{}"\\]', max_size=3), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=2), _JSON, max_size=3), min_size=1, max_size=3),
       st.lists(st.integers(min_value=1, max_value=10_000), max_size=12))
def test_messages_are_framed_whole_whatever_the_pieces(messages, cuts):
    """The live connection's framing: bracket depth 0 (and no string left
    open) exactly at the end of each message, however its bytes are cut
    (inside a character too)."""
    texts = [json.dumps(m, ensure_ascii=False).encode() for m in messages]
    text = b"".join(texts)
    ends = set(itertools.accumulate(len(t) for t in texts))
    bounds = sorted({c % len(text) for c in cuts} | ends | {0})
    depth = _Depth()
    for start, stop in itertools.pairwise(bounds):
        depth.feed(text[start:stop])
        assert depth.complete == (stop in ends), text[:stop]


_ATOMS = {"string": st.text(max_size=3), "integer": st.integers(), "boolean": st.booleans(),
          "real": st.floats(allow_nan=False), "uuid": st.sampled_from(["u1", "u2"]).map(
              lambda u: ["uuid", u])}
_ANY_ATOM = st.one_of(*_ATOMS.values())


@st.composite
def _column_and_datum(draw):
    kind = draw(st.sampled_from(["scalar", "optional", "set", "map"]))
    key = draw(st.sampled_from(sorted(_ATOMS)))
    value = draw(st.sampled_from(sorted(_ATOMS))) if kind == "map" else None
    column = Column("c", kind, key, value)
    atom = _ATOMS[key] | _ANY_ATOM              # mostly well-formed, sometimes not
    if kind == "map":
        pairs = st.lists(st.tuples(atom, _ATOMS[value] | _ANY_ATOM).map(list), max_size=3)
        datum = draw(pairs.map(lambda p: ["map", p]) | _ANY_ATOM)
    else:
        datum = draw(atom | st.lists(atom, max_size=3).map(lambda a: ["set", a]))
    return column, datum


@settings(max_examples=500, deadline=None)
@given(_column_and_datum())
def test_fast_decoders_agree_with_the_atom_by_atom_decoder(case):
    column, datum = case
    try:
        want = rows._decode(column, datum)
    except DatumError:
        with pytest.raises(DatumError):
            rows.decode(column, datum)
        return
    assert rows.decode(column, datum) == want


class _Pieces:
    """A stream that hands out `pieces` one recv at a time (None: nothing
    to read yet)."""
    name = "pieces"

    def __init__(self, pieces):
        self.pieces = list(pieces)

    def recv(self, n):
        piece = self.pieces.pop(0) if self.pieces else None
        return (errno.EAGAIN, b"") if piece is None else (0, piece)


def test_connection_takes_messages_whole_one_at_a_time():
    update = {"id": None, "method": "update", "params": ["x", {"T": {"u": {"new": {"m": "é}{"}}}}]}
    reply = {"id": 1, "result": [{}], "error": None}
    text = (json.dumps(update, ensure_ascii=False) + json.dumps(reply)).encode()
    cut = text.index("é".encode()) + 1            # inside a character, inside a string
    conn = Connection(_Pieces([text[:cut], None, text[cut:]]))
    assert conn.recv() == (errno.EAGAIN, None)    # half of a message
    _, first = conn.recv()
    _, second = conn.recv()
    assert (first.method, first.params) == ("update", update["params"])
    assert (second.id, second.result) == (1, [{}])
    assert conn.recv() == (errno.EAGAIN, None)


@settings(max_examples=40)
@given(params=st.lists(st.integers(-2**62, 2**62) | st.text(max_size=5), max_size=3),
       tail=st.lists(st.dictionaries(st.text(max_size=3), st.integers(-2**62, 2**62),
                                     max_size=2), max_size=3))
def test_a_request_tail_of_json_text_joins_its_params(params, tail):
    """Operations sent as text (sbsync.Plan.inserts) follow the others in
    the request's params."""
    import ovs.jsonrpc

    from relnorthd.mirror.live import _encode
    msg = ovs.jsonrpc.Message.create_request("transact", params)
    text = ",".join(json.dumps(t) for t in tail)
    assert json.loads(_encode(msg, text)) == {"id": msg.id, "method": "transact",
                                              "params": params + tail}
