"""A keep-alive HTTP/1.1 origin (Python's http.server) for the forward proxy's connection reuse tests.

Prints its port, then "conn" for every connection it accepts (the test counts them). argv[1]: seconds an idle
connection is kept (http.server closes it after that), 0 for no limit.

  GET|HEAD /len/<text>  200, Content-Length, body <text>
  GET /chunked          200, Transfer-Encoding: chunked, body "hello world" in two chunks
  GET /nolength         200 with neither length nor chunked: the body ends when the connection closes
  GET /204              204, no body
  GET /drop-next        200 like /len; the next request on this connection is read and the connection closed
                        without an answer (an origin giving up on an idle connection as the request arrives)
"""
import http.server
import sys


class Origin(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = float(sys.argv[1]) or None

    def setup(self):
        super().setup()
        self.drop_next = False
        print("conn", flush=True)

    def answer(self, body):
        if self.drop_next:
            self.close_connection = True
            return
        if self.path.startswith("/len/"):
            self.send(200, body or self.path[5:].encode())
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
        elif self.path == "/nolength":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"until the close")
            self.close_connection = True
        elif self.path == "/204":
            self.send_response(204)
            self.end_headers()
        elif self.path == "/drop-next":
            self.send(200, b"dropping next")
            self.drop_next = True
        else:
            self.send(404, b"no " + self.path.encode())

    def send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        self.answer(None)

    def do_HEAD(self):
        self.answer(None)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.answer(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Origin)
print(server.server_address[1], flush=True)
server.serve_forever()
