import { describe, expect, it } from "vitest";
import { CookieJar } from "../src/cookie-jar.js";

describe("CookieJar", () => {
  it("starts empty", () => {
    expect(new CookieJar().header()).toBeUndefined();
  });

  it("sends initial cookies", () => {
    expect(new CookieJar({ a: "1", b: "2" }).header()).toBe("a=1; b=2");
  });

  it("stores joined set-cookie values", () => {
    const jar = new CookieJar();
    jar.storeSetCookie(
      "Session-Id=abc; Domain=proton.me; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT; Secure, Tag=default; Path=/",
    );
    expect(jar.toRecord()).toEqual({ "Session-Id": "abc", Tag: "default" });
  });

  it("replaces a cookie by name", () => {
    const jar = new CookieJar({ a: "1" });
    jar.storeSetCookie("a=2");
    expect(jar.toRecord()).toEqual({ a: "2" });
  });

  it.each(["a=; Max-Age=0", "a=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT"])(
    "deletes on %s",
    (header) => {
      const jar = new CookieJar({ a: "1", b: "2" });
      jar.storeSetCookie(header);
      expect(jar.toRecord()).toEqual({ b: "2" });
    },
  );

  it("ignores malformed cookies", () => {
    const jar = new CookieJar();
    jar.storeSetCookie("=nameless; Path=/");
    jar.storeSetCookie("novalue");
    expect(jar.toRecord()).toEqual({});
  });
});
