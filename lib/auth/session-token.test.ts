import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { encode } from "next-auth/jwt";
import { sessionClaims } from "./session-token";
import { sessionUserOf, type SessionUserRow } from "./session";

const SECRET = "session-token-test-secret".padEnd(40, "x");
const COOKIE = "next-auth.session-token";
const claims = { uid: "u1", role: "SPECIALIST" as const, sv: 3, inv: "inv1", isv: 1 };

describe("the session cookie, read without getServerSession", () => {
  before(() => {
    process.env.NEXTAUTH_SECRET = SECRET;
    process.env.NEXTAUTH_URL = "http://localhost:3000";
  });

  test("reads what next-auth encoded, with the same key", async () => {
    const token = await encode({ token: claims, secret: SECRET, maxAge: 60 });
    assert.deepEqual(await sessionClaims({ [COOKIE]: token }), { uid: "u1", sv: 3, inv: "inv1", isv: 1 });
    // next-auth splits a long token into numbered cookies; the parts join in order.
    const cut = Math.floor(token.length / 2);
    assert.equal(
      (await sessionClaims({ [`${COOKIE}.1`]: token.slice(cut), [`${COOKIE}.0`]: token.slice(0, cut) }))?.uid,
      "u1",
    );
  });

  test("no cookie, another secret, an expired token, garbage or a token without a role: signed out", async () => {
    assert.equal(await sessionClaims({}), null);
    const other = await encode({ token: claims, secret: "another-secret".padEnd(40, "y"), maxAge: 60 });
    assert.equal(await sessionClaims({ [COOKIE]: other }), null);
    // Past next-auth's 15 s clock tolerance.
    const expired = await encode({ token: claims, secret: SECRET, maxAge: -60 });
    assert.equal(await sessionClaims({ [COOKIE]: expired }), null);
    assert.equal(await sessionClaims({ [COOKIE]: "not.a.jwe.at-all" }), null);
    const roleless = await encode({ token: { uid: "u1", sv: 3 }, secret: SECRET, maxAge: 60 });
    assert.equal(await sessionClaims({ [COOKIE]: roleless }), null);
  });

  test("over https the cookie is the __Secure- one only", async () => {
    const token = await encode({ token: claims, secret: SECRET, maxAge: 60 });
    process.env.NEXTAUTH_URL = "https://focus.example";
    try {
      assert.equal(await sessionClaims({ [COOKIE]: token }), null);
      assert.equal((await sessionClaims({ [`__Secure-${COOKIE}`]: token }))?.uid, "u1");
    } finally {
      process.env.NEXTAUTH_URL = "http://localhost:3000";
    }
  });
});

describe("the session's rules on the user's row", () => {
  const reader: SessionUserRow = {
    id: "u1",
    email: "r@example.org",
    name: "Account name",
    role: "SPECIALIST",
    pseudonym: "R-1",
    active: true,
    sessionVersion: 3,
    invitationId: "inv1",
    studyId: "s1",
    invitationStatus: "ACCEPTED",
    readerName: "Dr Reader",
    invitationSessionVersion: 1,
  };
  const c = { uid: "u1", sv: 3, inv: "inv1", isv: 1 };

  test("a reader's current session grants the invitation's study, under the invitation's name", () => {
    assert.deepEqual(sessionUserOf(c, reader), {
      id: "u1",
      email: "r@example.org",
      name: "Dr Reader",
      role: "SPECIALIST",
      pseudonym: "R-1",
      invitation: { id: "inv1", studyId: "s1" },
    });
  });

  test("anything stale or foreign grants nothing", () => {
    assert.equal(sessionUserOf(c, null), null);
    assert.equal(sessionUserOf({ ...c, uid: "u2" }, reader), null);
    assert.equal(sessionUserOf(c, { ...reader, active: false }), null);
    assert.equal(sessionUserOf({ ...c, sv: 2 }, reader), null);
    assert.equal(sessionUserOf({ ...c, sv: undefined }, reader), null);
    assert.equal(sessionUserOf({ ...c, isv: 0 }, reader), null);
    assert.equal(sessionUserOf({ ...c, isv: undefined }, reader), null);
    assert.equal(sessionUserOf({ ...c, inv: "inv2" }, reader), null);
    assert.equal(sessionUserOf(c, { ...reader, invitationStatus: "REVOKED" }), null);
    assert.equal(
      sessionUserOf(c, { ...reader, invitationId: null, studyId: null, invitationStatus: null, readerName: null }),
      null,
    );
  });

  test("staff sessions carry no invitation", () => {
    const staff = { ...reader, role: "COORDINATOR" as const, invitationId: null, studyId: null };
    assert.deepEqual(sessionUserOf({ uid: "u1", sv: 3, inv: undefined, isv: undefined }, staff)?.invitation, null);
  });
});
