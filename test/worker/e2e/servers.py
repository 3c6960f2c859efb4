#!/usr/bin/env python3
"""Small HTTP servers for the evaluation worker's end-to-end test
(test/worker/e2e/run.sh). Each binds 127.0.0.1 on a free port and writes
the port to PORTFILE once it listens. Standard library only.

  servers.py files DIR PORTFILE
      GET /NAME serves DIR/NAME; anything else is 404 (python3 -m http.server's
      handler, quiet).

  servers.py stt PORTFILE REQUESTLOG TRANSCRIPT DURATION_S
      An OpenAI-compatible speech-to-text endpoint:
      POST /v1/audio/transcriptions (multipart/form-data) answers the
      verbose_json shape, {"task", "language", "duration", "text", "words":
      [{"word", "start", "end"}], "segments"}, for TRANSCRIPT, its words spread
      evenly over DURATION_S. Every request is appended to REQUESTLOG as one
      JSON line: path, headers, the form's fields, and for each file part its
      field name, filename, content type and size.
"""
import email.parser
import email.policy
import functools
import http.server
import json
import sys


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def parse_multipart(content_type, body):
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    fields, files = {}, []
    if not msg.is_multipart():
        return fields, files
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_param("filename", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            files.append({"field": name, "filename": filename, "content_type": part.get_content_type(),
                          "bytes": len(payload), "head": payload[:4].hex()})
        else:
            fields.setdefault(name, []).append(payload.decode("utf-8", "replace"))
    return fields, files


def stt_handler(log_path, transcript, duration_s):
    words = transcript.split()
    step = duration_s / max(1, len(words))

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            fields, files = parse_multipart(self.headers.get("Content-Type", ""), body)
            with open(log_path, "a") as f:
                f.write(json.dumps({"path": self.path, "headers": dict(self.headers.items()),
                                    "fields": fields, "files": files}) + "\n")
            if self.path.split("?")[0] != "/v1/audio/transcriptions":
                self.answer(404, {"error": {"message": "not found"}})
                return
            self.answer(200, {
                "task": "transcribe", "language": "english", "duration": duration_s, "text": transcript,
                "words": [{"word": w, "start": round(i * step, 3), "end": round(i * step + step * 0.8, 3)}
                          for i, w in enumerate(words)],
                "segments": [{"id": 0, "start": 0.0, "end": duration_s, "text": transcript}],
            })

        def answer(self, status, obj):
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def serve(handler, port_file):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


def main(argv):
    if len(argv) >= 4 and argv[1] == "files":
        serve(functools.partial(Quiet, directory=argv[2]), argv[3])
    elif len(argv) >= 6 and argv[1] == "stt":
        serve(stt_handler(argv[3], argv[4], float(argv[5])), argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
