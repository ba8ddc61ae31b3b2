/** Field names whose values are credentials or keys, in any API reply. */
const SECRET_FIELD = /(Token|PrivateKey|Password|Secret)$/;

/**
 * Formats an API reply as indented JSON with credential and key fields (`AccessToken`,
 * `RefreshToken`, `PrivateKey`, and any field whose name ends in `Token`, `Password` or
 * `Secret`) replaced by "[REDACTED]", so a printed reply never shows a secret.
 */
export function formatReply(reply: unknown): string {
  return JSON.stringify(
    reply,
    (name, value: unknown) =>
      SECRET_FIELD.test(name) && value !== null && value !== "" ? "[REDACTED]" : value,
    2,
  );
}
