/**
 * Proton-signed SRP moduli: PGP clear-signed messages whose body is the base64 of a 2048-bit
 * safe prime N in little-endian byte order. Each signature verifies against Proton's modulus key
 * (fingerprint 248097092b458509c508dac0350585c4e9518f26), so a client checks them exactly as it
 * checks the live API's moduli.
 */
export const SIGNED_MODULI: readonly string[] = [
  // ProtonMail/proton-python-client, tests/testdata.py (the modulus marked valid there).
  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n091HBWnHlR+qphOhmi9ZrTWMnPT/jXqWzUh7F8CShuXIfHe5srT4y3BoBi85N89ceDhety3oVKoaS9sTQ6hVoRjjCulEuNQ5L6uN+9jG/f3/c3yVYjl6d9P1ktLsS21p3+2dQEAcNP0SQvMIdJPva1aBWsaoHKA3nzOp7pCIJHRw2Xx7T8AwzndW8r6KcNeZSLltj3FBIbWmKsaA8d3x+Db2D4M2Rngdf/eW2CQ39RlMvPdefMISs3jKSwduCJKCKbhYh6WSCjpgXrombuYIiMynfx38IibvSIURLOhXC9JKXY0k+bCPxZpt5iloe/11wK4ZSwuhYLEukD1ulvR1rw==\n-----BEGIN PGP SIGNATURE-----\nVersion: ProtonMail\nComment: https://protonmail.com\n\nwl4EARYIABAFAlwB1jwJEDUFhcTpUY8mAABQpAD/VWjPiBcTZLU9t9GcLPtI\ntv2iIdcvaOJg3hpl/XyEmAoA/0jNeiOMHl0Hpd4PoF/SCqmO/gDZDByy+t1n\n5xsxCLEM\n=a1KZ\n-----END PGP SIGNATURE-----\n",
  // ProtonMail/WebClients, packages/srp/test/srp.data.js (SERVER_MODULUS).
  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ny6TtufhYg2mIeauZYOti+GPbd/0vP66kP34TgE6elK/kXkTW/Yfrp1jMmtLiWWSq5cszTMRIEighuwPbZ/z3RrWPxsOg0+jYgbFu8yZ8vOAwrPtLxZl94x0PFTAZBrVapmCn+VYcM+UXdO9v70xFDLwj34tpPbvpODHVWHSlGlhOwndWg3XBE2D9PJopFZajNZiqOScBXree5rDgzU5BBaPbIb6nySpyaeThMCcNzpcEqE8r3ro+E/VdXBvSSJpusr1dvAwHc3IDGUzAhodqV5mjYy9nXwq/9gHWpYNtm76Ols7ReWAhZwy1+cQllQZwGfzzOVGpc+3WutOntQjM6Q==\n-----BEGIN PGP SIGNATURE-----\nVersion: ProtonMail\nComment: https://protonmail.com\n\nwl4EARYIABAFAlwB1j8JEDUFhcTpUY8mAADfEAD8DFdNXn4TsgbfbAZRDa9a\nyywqa/2W9Qyg5MJaNZd2a+0BAPg04gEZI+G8RaoPVh/SYvWx7jpP3L1O8bEi\nM/j1cjIO\n=5RYw\n-----END PGP SIGNATURE-----",
  // ProtonMail/go-srp, srp_test.go (TestNewAuth).
  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\no4ycZ14/7LfHkuSKWNlpQEh6bwLMVKvo0MFqVq9wHXwkZ/zMcqYaVhqNvLyDB0WY5Uv/Bo23JQsox52lM+4jPydw9/A9saAj8erLCc3ZaZHxOl/a8tlYTq7FeDrbhSSgivwTKJ5Y9otla/U8FATZBxqi7nqDihS5/7x/yK3VRnEsBG1i5DcY1UQK3KD9i9v7N2QTuGFYnRCv0MFsHzrQZWvUa1NsUhozU5PSV5s7hZkb/p6J3B9ybD6+LzuLS9fyLMcVdxzn2WUXG7JLeBbqsoECUfq9KP2waTzVLELOenWUV1wbioceJsaiP97ViwNJdnKx1ICoYu2c+z8ctVcqlw==\n-----BEGIN PGP SIGNATURE-----\nVersion: ProtonMail\nComment: https://protonmail.com\n\nwl4EARYIABAFAlwB1j0JEDUFhcTpUY8mAAB02wD5AOhMNS/K6/nvaeRhTr5n\niDGMalQccYlb58XzUEhqf3sBAOcTsz0fP3PVdMQYBbqcBl9Y6LGIG9DF4B4H\nZeLCoyYN\n=cAxM\n-----END PGP SIGNATURE-----\n",
  // ProtonMail/go-proton-api, server/backend/modulus.asc.
  "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n+88jb48lF5TyDBveyHZ7QhSvtc4V3pN8/eQW6kk6ok2egy4lr5Wz9h8iZP3erN9lReSx1Lk+WsLu1b3soDhXX/twTCUhxYwjS8r983aEshZJJq7p5tNroQ5pzrZMbK8Oszjajgdg2YzcMcaJqb9+Doi7egj/esUQ+Q7BWdxeK77Wafj9v7PiW6Ozx6ulppu1mZ+YGnXSXJsl1Cl4nPm7PNkgj4BQT3HLrxakh7Xc3agmepRKO/1jLaOBU/oO17URbA5rwh/ZlAOqEAKH5vJ+hA2acM3Bwsa/K8I/jWicxOoaLZ4RZFpLYvOxGbb4DggR2Ri/C6tNyeEQQKAtxpeV5g==\n-----BEGIN PGP SIGNATURE-----\n\nwl4EARYIABAFAlwB1j0JEDUFhcTpUY8mAAD61gEAo0Uds/t3Fqwq55nOTHlC\nQxj5Q4Ff30YooWIBzvRFtMcA/1LrPUlo++7235+G4JBFJlCw4X4dyTEvhvy7\nDLwA/YAJ\n=j5fA\n-----END PGP SIGNATURE-----\n",
];

/** Returns N (256 bytes, little-endian) from the body of a clear-signed modulus. */
export function readSignedModulus(signedModulus: string): Uint8Array {
  const lines = signedModulus.split(/\r?\n/);
  const bodyStart = lines.indexOf("") + 1;
  const bodyEnd = lines.indexOf("-----BEGIN PGP SIGNATURE-----");
  const body = lines.slice(bodyStart, bodyEnd).join("");
  const modulus = Buffer.from(body, "base64");

  if (bodyStart === 0 || bodyEnd < bodyStart || modulus.length !== 256) {
    throw new RangeError("Signed modulus must contain a 256-byte base64 body.");
  }
  return new Uint8Array(modulus);
}
