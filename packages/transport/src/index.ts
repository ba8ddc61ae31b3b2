export type {
  HttpMethod,
  Transport,
  TransportRequest,
  TransportResponse,
} from "./types.js";
