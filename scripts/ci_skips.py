"""Fail when the PostgreSQL + Redis pass skipped any test (service tests must run in CI)."""

import sys
import xml.etree.ElementTree as ET


def main(path):
    root = ET.parse(path).getroot()
    skipped = []
    total = 0
    for case in root.iter("testcase"):
        total += 1
        node = case.find("skipped")
        if node is not None:
            skipped.append(f"{case.get('classname')}::{case.get('name')}: {node.get('message', '')}")
    if total == 0:
        print("no test cases in", path)
        return 1
    if skipped:
        print(f"{len(skipped)} test(s) skipped on PostgreSQL + Redis under CI=true:")
        print("\n".join(skipped))
        return 1
    print(f"{total} tests ran on PostgreSQL + Redis, none skipped.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
