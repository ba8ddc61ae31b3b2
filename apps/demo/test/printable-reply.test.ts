import { describe, expect, it } from "vitest";
import { formatReply } from "../src/printable-reply.js";

describe("formatReply", () => {
  it("redacts token, key and password fields at any depth", () => {
    const reply = {
      Code: 1000,
      UID: "uid-1",
      AccessToken: "access-secret",
      RefreshToken: "refresh-secret",
      User: { Name: "alice", Keys: [{ ID: "k1", PrivateKey: "-----BEGIN PGP PRIVATE KEY" }] },
      Details: { HumanVerificationToken: "hv-secret", MailboxPassword: "pw-secret" },
    };

    const text = formatReply(reply);
    const parsed = JSON.parse(text);

    for (const secret of ["access-secret", "refresh-secret", "PRIVATE KEY", "hv-secret", "pw-"]) {
      expect(text).not.toContain(secret);
    }
    expect(parsed.UID).toBe("uid-1");
    expect(parsed.User.Name).toBe("alice");
    expect(parsed.User.Keys[0].ID).toBe("k1");
    expect(parsed.User.Keys[0].PrivateKey).toBe("[REDACTED]");
  });

  it("matches names in any case and spelling", () => {
    const text = formatReply({
      access_token: "snake-secret",
      Passphrase: "phrase-secret",
      SharePassphrase: "share-secret",
      TwoFactorRecoveryCodes: ["code-secret"],
      Tokenizer: "kept",
    });

    for (const secret of ["snake-secret", "phrase-secret", "share-secret", "code-secret"]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(text).Tokenizer).toBe("kept");
  });

  it("keeps empty and null secret fields as they are", () => {
    expect(JSON.parse(formatReply({ AccessToken: "", RefreshToken: null }))).toEqual({
      AccessToken: "",
      RefreshToken: null,
    });
  });
});
