#!/usr/bin/env bash
# Install everything the tests need and run the suite, differential tests
# against the real ovn-northd 23.03.1 included, on every core (pytest-xdist;
# each differential test has its own sandbox). The heavy end-to-end cases
# run on a sample; --all-cases runs every one of them (the slower job).
#   bash scripts/test.sh [--all-cases] [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v ovn-northd >/dev/null 2>&1; then
    echo "ovn-northd not found: installing ovn-central (the reference) from apt" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ovn-central >/dev/null
fi
if ! command -v ovn-controller >/dev/null 2>&1 || ! command -v ovs-vswitchd >/dev/null 2>&1; then
    # the end-to-end test runs its own private ovn-controller and ovs-vswitchd
    echo "ovn-controller not found: installing ovn-host and openvswitch-switch from apt" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ovn-host openvswitch-switch >/dev/null
fi
if ! command -v java >/dev/null 2>&1; then
    # the Spark engine's tests run Spark, which needs a Java runtime
    echo "java not found: installing default-jre-headless from apt" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
fi

# the suite runs against relnorthd installed from a wheel built from the tree,
# as users install it (not the source tree: PYTHONSAFEPATH keeps the current
# directory off sys.path, in pytest-xdist's workers and every subprocess too);
# `pip install -e .` gives back an editable install
PIP="python3 -m pip -q --disable-pip-version-check"
rm -rf .wheel
$PIP wheel --no-deps -w .wheel .
WHEEL=$(ls .wheel/relnorthd-*.whl)
$PIP install "$WHEEL[dev,spark]"
$PIP install --force-reinstall --no-deps "$WHEEL"
python3 -m ruff check relnorthd tests benchmarks examples scripts
RELNORTHD_TEST_INSTALL=wheel PYTHONSAFEPATH=1 exec python3 -m pytest -q -n auto --dist worksteal "$@"
