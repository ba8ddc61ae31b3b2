/** Field names whose values are credentials or keys, in any API reply. */
const SECRET_FIELD = /(token|privatekey|password|passphrase|secret|recoverycodes?)$/i;

/**
 * Formats an API reply as indented JSON with credential and key fields replaced by
 * "[REDACTED]": any field whose name ends, in any case, in `Token` (`AccessToken`,
 * `refresh_token`), `PrivateKey`, `Password`, `Passphrase`, `Secret` or `RecoveryCodes`.
 */
export function formatReply(reply: unknown): string {
  return JSON.stringify(
    reply,
    (name, value: unknown) =>
      SECRET_FIELD.test(name) && value !== null && value !== "" ? "[REDACTED]" : value,
    2,
  );
}
