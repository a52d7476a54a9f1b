#!/usr/bin/env python3
"""A local HTTP endpoint for the demo: answers every POST with 202 and appends one JSON line
(the path and the body) to a file, so the demo can show the alerts the tool sent.

    scripts/http-sink.py PORT_FILE OUT_FILE   # binds 127.0.0.1 on a free port, writes it to PORT_FILE
"""
import http.server
import json
import sys


class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "a", encoding="utf-8") as out:
            out.write(json.dumps({"path": self.path, "body": json.loads(body or b"null")}) + "\n")
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Sink)
with open(sys.argv[1], "w", encoding="utf-8") as port:
    port.write(str(server.server_address[1]))
server.serve_forever()
