"""A tiny HTTPS server for the TLS tests: answers /spec.json with a one-operation Swagger 2.0 spec, and every
other GET with {"tls": true}.

Usage: tls_server.py CERT KEY [CLIENT_CA]. Prints the port it listens on, then serves until killed.
With CLIENT_CA, a client certificate signed by it is required.
"""
import http.server
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"tls": true}'
        if self.path == "/spec.json":
            body = (
                b'{"swagger": "2.0", "info": {"title": "tls check", "version": "1"}, "paths": {"/tls-check": {"get": '
                b'{"operationId": "TLSCheck", "produces": ["application/json"], "responses": {"200": {"description": "ok", '
                b'"schema": {"type": "object", "properties": {"tls": {"type": "boolean"}}}}}}}}}'
            )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
if len(sys.argv) > 3:
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(sys.argv[3])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
