// next-auth (v4: the stable line, which accepts Next 16 and React 19 as peers; v5 exists only as
// betas). JWT sessions signed with NEXTAUTH_SECRET survive server restarts without a session table;
// every request still re-reads the user and compares the token's session version with the user's
// (lib/auth/session.ts), so sign-out, deactivation and a password change end old sessions at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsModule from "next-auth/providers/credentials";
import { signInStaff, signInWithInvitation, signInWithReentry } from "./credentials";
import { clientKeyFromHeaders } from "./client-key";
import { signOutSessions } from "./sign-out";
import { authLogger } from "./auth-logger";

// next-auth ships CommonJS; under plain Node (tsx, tests) the default import is the module object.
const CredentialsProvider =
  (CredentialsModule as unknown as { default?: typeof CredentialsModule }).default ?? CredentialsModule;

export const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/signin", error: "/signin" },
  logger: authLogger(),
  providers: [
    CredentialsProvider({
      id: "staff",
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, req) {
        const result = await signInStaff(credentials, clientKeyFromHeaders(req?.headers));
        // The sign-in form reads the wait from the error code.
        if (!result.ok) {
          throw new Error(result.reason === "rate-limited" ? `RateLimited:${result.retryAfterS}` : "CredentialsSignin");
        }
        return result.user;
      },
    }),
    CredentialsProvider({
      id: "invitation",
      name: "Invitation link",
      credentials: { token: { type: "text" } },
      async authorize(credentials, req) {
        const result = await signInWithInvitation(credentials?.token, clientKeyFromHeaders(req?.headers));
        if (!result.ok) throw new Error(`Invitation${result.reason[0].toUpperCase()}${result.reason.slice(1)}`);
        return result.user;
      },
    }),
    CredentialsProvider({
      id: "reentry",
      name: "Re-entry link",
      credentials: { token: { type: "text" } },
      async authorize(credentials, req) {
        const result = await signInWithReentry(credentials?.token, clientKeyFromHeaders(req?.headers));
        if (!result.ok) throw new Error(`Reentry${result.reason[0].toUpperCase()}${result.reason.slice(1)}`);
        return result.user;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role;
        token.sv = user.sessionVersion;
        // A reader's session is bound to one invitation; signing in through another replaces it.
        token.inv = user.invitationId;
        token.isv = user.invitationSessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user && token.uid && token.role) {
        session.user.id = token.uid;
        session.user.role = token.role;
        session.user.sv = token.sv;
        if (token.inv) {
          session.user.invitationId = token.inv;
          session.user.isv = token.isv;
        }
      }
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      await signOutSessions(token?.uid, token?.sv, token?.inv ? { id: token.inv, version: token.isv } : undefined);
    },
  },
};
