import { FakeApiInputError } from "./fake-api-input-error.js";
import type { ServerState } from "./server-state.js";
import type { Session } from "./session-store.js";
import type { FakeApiControl, FakeUserInput, FaultSpec } from "./types.js";

/** Builds the programmatic control handle over the server's state. */
export function createControl(state: ServerState): FakeApiControl {
  return {
    async addUser(user: FakeUserInput): Promise<void> {
      await state.users.add(user);
    },

    expireAccessTokens(username?: string): void {
      for (const session of sessionsOf(state, username)) {
        session.accessExpiresAt = 0;
      }
    },

    revokeSessions(username?: string): void {
      for (const session of sessionsOf(state, username)) {
        state.sessions.delete(session.uid);
      }
    },

    solveHumanVerification(token: string): void {
      state.verifications.solve(token);
    },

    injectFault(fault: FaultSpec): string {
      return state.faults.add(fault);
    },

    clearFaults(id?: string): void {
      state.faults.clear(id);
    },

    requestLog() {
      return state.log.entries();
    },

    clearRequestLog(): void {
      state.log.clear();
    },
  };
}

/** Sessions of one user, or all sessions; throws `FakeApiInputError` for an unknown username. */
function sessionsOf(state: ServerState, username: string | undefined): Session[] {
  if (username === undefined) {
    return state.sessions.list();
  }
  const user = state.users.find(username);
  if (user === undefined) {
    throw new FakeApiInputError("username", `no user named "${username}".`);
  }
  return state.sessions.list(user.id);
}
