/**
 * Proton's SRP modulus signing key (Ed25519, fingerprint 248097092b458509c508dac0350585c4e9518f26),
 * as published in ProtonMail/proton-python-client proton/constants.py (`SRP_MODULUS_KEY`),
 * ProtonMail/go-srp srp.go and ProtonMail/WebClients packages/srp.
 */
export const PROTON_MODULUS_KEY: string =
  "-----BEGIN PGP PUBLIC KEY BLOCK-----\n" +
  "\n" +
  "xjMEXAHLgxYJKwYBBAHaRw8BAQdAFurWXXwjTemqjD7CXjXVyKf0of7n9Ctm\n" +
  "L8v9enkzggHNEnByb3RvbkBzcnAubW9kdWx1c8J3BBAWCgApBQJcAcuDBgsJ\n" +
  "BwgDAgkQNQWFxOlRjyYEFQgKAgMWAgECGQECGwMCHgEAAPGRAP9sauJsW12U\n" +
  "MnTQUZpsbJb53d0Wv55mZIIiJL2XulpWPQD/V6NglBd96lZKBmInSXX/kXat\n" +
  "Sv+y0io+LR8i2+jV+AbOOARcAcuDEgorBgEEAZdVAQUBAQdAeJHUz1c9+KfE\n" +
  "kSIgcBRE3WuXC4oj5a2/U3oASExGDW4DAQgHwmEEGBYIABMFAlwBy4MJEDUF\n" +
  "hcTpUY8mAhsMAAD/XQD8DxNI6E78meodQI+wLsrKLeHn32iLvUqJbVDhfWSU\n" +
  "WO4BAMcm1u02t4VKw++ttECPt+HUgPUq5pqQWe5Q2cW4TMsE\n" +
  "=Y4Mw\n" +
  "-----END PGP PUBLIC KEY BLOCK-----";
