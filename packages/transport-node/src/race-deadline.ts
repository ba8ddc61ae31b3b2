import type { Deadline } from "@proton/transport";
import type { Dispatcher } from "undici";

/**
 * Settles with `pending`, or rejects with the deadline's error as soon as the deadline or the
 * caller aborts. undici does not end a request that is still waiting for its TCP connection or
 * TLS handshake when its signal aborts, so without this race a server that never completes the
 * handshake keeps the request waiting until `connectTimeoutMs`. A response that arrives after the abort
 * is discarded, which releases its connection.
 */
export function raceDeadline(
  pending: Promise<Dispatcher.ResponseData>,
  deadline: Deadline,
): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    let settled = false;

    deadline.onAbort(() => {
      if (settled) {
        return;
      }
      settled = true;
      reject(deadline.abortError());
      pending.then(
        (late) => late.body.destroy(),
        () => undefined,
      );
    });

    pending.then(
      (response) => {
        if (settled) {
          return;
        }
        settled = true;
        resolve(response);
      },
      (error: unknown) => {
        if (settled) {
          return;
        }
        settled = true;
        reject(error);
      },
    );
  });
}
