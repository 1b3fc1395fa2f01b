"""The generic SB row sync (relnorthd/syncsql.py): a table's desired rows
plus its sbtables.TABLES entry are all it takes. Fake desired rows, handed
to sbsync.plan as a sql/sb/<Table>.sql result would be, for declared
tables (Chassis_Template_Var, DNS, Meter with inline Meter_Band rows,
RBAC_Role with a map of inline RBAC_Permission rows, HA_Chassis_Group with
inline HA_Chassis rows naming chassis, IP_Multicast keyed by a datapath
that is new in the same transaction): after the plan's transaction on a real SB,
SB's rows equal the desired ones in canonical form (sbtables), replanning
writes nothing, a change writes only the columns that differ, duplicates
keep the smallest uuid, and a table without desired rows is left alone."""
import pyarrow as pa
import pytest

from relnorthd import mirror
from relnorthd.mirror.session import Session
from relnorthd.pipeline import compute
from relnorthd.reference import Sandbox
from relnorthd.sbsync import plan
from relnorthd.sbtables import Canonical, canonical_table

pytestmark = pytest.mark.usefixtures("reference_available")

STR_MAP = pa.map_(pa.string(), pa.string())
BAND = pa.struct([("action", pa.string()), ("rate", pa.int64()), ("burst_size", pa.int64())])
METER = pa.schema([("name", pa.string()), ("unit", pa.string()), ("bands", pa.list_(BAND))])
HA = pa.struct([("chassis", pa.string()), ("priority", pa.int64()), ("external_ids", STR_MAP)])
HA_GROUP = pa.schema([("name", pa.string()), ("ha_chassis", pa.list_(HA)),
                      ("ref_chassis", pa.list_(pa.string()))])
TEMPLATE_VARS = pa.schema([("chassis", pa.string()), ("variables", STR_MAP)])
DNS = pa.schema([("external_ids", STR_MAP), ("records", STR_MAP),
                 ("datapaths", pa.list_(pa.string()))])
PERMISSION = pa.struct([("table", pa.string()), ("authorization", pa.list_(pa.string())),
                        ("insert_delete", pa.bool_()), ("update", pa.list_(pa.string()))])
RBAC_ROLE = pa.schema([("name", pa.string()), ("permissions", pa.map_(pa.string(), PERMISSION))])
IP_MCAST = pa.schema([("datapath", pa.string()), ("enabled", pa.bool_()),
                      ("table_size", pa.int64())])


@pytest.fixture(scope="module")
def box():
    with Sandbox(northd=False) as box:
        box.sbctl("chassis-add", "hv1", "geneve", "127.0.0.1")
        box.sbctl("chassis-add", "hv2", "geneve", "127.0.0.2")
        session = Session(box.sb_remote, "OVN_Southbound")
        box.session = session
        box.computed = (None, None)
        try:
            yield box
        finally:
            session.close()


def dbs(box):
    return mirror.load(box.nb_remote, mirror.NB), \
        mirror.load(box.sb_remote, mirror.SB)


def sync(box, without=(), **rows):
    """Plan with these desired rows (table -> pylist, with its schema) on
    top of what the NB computes, `without` tables' rows (as if they had no
    sql/sb file), commit it -> the plan."""
    nb_db, sb_db = dbs(box)
    switches = repr(nb_db["Logical_Switch"].to_pylist())   # the only NB changes here
    if box.computed[0] != switches:
        box.computed = (switches, compute(nb_db, sb_db))
    result = box.computed[1]
    desired = {t: pa.Table.from_pylist(r, schema) for t, (schema, r) in rows.items()}
    sb_rows = {t: r for t, r in result.sb_rows.items() if t not in without}
    p = plan(result.grouped, {**sb_rows, **desired}, nb_db, sb_db)
    box.session.transact(p.ops, p.inserts)
    return p


def assert_sb_has(box, table, schema, rows):
    sb_db = dbs(box)[1]
    want = canonical_table(pa.Table.from_pylist(rows, schema), table, sb_db)
    assert [{c: r[c] for c in schema.names} for r in Canonical(sb_db).rows(table)] == want


def test_keyed_table_inserts_updates_and_deletes(box):
    rows = [{"chassis": "hv1", "variables": {"vip": "10.0.0.1"}},
            {"chassis": "hv2", "variables": {}}]
    p = sync(box, Chassis_Template_Var=(TEMPLATE_VARS, rows))
    assert p.counts["Chassis_Template_Var"] == {"insert": 2}
    assert_sb_has(box, "Chassis_Template_Var", TEMPLATE_VARS, rows)
    again = sync(box, Chassis_Template_Var=(TEMPLATE_VARS, rows))
    assert "Chassis_Template_Var" not in again.counts

    rows[0]["variables"] = {"vip": "10.0.0.2"}
    p = sync(box, Chassis_Template_Var=(TEMPLATE_VARS, rows))
    (op,) = [o for o in p.ops if o["table"] == "Chassis_Template_Var"]
    assert op["op"] == "update" and op["row"] == {"variables": ["map", [["vip", "10.0.0.2"]]]}

    assert sync(box, Chassis_Template_Var=(TEMPLATE_VARS, [])).counts["Chassis_Template_Var"] \
        == {"delete": 2}


def test_inline_rows_of_a_table_without_a_file(box):
    box.session.transact([
        {"op": "insert", "table": "Meter_Band", "uuid-name": "b",
         "row": {"action": "drop", "rate": 5}},
        {"op": "insert", "table": "Meter", "row": {"name": "other", "unit": "kbps",
                                                   "bands": ["named-uuid", "b"]}}])
    assert "Meter" not in sync(box, without=["Meter"]).counts    # no file: not synced
    meters = [{"name": "m1", "unit": "pktps",
               "bands": [{"action": "drop", "rate": 10, "burst_size": 0},
                         {"action": "drop", "rate": 20, "burst_size": 3}]},
              {"name": "m2", "unit": "kbps",
               "bands": [{"action": "drop", "rate": 10, "burst_size": 0}]}]
    p = sync(box, Meter=(METER, meters))
    assert p.counts["Meter"] == {"insert": 2, "delete": 1}
    assert p.counts["Meter_Band"] == {"insert": 3}       # the old band goes by itself
    assert_sb_has(box, "Meter", METER, meters)
    assert not {"Meter", "Meter_Band"} & set(sync(box, Meter=(METER, meters)).counts)

    meters[0]["bands"][1]["rate"] = 30
    p = sync(box, Meter=(METER, meters))
    assert p.counts["Meter"] == {"update": 1}
    assert p.counts["Meter_Band"] == {"insert": 2}
    assert_sb_has(box, "Meter", METER, meters)
    assert dbs(box)[1]["Meter_Band"].num_rows == 3


def test_inline_rows_in_a_map_of_a_root_table(box):
    def permission(table, update):
        return {"table": table, "authorization": ["name"], "insert_delete": True,
                "update": update}
    roles = [{"name": "ovn-controller",
              "permissions": [("Chassis", permission("Chassis", ["nb_cfg", "encaps"])),
                              ("Encap", permission("Encap", []))]}]
    p = sync(box, RBAC_Role=(RBAC_ROLE, roles))        # (in place of the computed role)
    assert p.counts["RBAC_Permission"]["insert"] == 2
    assert_sb_has(box, "RBAC_Role", RBAC_ROLE, roles)
    assert not {"RBAC_Role", "RBAC_Permission"} & set(sync(box, RBAC_Role=(RBAC_ROLE, roles))
                                                      .counts)
    roles[0]["permissions"][0][1]["update"] = ["nb_cfg"]
    p = sync(box, RBAC_Role=(RBAC_ROLE, roles))        # a root table: the old rows deleted
    assert p.counts["RBAC_Role"] == {"update": 1}
    assert p.counts["RBAC_Permission"] == {"insert": 2, "delete": 2}
    assert_sb_has(box, "RBAC_Role", RBAC_ROLE, roles)
    assert dbs(box)[1]["RBAC_Permission"].num_rows == 2


def test_inline_rows_naming_chassis(box):
    groups = [{"name": "g1", "ref_chassis": ["hv1", "hv2"],
               "ha_chassis": [{"chassis": "hv1", "priority": 20, "external_ids": {}},
                              {"chassis": "hv2", "priority": 10, "external_ids": {}}]}]
    p = sync(box, HA_Chassis_Group=(HA_GROUP, groups))
    assert p.counts["HA_Chassis_Group"] == {"insert": 1}
    assert_sb_has(box, "HA_Chassis_Group", HA_GROUP, groups)
    assert "HA_Chassis" not in sync(box, HA_Chassis_Group=(HA_GROUP, groups)).counts

    groups[0]["ref_chassis"] = ["hv1"]
    p = sync(box, HA_Chassis_Group=(HA_GROUP, groups))
    (op,) = [o for o in p.ops if o["table"].startswith("HA_")]
    assert op["op"] == "update" and list(op["row"]) == ["ref_chassis"]
    assert_sb_has(box, "HA_Chassis_Group", HA_GROUP, groups)

    groups[0]["ha_chassis"] = []                        # no inline rows left
    sync(box, HA_Chassis_Group=(HA_GROUP, groups))
    assert_sb_has(box, "HA_Chassis_Group", HA_GROUP, groups)
    assert dbs(box)[1]["HA_Chassis"].num_rows == 0


def test_rows_on_a_new_datapath_and_on_one_that_goes(box):
    box.nbctl("ls-add", "sw-mc")
    sw = box.nbctl("get", "Logical_Switch", "sw-mc", "_uuid").strip()
    rows = [{"datapath": sw, "enabled": True, "table_size": 100}]
    p = sync(box, IP_Multicast=(IP_MCAST, rows))        # one transaction: both new
    assert p.counts["Datapath_Binding"] == {"insert": 1}
    assert p.counts["IP_Multicast"] == {"insert": 1}
    assert_sb_has(box, "IP_Multicast", IP_MCAST, rows)
    box.nbctl("ls-del", "sw-mc")                        # the datapath goes, its rows with it
    p = sync(box, IP_Multicast=(IP_MCAST, rows))
    assert p.counts["Datapath_Binding"] == {"delete": 1}
    assert p.counts["IP_Multicast"] == {"delete": 1}
    assert dbs(box)[1]["IP_Multicast"].num_rows == 0


def test_duplicates_keep_the_smallest_uuid(box):
    box.nbctl("ls-add", "sw-dns")
    sw = box.nbctl("get", "Logical_Switch", "sw-dns", "_uuid").strip()
    rows = [{"external_ids": {"dns_id": "d1"}, "records": {"a": "10.0.0.1"}, "datapaths": [sw]}]
    sync(box, DNS=(DNS, rows))
    dp = dbs(box)[1]["Datapath_Binding"].to_pylist()[0]["_uuid"]
    box.session.transact([{"op": "insert", "table": "DNS", "row": {      # another writer's
        "external_ids": ["map", [["dns_id", "d1"]]], "datapaths": ["uuid", dp]}}])
    uuids = sorted(r["_uuid"] for r in dbs(box)[1]["DNS"].to_pylist())
    p = sync(box, DNS=(DNS, rows))
    assert [o["where"][0][2][1] for o in p.ops
            if o["table"] == "DNS" and o["op"] == "delete"] == uuids[1:]
    assert [r["_uuid"] for r in dbs(box)[1]["DNS"].to_pylist()] == uuids[:1]
    assert_sb_has(box, "DNS", DNS, rows)
    box.nbctl("ls-del", "sw-dns")
    assert sync(box, DNS=(DNS, [])).counts["DNS"] == {"delete": 1}
