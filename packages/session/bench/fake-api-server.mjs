// Child process of session.bench.mjs: runs the fake API so its request handling does not share
// the event loop with the client being measured. Commands arrive as IPC messages.
import { startFakeApi } from "@proton/fake-api";

const users = JSON.parse(process.argv[2] ?? "[]");
const api = await startFakeApi({ users });

process.on("message", (message) => {
  if (message.type === "expire") {
    api.control.expireAccessTokens();
    process.send({ type: "expired" });
  } else if (message.type === "count") {
    const count = api.control.requestLog().filter((entry) => entry.route === message.route).length;
    api.control.clearRequestLog();
    process.send({ type: "count", count });
  }
});
process.on("disconnect", () => {
  void api.close();
});

process.send({ type: "ready", url: api.url, pin: api.pin, ca: api.ca });
