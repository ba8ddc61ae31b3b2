// The loopback HTTPS server of the transport benchmark, run in a child process so it does not
// share the event loop with the clients. It sends its port to the parent over IPC.
import { readFileSync } from "node:fs";
import https from "node:https";

const fixtures = new URL("../../pinning/test/fixtures/tls/", import.meta.url);
const body = JSON.stringify({ Code: 1000, User: { ID: "bench", Name: "bench" } });

const server = https.createServer(
  {
    key: readFileSync(new URL("leaf.key", fixtures)),
    cert: readFileSync(new URL("leaf.pem", fixtures)),
    keepAliveTimeout: 60_000,
  },
  (request, response) => {
    const headers = { "content-type": "application/json", "content-length": body.length };
    if (request.url === "/close") {
      headers.connection = "close";
    }
    response.writeHead(200, headers);
    response.end(body);
  },
);

server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: server.address().port });
});
process.on("disconnect", () => server.close(() => process.exit(0)));
