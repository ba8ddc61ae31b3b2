/**
 * A failure of the 2FA step of a login, wrapping the error in `cause`, so that code 8002 is
 * reported as a wrong 2FA code instead of a wrong password.
 */
export class TwoFactorFailure extends Error {
  override readonly name = "TwoFactorFailure";

  constructor(cause: unknown) {
    super("The 2FA step of the login failed.", { cause });
  }
}
