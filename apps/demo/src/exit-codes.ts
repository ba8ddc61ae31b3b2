/**
 * Exit codes of the demo CLI. Scripts can branch on them; `--help` and the README list them.
 */
export const EXIT_CODES = Object.freeze({
  /** Every demo step passed, or the command succeeded. */
  ok: 0,
  /** A demo step failed, the prompt was cancelled, or an error that no other code covers. */
  failure: 1,
  /** Invalid command line: an unknown option, a missing argument or an invalid value. */
  usage: 2,
  /** No session file, or the session has ended: log in again. */
  notLoggedIn: 3,
  /** Login rejected: wrong username, password or 2FA code, or the account is unavailable. */
  loginRejected: 4,
  /** The API requires human verification, or rejected the verification token. */
  humanVerification: 5,
  /** The API throttled the request: wait and try again. */
  throttled: 6,
  /** The connection failed: network error, timeout, TLS or certificate pin mismatch. */
  connection: 7,
  /** The API returned another error, or a response the client cannot read. */
  api: 8,
  /** The default run was interrupted with Ctrl+C (128 plus the number of SIGINT, as shells report it). */
  interrupted: 130,
});

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit-code table as `--help` prints it. */
export const EXIT_CODES_HELP = `Exit codes:
    0  success (the default run: every step passed)
    1  a demo step failed, the prompt was cancelled (Ctrl+C), or an unexpected error
    2  invalid command line
    3  not logged in, or the session has ended: run login again
    4  login rejected: wrong username, password or 2FA code, or account unavailable
    5  human verification required, or the verification token was rejected
    6  throttled by the API: wait and try again
    7  connection failed: network, timeout, TLS or certificate pin mismatch
    8  other API error or unreadable response
  130  the default run was interrupted (Ctrl+C)`;
