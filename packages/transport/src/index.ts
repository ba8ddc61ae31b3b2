export { BodyCollector, type BodyCollectorOptions } from "./body-collector.js";
export { createDeadline, type Deadline, type DeadlineOptions } from "./deadline.js";
export { describeNetworkFailure } from "./error-codes.js";
export { guardResponseStream } from "./guard-stream.js";
export { normalizeHeaders } from "./headers.js";
export { createNetworkError } from "./network-failure.js";
export { type EncodedRequestBody, encodeRequestBody } from "./request-body.js";
export { parseRequestUrl } from "./request-url.js";
export { createTransportResponse, type TransportResponseInit } from "./response.js";
export type {
  HttpMethod,
  Transport,
  TransportRequest,
  TransportResponse,
} from "./types.js";
