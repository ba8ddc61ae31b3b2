/** No session file, or a session file that cannot be used; the CLI exits with 3. */
export class NotLoggedInError extends Error {
  override readonly name = "NotLoggedInError";
}
