import { describeTransportBehaviour } from "../../transport/test/support/behaviour-suite.js";
import { caPem, pins } from "../../transport/test/support/tls-fixtures.js";
import { createNodeTransport } from "../src/index.js";

describeTransportBehaviour("createNodeTransport", {
  create: (options) =>
    createNodeTransport({ ca: caPem, pins: [pins.leaf], timeoutMs: options?.timeoutMs }),
});
