#!/usr/bin/env python3
"""Reading JSON values and the worker's log for test/worker/e2e/run.sh and
test/bench/b7.sh. Standard library only.

  check.py get JSON PATH          the value at PATH (keys and indexes joined by
                                  dots: speech.words.0.word); nothing for null or
                                  missing; objects and arrays as JSON
  check.py true EXPRESSION        exit 0 when the Python expression is true
  check.py log-events FILE        one line per JSON log line: "EVENT SESSION_ID"
  check.py log-has FILE EVENT [SESSION_ID]
                                  exit 0 when such a line exists
  check.py log-sessions FILE EVENT
                                  the session ids of EVENT lines, one a line
  check.py log-field FILE EVENT FIELD [SESSION_ID]
                                  FIELD of the last such line
  check.py log-bad FILE           the lines that are not a JSON object with a
                                  string "event" (sanitizer reports excluded:
                                  run.sh checks those itself), one a line
"""
import json
import sys


def get(value, path):
    for key in [k for k in path.split(".") if k]:
        if isinstance(value, list):
            try:
                value = value[int(key)]
            except (ValueError, IndexError):
                return None
        elif isinstance(value, dict):
            value = value.get(key)
        else:
            return None
    return value


def show(value):
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def log_lines(path):
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            try:
                obj = json.loads(line)
            except ValueError:
                yield line, None
                continue
            yield line, obj if isinstance(obj, dict) else None


def matching(path, event, session=None):
    for _, obj in log_lines(path):
        if obj is not None and obj.get("event") == event and (session is None or obj.get("session_id") == session):
            yield obj


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "get":
        print(show(get(json.loads(args[0]) if args[0] else None, args[1])))
    elif cmd == "true":
        sys.exit(0 if eval(args[0], {"abs": abs, "min": min, "max": max}) else 1)
    elif cmd == "log-events":
        for _, obj in log_lines(args[0]):
            if obj is not None:
                print(obj.get("event"), obj.get("session_id") or "")
    elif cmd == "log-has":
        sys.exit(0 if any(matching(args[0], args[1], args[2] if len(args) > 2 else None)) else 1)
    elif cmd == "log-sessions":
        for obj in matching(args[0], args[1]):
            if obj.get("session_id"):
                print(obj["session_id"])
    elif cmd == "log-field":
        last = None
        for obj in matching(args[0], args[1], args[3] if len(args) > 3 else None):
            last = obj.get(args[2])
        print(show(last))
    elif cmd == "log-bad":
        sanitizer = ("==", "SUMMARY:", "    #", "Direct leak", "Indirect leak", "HINT:", "Shadow", "  ")
        for line, obj in log_lines(args[0]):
            if obj is None or not isinstance(obj.get("event"), str):
                if line and not line.startswith(sanitizer) and "runtime error:" not in line:
                    print(line)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
